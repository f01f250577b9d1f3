export { DetailView } from './DetailView';
