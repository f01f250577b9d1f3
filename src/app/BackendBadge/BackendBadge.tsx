/** Shows which tfjs backend the workers run on (webgpu, webgl or cpu). */
export function BackendBadge({ backend }: { backend: string }) {
  return (
    <span data-testid="backend-badge" data-backend={backend} title="tfjs backend in use">
      {backend}
    </span>
  );
}
