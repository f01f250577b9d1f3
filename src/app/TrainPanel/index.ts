export { TrainPanel } from './TrainPanel';
