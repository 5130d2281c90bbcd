// The screens of the undergrounding section, loaded together on first use
// (see routes.ts). Their stylesheet comes with the map's part
// (map/undergroundingOnMap.ts), which every page has.

export { civilWorkScreen } from './civilWorkScreen';
export { civilWorksScreen } from './civilWorksScreen';
export { dashboardScreen } from './dashboardScreen';
export { projectScreen } from './projectScreen';
export { projectsScreen } from './projectsScreen';
export { tablesScreen } from './tablesScreen';
