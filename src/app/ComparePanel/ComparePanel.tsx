import { useState } from 'react';
import { clearComparison, compareWith } from '../actions/compare';
import { useModelComparison } from '../state/hooks';
import { useAppStore } from '../state/store';

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(0)}%`);

/** Image ids as buttons that open the image. */
function IdList({ ids, testId }: { ids: string[]; testId: string }) {
  const setFocus = useAppStore((s) => s.setFocus);
  if (!ids.length) return <p className="empty">none</p>;
  return (
    <ul data-testid={testId}>
      {ids.map((id) => (
        <li key={id}>
          <button type="button" className="link" onClick={() => setFocus(id)}>
            {id}
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * Two classifiers side by side: explain the same images with a second loaded model (its own detector,
 * the same labels and budget), then where the two models' flags agree and differ, as a 2×2 table and
 * the lists. The detail view shows both maps of an image.
 */
export function ComparePanel() {
  const models = useAppStore((s) => s.models);
  const active = useAppStore((s) => s.activeModel);
  const comparison = useAppStore((s) => s.comparison);
  const busy = useAppStore((s) => s.run.kind !== 'idle');
  const c = useModelComparison();
  const others = models.filter((m) => m.name !== active).map((m) => m.name);
  const [picked, setPicked] = useState<string | null>(null);
  const other = picked && others.includes(picked) ? picked : (others[0] ?? null);
  if (!active || !other) return null;
  const [a, b] = c ? c.models : [active, comparison?.model ?? other];
  return (
    <section className="compare" aria-label="Compare two models" data-testid="compare-panel">
      <h2>Compare models</h2>
      <div className="compare-run">
        <label>
          {active} with{' '}
          <select data-testid="compare-model" value={other} disabled={busy} onChange={(e) => setPicked(e.target.value)}>
            {others.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="compare-run" disabled={busy || (!!comparison && comparison.status !== 'ready')} onClick={() => void compareWith(other)}>
          {comparison ? 'Compare again' : 'Compare'}
        </button>
        {comparison && (
          <button type="button" data-testid="compare-clear" disabled={busy} onClick={clearComparison}>
            Clear
          </button>
        )}
      </div>
      {comparison && comparison.status !== 'ready' && (
        <p data-testid="compare-status">{comparison.status === 'explaining' ? `Explaining every image with ${comparison.model}…` : `Training ${comparison.model}'s own detector…`}</p>
      )}
      {c && comparison && (
        <div data-testid="compare-result">
          <p>
            Each model flags the top {pct(c.budget)} of the unlabeled images by its own detector. On the {c.n_images} image(s) both evaluated, their flags agree on{' '}
            <strong data-testid="compare-agreement">{pct(c.agreement)}</strong>
            {c.kappa !== null ? ` (κ ${c.kappa.toFixed(2)})` : ''}
            {c.prediction_agreement ? `; their predictions agree on ${c.prediction_agreement.same} of ${c.prediction_agreement.n_images}` : ''}.
          </p>
          <table className="compare-table" data-testid="compare-table">
            <thead>
              <tr>
                <th />
                <th scope="col">{b} flags</th>
                <th scope="col">{b} does not</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">{a} flags</th>
                <td data-testid="compare-both">{c.both_flagged.count}</td>
                <td data-testid="compare-only-a">{c.only_a.count}</td>
              </tr>
              <tr>
                <th scope="row">{a} does not</th>
                <td data-testid="compare-only-b">{c.only_b.count}</td>
                <td data-testid="compare-neither">{c.neither.count}</td>
              </tr>
            </tbody>
          </table>
          <h3>Flagged by {a} only</h3>
          <IdList ids={c.only_a.ids} testId="compare-list-only-a" />
          <h3>Flagged by {b} only</h3>
          <IdList ids={c.only_b.ids} testId="compare-list-only-b" />
          <h3>Flagged by both</h3>
          <IdList ids={c.both_flagged.ids} testId="compare-list-both" />
          <p className="note">
            {b}&apos;s detector was trained with the {comparison.nLabels} label(s) you had then; later labels move its flags but not its scores: compare again to retrain it.
          </p>
        </div>
      )}
    </section>
  );
}
