import { memo } from 'react';
import { HeatmapCanvas } from '../HeatmapCanvas';
import { thumbUrl } from '../lib/thumbs';
import type { Colormap } from '../state/ui.slice';
import type { Explanation, ImageRecord, Label } from '../state/types';

/** Props of one gallery card. */
export interface ImageCardProps {
  image: ImageRecord;
  explanation: Explanation | undefined;
  heatmapSize: [number, number];
  score: number | undefined;
  label: Label | undefined;
  flagged: boolean;
  selected: boolean;
  focused: boolean;
  className: string;
  colormap: Colormap;
  opacity: number;
  onClick: (id: string, ev: React.MouseEvent) => void;
}

/**
 * A thumbnail with its heatmap overlay, prediction, and either the analyst's label or, unlabeled, the
 * review score and flag: a labeled image shows the label, never the detector's verdict.
 */
export const ImageCard = memo(function ImageCard(p: ImageCardProps) {
  const { image, explanation: e, score, label } = p;
  const cls = ['card', p.selected && 'selected', p.focused && 'focused', p.flagged && 'flagged', label && `label-${label}`].filter(Boolean).join(' ');
  return (
    <button
      type="button"
      className={cls}
      data-testid="image-card"
      data-id={image.id}
      data-score={score === undefined ? '' : String(score)}
      data-label={label ?? ''}
      aria-pressed={p.selected}
      aria-label={`${image.name}${label ? `, labeled ${label}` : ''}${score !== undefined ? `, score ${score.toFixed(3)}` : ''}`}
      onClick={(ev) => p.onClick(image.id, ev)}
    >
      <span className="card-media">
        {/* A map brought without its image is the picture itself, drawn opaque. */}
        {!image.noPhoto && <img src={thumbUrl(image.thumb)} alt="" width={64} height={64} />}
        {e && <HeatmapCanvas heatmap={e.heatmap} size={p.heatmapSize} colormap={p.colormap} opacity={image.noPhoto ? 1 : p.opacity} />}
      </span>
      <span className="card-meta">
        <span className="card-score">{label ? <span className={`your-label ${label}`}>{label === 'normal' ? 'normal' : 'anomalous'}</span> : score === undefined ? '—' : score.toFixed(3)}</span>
        <span className="card-class">{e ? p.className : '…'}</span>
        {label && (
          <span className={`badge ${label}`} title={`you labeled it ${label}`}>
            {label === 'normal' ? 'N' : 'A'}
          </span>
        )}
        {p.flagged && !label && (
          <span className="badge flag" title="flagged for review">
            ⚑
          </span>
        )}
      </span>
    </button>
  );
});
