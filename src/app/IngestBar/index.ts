export { IngestBar } from './IngestBar';
