export { BackendBadge } from './BackendBadge';
