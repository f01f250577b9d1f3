import { useDeferredValue, useMemo } from 'react';
import { Line, LineChart, ReferenceLine, XAxis, YAxis } from 'recharts';
import { agreementSentence } from '../../core/audit/report';
import { describeRankingModel } from '../../core/audit/ranking';
import { sendBudgetSoon } from '../actions/detector';
import { isMisclassified } from '../state/derive';
import { useClassNames, useFlags } from '../state/hooks';
import { useAppStore } from '../state/store';
import { labelCurves, scoreHistogram } from './audit-stats';
import { ScoreHistogram } from './ScoreHistogram';

/** Review budget, the agreement with the analyst on held-out labels (and where it disagrees), histogram, ROC/PR, baselines. */
export function AuditPanel() {
  const imageIds = useAppStore((s) => s.imageIds);
  const images = useAppStore((s) => s.images);
  const explanations = useAppStore((s) => s.explanations);
  // Deferred: charts and curves re-render at low priority, so a new score set never blocks labeling.
  const scores = useDeferredValue(useAppStore((s) => s.scores));
  const labels = useDeferredValue(useAppStore((s) => s.labels));
  const budget = useAppStore((s) => s.budget);
  const agreement = useAppStore((s) => s.agreement);
  const updating = useAppStore((s) => s.updating);
  const rankedBy = useAppStore((s) => s.rankedBy);
  const rankingModel = useAppStore((s) => s.rankingModel);
  const classNames = useClassNames();
  const { setBudget, setFocus } = useAppStore.getState();
  const flags = useFlags();
  const hist = useMemo(() => scoreHistogram(imageIds, scores, labels), [imageIds, scores, labels]);
  const curves = useMemo(() => (agreement ? labelCurves(agreement.heldOut) : null), [agreement]);
  const wrong = useMemo(() => imageIds.filter((id) => !labels[id] && isMisclassified({ images, explanations }, id)), [imageIds, images, explanations, labels]);
  const nScored = useMemo(() => imageIds.filter((id) => Number.isFinite(scores[id])).length, [imageIds, scores]);
  const changeBudget = (b: number): void => {
    setBudget(b);
    sendBudgetSoon();
  };
  const row = (name: string, set: Set<string>) => (
    <tr key={name}>
      <th scope="row">{name}</th>
      <td>{[...set].filter((id) => !labels[id]).length}</td>
      <td>{wrong.length ? `${wrong.filter((id) => set.has(id)).length}/${wrong.length}` : '—'}</td>
    </tr>
  );
  return (
    <section className="audit" aria-label="Scores and thresholds">
      <h2>Review</h2>
      <label>
        Review budget: flag the top <output data-testid="budget-value">{Math.round(budget * 100)}%</output> of the unlabeled images
        <input type="range" min={0.01} max={0.5} step={0.01} value={budget} onChange={(e) => changeBudget(Number(e.target.value))} data-testid="budget" />
      </label>
      <p data-testid="flagged-count">
        {flags.deepsad.size} of {imageIds.length} flagged for review{nScored < imageIds.length ? ` (${imageIds.length - nScored} not scored yet)` : ''}
      </p>
      <p className="live-status" data-testid="live-status" data-updating={updating ? 'true' : 'false'}>
        {rankedBy === 'labels' && updating ? 'Re-ranked from your labels; the detector is learning them…' : updating ? 'The detector is learning your latest labels…' : rankedBy ? 'Ranking up to date.' : ''}
      </p>
      {rankingModel && (
        <p className="ranking-model" data-testid="ranking-model">
          {describeRankingModel(rankingModel, classNames)}
        </p>
      )}
      {agreement && (
        <div className="agreement" data-testid="agreement">
          <p>
            {agreementSentence(agreement)} <small>({agreement.folds}-fold: each label judged by a detector trained without it)</small>
          </p>
          {agreement.disagreements.length > 0 && (
            <>
              <p>Where it disagrees with you (have another look):</p>
              <ul className="disagreements" data-testid="disagreements">
                {agreement.disagreements.map((id) => (
                  <li key={id}>
                    <button type="button" onClick={() => setFocus(id)} data-testid="disagreement">
                      {images[id]?.name ?? id}
                    </button>{' '}
                    you said {labels[id] ?? '—'}
                  </li>
                ))}
              </ul>
            </>
          )}
          {agreement.bestF1Budget !== null && (
            <button type="button" data-testid="best-f1-budget" onClick={() => changeBudget(Math.max(0.01, agreement.bestF1Budget as number))}>
              Use the budget that fits your held-out labels best ({Math.round((agreement.bestF1Budget as number) * 100)}%)
            </button>
          )}
        </div>
      )}
      <table className="baselines">
        <caption>Flags at the same budget (unlabeled images)</caption>
        <thead>
          <tr>
            <th scope="col">detector</th>
            <th scope="col">flagged</th>
            <th scope="col">misclassified caught</th>
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
          <figcaption>review scores by label (grey unlabeled, green normal, red anomalous)</figcaption>
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
            <figcaption>ROC on held-out labels, AUC {curves.auc.toFixed(3)}</figcaption>
          </figure>
          <figure className="chart" data-testid="pr-curve">
            <LineChart width={155} height={150} data={curves.pr}>
              <XAxis dataKey="recall" type="number" domain={[0, 1]} tick={{ fontSize: 9 }} />
              <YAxis dataKey="precision" domain={[0, 1]} width={28} tick={{ fontSize: 9 }} />
              <Line dataKey="precision" dot={false} isAnimationActive={false} stroke="#6a1b9a" />
            </LineChart>
            <figcaption>PR on held-out labels, AP {curves.ap.toFixed(3)}</figcaption>
          </figure>
        </div>
      )}
    </section>
  );
}
