export { RunProgress } from './RunProgress';
