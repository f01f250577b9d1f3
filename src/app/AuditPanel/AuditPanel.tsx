import { useDeferredValue, useMemo } from 'react';
import { Line, LineChart, ReferenceLine, XAxis, YAxis } from 'recharts';
import { isMisclassified } from '../state/derive';
import { useFlags } from '../state/hooks';
import { useAppStore } from '../state/store';
import { labelCurves, scoreHistogram } from './audit-stats';
import { ScoreHistogram } from './ScoreHistogram';

/** Histogram, ROC/PR vs labels, threshold and review budget, and the baselines' flags side by side. */
export function AuditPanel() {
  const imageIds = useAppStore((s) => s.imageIds);
  const images = useAppStore((s) => s.images);
  const explanations = useAppStore((s) => s.explanations);
  // Deferred: charts and curves re-render at low priority, so a new score set never blocks labeling.
  const scores = useDeferredValue(useAppStore((s) => s.scores));
  const labels = useDeferredValue(useAppStore((s) => s.labels));
  const budget = useAppStore((s) => s.budget);
  const { setBudget, setThreshold } = useAppStore.getState();
  const flags = useFlags();
  const hist = useMemo(() => scoreHistogram(imageIds, scores, labels), [imageIds, scores, labels]);
  const curves = useMemo(() => labelCurves(imageIds, scores, labels), [imageIds, scores, labels]);
  const t = flags.threshold;
  const range = useMemo(() => (hist.length ? [hist[0].lo, hist[hist.length - 1].hi] : [0, 1]), [hist]);
  const wrong = useMemo(() => imageIds.filter((id) => isMisclassified({ images, explanations }, id)), [imageIds, images, explanations]);
  const anom = useMemo(() => imageIds.filter((id) => labels[id] === 'anomalous'), [imageIds, labels]);
  const row = (name: string, set: Set<string>) => (
    <tr key={name}>
      <th scope="row">{name}</th>
      <td>{set.size}</td>
      <td>{wrong.length ? `${wrong.filter((id) => set.has(id)).length}/${wrong.length}` : '—'}</td>
      <td>{anom.length ? `${anom.filter((id) => set.has(id)).length}/${anom.length}` : '—'}</td>
    </tr>
  );
  return (
    <section className="audit" aria-label="Scores and thresholds">
      <h2>Review</h2>
      <label>
        Review budget: flag the top <output data-testid="budget-value">{Math.round(budget * 100)}%</output>
        <input type="range" min={0.01} max={0.5} step={0.01} value={budget} onChange={(e) => setBudget(Number(e.target.value))} data-testid="budget" />
      </label>
      {t !== null && (
        <label>
          Threshold <output>{t.toPrecision(4)}</output>
          <input
            type="range"
            min={range[0]}
            max={range[1]}
            step={(range[1] - range[0]) / 200 || 0.001}
            value={t}
            onChange={(e) => setThreshold(Number(e.target.value))}
            data-testid="threshold"
          />
        </label>
      )}
      {curves && (
        <button type="button" onClick={() => setThreshold(curves.best.threshold)}>
          Use best-F1 threshold vs labels ({curves.best.threshold.toPrecision(3)}, F1 {curves.best.f1.toFixed(2)})
        </button>
      )}
      <p data-testid="flagged-count">
        {flags.deepsad.size} of {imageIds.length} flagged for review
      </p>
      <table className="baselines">
        <caption>Flags at the same budget</caption>
        <thead>
          <tr>
            <th scope="col">detector</th>
            <th scope="col">flagged</th>
            <th scope="col">misclassified caught</th>
            <th scope="col">labeled anomalies caught</th>
          </tr>
        </thead>
        <tbody>
          {row('Deep SAD', flags.deepsad)}
          {row('confidence', flags.confidence)}
          {row('faithfulness', flags.faithfulness)}
        </tbody>
      </table>
      {hist.length > 0 && (
        <figure className="chart" data-testid="score-histogram">
          <ScoreHistogram hist={hist} />
          <figcaption>anomaly scores by label (grey unlabeled, green normal, red anomalous)</figcaption>
        </figure>
      )}
      {curves && (
        <div className="curves">
          <figure className="chart" data-testid="roc-curve">
            <LineChart width={155} height={150} data={curves.roc}>
              <XAxis dataKey="fpr" type="number" domain={[0, 1]} tick={{ fontSize: 9 }} />
              <YAxis dataKey="tpr" domain={[0, 1]} width={28} tick={{ fontSize: 9 }} />
              <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke="#bbb" />
              <Line dataKey="tpr" dot={false} isAnimationActive={false} stroke="#1565c0" />
            </LineChart>
            <figcaption>ROC vs labels, AUC {curves.auc.toFixed(3)}</figcaption>
          </figure>
          <figure className="chart" data-testid="pr-curve">
            <LineChart width={155} height={150} data={curves.pr}>
              <XAxis dataKey="recall" type="number" domain={[0, 1]} tick={{ fontSize: 9 }} />
              <YAxis dataKey="precision" domain={[0, 1]} width={28} tick={{ fontSize: 9 }} />
              <Line dataKey="precision" dot={false} isAnimationActive={false} stroke="#6a1b9a" />
            </LineChart>
            <figcaption>PR vs labels, AP {curves.ap.toFixed(3)}</figcaption>
          </figure>
        </div>
      )}
    </section>
  );
}
