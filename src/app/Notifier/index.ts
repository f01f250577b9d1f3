export { Notifier } from './Notifier';
