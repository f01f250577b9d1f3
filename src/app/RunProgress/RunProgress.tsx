import { useEffect, useState } from 'react';
import { cancelRun } from '../actions/run';
import { formatSeconds } from '../lib/thumbs';
import { useAppStore } from '../state/store';

/** The running job: stage, a progress bar, ETA and cancel. */
export function RunProgress() {
  const run = useAppStore((s) => s.run);
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (run.kind === 'idle') return;
    const t = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(t);
  }, [run.kind]);
  if (run.kind === 'idle') return null;
  const frac = run.total > 0 ? run.done / run.total : 0;
  const elapsed = ((now || performance.now()) - run.startedAt) / 1000;
  const eta = frac > 0 && frac < 1 ? (elapsed * (1 - frac)) / frac : NaN;
  return (
    <div className="run" role="status" aria-live="polite">
      <span className="run-stage">{run.stage}</span>
      <progress data-testid="progress" max={1} value={frac} aria-label={`${run.stage}: ${Math.round(frac * 100)}%`} />
      <span>
        {run.total > 0 ? `${run.done}/${run.total}` : ''} {Number.isFinite(eta) ? `· about ${formatSeconds(eta)} left` : ''}
      </span>
      <button type="button" data-testid="cancel" onClick={cancelRun}>
        Cancel
      </button>
    </div>
  );
}
