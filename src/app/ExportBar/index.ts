export { ExportBar } from './ExportBar';
