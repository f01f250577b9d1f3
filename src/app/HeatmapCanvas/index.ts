export { HeatmapCanvas } from './HeatmapCanvas';
