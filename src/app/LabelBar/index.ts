export { LabelBar } from './LabelBar';
