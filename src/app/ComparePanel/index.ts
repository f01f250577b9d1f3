export { ComparePanel } from './ComparePanel';
