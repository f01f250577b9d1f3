export { MapPanel } from './MapPanel';
