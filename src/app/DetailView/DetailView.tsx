import { HeatmapCanvas } from '../HeatmapCanvas';
import { thumbUrl } from '../lib/thumbs';
import { useClassNames } from '../state/hooks';
import { useAppStore } from '../state/store';

/** The focused image: image, heatmap and overlay side by side, prediction and probabilities. */
export function DetailView() {
  const id = useAppStore((s) => s.focusId);
  const image = useAppStore((s) => (id ? s.images[id] : undefined));
  const e = useAppStore((s) => (id ? s.explanations[id] : undefined));
  const score = useAppStore((s) => (id ? s.scores[id] : undefined));
  const label = useAppStore((s) => (id ? s.labels[id] : undefined));
  const deepsad = useAppStore((s) => (id ? s.deepsadRanks[id] : undefined));
  const heldOut = useAppStore((s) => (id ? s.agreement?.heldOut.find((h) => h.id === id) : undefined));
  const budget = useAppStore((s) => s.budget);
  const size = useAppStore((s) => s.heatmapSize);
  const colormap = useAppStore((s) => s.colormap);
  const opacity = useAppStore((s) => s.opacity);
  const classNames = useClassNames();
  // The second model of a comparison: its map and prediction of this image (its own class names).
  const other = useAppStore((s) => (id && s.comparison && s.comparison.against === s.activeModel ? s.comparison : null));
  const otherE = id ? other?.explanations[id] : undefined;
  const otherNames = useAppStore((s) => (other ? s.models.find((m) => m.name === other.model)?.classNames : undefined));
  if (!id || !image) return <section className="detail" aria-label="Details"><p className="empty">Select an image to see it in detail.</p></section>;
  const name = (k: number) => (k < 0 ? 'unknown (no predictions.csv)' : (classNames[k] ?? String(k)));
  return (
    <section className="detail" aria-label="Details" data-testid="detail-view">
      <h2>{image.name}</h2>
      <div className="detail-images">
        {!image.noPhoto && (
          <figure>
            <img src={thumbUrl(image.thumb)} alt={`image ${image.name}`} />
            <figcaption>image</figcaption>
          </figure>
        )}
        {e && image.noPhoto && (
          <figure>
            <HeatmapCanvas heatmap={e.heatmap} size={size} colormap={colormap} opacity={1} className="detail-heatmap" label="heatmap" />
            <figcaption>heatmap (made elsewhere; no image)</figcaption>
          </figure>
        )}
        {e && !image.noPhoto && (
          <>
            <figure>
              <HeatmapCanvas heatmap={e.heatmap} size={size} colormap={colormap} opacity={1} className="detail-heatmap" label="heatmap" />
              <figcaption>heatmap</figcaption>
            </figure>
            <figure className="overlay">
              <span className="card-media">
                <img src={thumbUrl(image.thumb)} alt="" />
                <HeatmapCanvas heatmap={e.heatmap} size={size} colormap={colormap} opacity={opacity} label="overlay" />
              </span>
              <figcaption>overlay</figcaption>
            </figure>
          </>
        )}
        {other && otherE && (
          <figure data-testid="detail-compare">
            <HeatmapCanvas heatmap={otherE.heatmap} size={other.heatmapSize} colormap={colormap} opacity={1} className="detail-heatmap" label={`heatmap by ${other.model}`} />
            <figcaption>
              heatmap by {other.model}: <span data-testid="detail-compare-predicted">{otherNames?.[otherE.predicted] ?? otherE.predicted}</span>
            </figcaption>
          </figure>
        )}
      </div>
      <dl>
        <dt>predicted</dt>
        <dd data-testid="detail-predicted">{e ? name(e.predicted) : '…'}</dd>
        {e && e.target !== e.predicted && (
          <>
            <dt>heatmap of class</dt>
            <dd data-testid="detail-target">{name(e.target)}</dd>
          </>
        )}
        {image.truth >= 0 && (
          <>
            <dt>true class</dt>
            <dd>{name(image.truth)}</dd>
          </>
        )}
        <dt>label</dt>
        <dd data-testid="detail-label">{label ? `${label} (your label)` : 'unlabeled'}</dd>
        {heldOut && (
          <>
            <dt>without your label</dt>
            <dd data-testid="detail-held-out">
              the detector ranks it above {(heldOut.percentile * 100).toFixed(0)}% of the unlabeled images ({heldOut.percentile >= 1 - budget ? 'inside' : 'outside'} the review budget
              {(heldOut.percentile >= 1 - budget) !== (label === 'anomalous') ? ': it disagrees with you' : ': it agrees'})
            </dd>
          </>
        )}
        <dt>review score</dt>
        <dd>{score === undefined ? 'not scored yet' : `${score.toFixed(4)}${deepsad !== undefined ? ` (Deep SAD rank ${deepsad.toFixed(3)})` : ''}`}</dd>
        {e && !e.probs.length && e.confidence !== undefined && (
          <>
            <dt>confidence</dt>
            <dd data-testid="detail-confidence">{(e.confidence * 100).toFixed(1)}% (predictions.csv)</dd>
          </>
        )}
        {e && Number.isFinite(e.faithfulness) && (
          <>
            <dt>deletion score</dt>
            <dd>{e.faithfulness.toFixed(3)}</dd>
          </>
        )}
      </dl>
      {e && e.probs.length > 0 && (
        <table className="probs">
          <caption>class probabilities</caption>
          <tbody>
            {Array.from(e.probs, (p, k) => (
              <tr key={k}>
                <th scope="row">{name(k)}</th>
                <td>
                  <meter min={0} max={1} value={p} aria-label={`${name(k)} probability`} /> {(p * 100).toFixed(1)}%
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
