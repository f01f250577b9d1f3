export { ImageCard } from './ImageCard';
