import { useEffect, useState } from 'react';
import type { BackendName } from '../core/tf/backend';
import { startTfWorker } from '../workers/tf.client';
import { BackendBadge } from './BackendBadge';

const FORCEABLE: readonly BackendName[] = ['webgpu', 'webgl', 'cpu'];

function forcedBackend(): BackendName | undefined {
  const b = new URLSearchParams(location.search).get('backend');
  return FORCEABLE.find((x) => x === b);
}

/** The auditor's shell. */
export function App() {
  const [backend, setBackend] = useState<string>('starting…');
  useEffect(() => {
    let cancelled = false;
    startTfWorker(forcedBackend()).then(
      ({ backend: b }) => !cancelled && setBackend(b),
      (err: Error) => !cancelled && setBackend(`unavailable: ${err.message}`),
    );
    return () => {
      cancelled = true;
    };
  }, []);
  return (
    <main>
      <header>
        <h1>APEXP explanation auditor</h1>
        <BackendBadge backend={backend} />
      </header>
    </main>
  );
}
