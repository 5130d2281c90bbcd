// The screens of data calls, filings and challenges (one chunk, loaded on first use).

import './filings.css';

export { callFormScreen } from './callFormScreen';
export { callScreen, filingScreen } from './callScreen';
export { callsScreen } from './callsScreen';
export { challengeScreen } from './challengeScreen';
export { challengesScreen } from './challengesScreen';
