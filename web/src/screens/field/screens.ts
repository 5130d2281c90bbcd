// The field screens, loaded together on first use (their own chunk).

export { checklistScreen } from './checklistScreen';
export { detectionScreen } from './detectionScreen';
export { hubScreen } from './hubScreen';
export { incidentScreen, incidentsScreen } from './incidentsScreen';
export { outboxScreen } from './outboxScreen';
export { reportScreen, trackScreen } from './reportScreen';
export { roundScreen, roundsScreen, statsScreen } from './roundsScreen';
export { violationScreen, violationsScreen } from './violationsScreen';
