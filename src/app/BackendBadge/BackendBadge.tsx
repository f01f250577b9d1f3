import { useAppStore } from '../state/store';

/** Shows which tfjs backend the worker runs on (webgpu, webgl or cpu); always visible. */
export function BackendBadge() {
  const backend = useAppStore((s) => s.backend);
  return (
    <span className={`backend-badge ${backend}`} data-testid="backend-badge" data-backend={backend} title="tfjs backend in use (force one with ?backend=webgl|webgpu|cpu)">
      {backend}
    </span>
  );
}
