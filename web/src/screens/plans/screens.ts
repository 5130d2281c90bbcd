// The screens of plans and administrative units, loaded together on first
// use (see routes.ts), with their stylesheet.

import './plans.css';

export { adminUnitsScreen } from './adminUnitsScreen';
export { planScreen } from './planScreen';
export { plansListScreen } from './plansListScreen';
