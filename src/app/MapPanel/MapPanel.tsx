import { useMemo, useState } from 'react';
import { openMap, requestProjection } from '../actions/map';
import { labelMapSelection } from '../actions/label';
import { isMisclassified } from '../state/derive';
import { useClassNames, useDeepSadFlags } from '../state/hooks';
import type { MapColorBy } from '../state/map.slice';
import { useAppStore } from '../state/store';
import { MapCanvas, type MapTool } from './MapCanvas';
import { MapLegend } from './MapLegend';
import { pointColors } from './map-colors';

const EMPTY = new Float32Array(0);
const NONE: ReadonlySet<number> = new Set();

/**
 * The map of explanations (the SpRAy view, live; FiftyOne's embeddings panel): a 2-D UMAP of the
 * detector's embeddings, coloured by review score, label or predicted class. A box or lasso picks
 * images: the gallery then shows exactly them and they can be labeled in one step. A click opens one.
 */
export function MapPanel() {
  const open = useAppStore((s) => s.mapOpen);
  if (!open) {
    return (
      <div className="map-panel closed">
        <button type="button" data-testid="map-toggle" onClick={() => openMap(true)}>
          Map of explanations
        </button>
      </div>
    );
  }
  return <MapView />;
}

/** The open map: toolbar, canvas, legend and the actions on the picked images (subscribed only while open). */
function MapView() {
  const projection = useAppStore((s) => s.projection);
  const busy = useAppStore((s) => s.projectionBusy);
  const colorBy = useAppStore((s) => s.mapColorBy);
  const selection = useAppStore((s) => s.mapSelection);
  const focusId = useAppStore((s) => s.focusId);
  const scores = useAppStore((s) => s.scores);
  const labels = useAppStore((s) => s.labels);
  const explanations = useAppStore((s) => s.explanations);
  const images = useAppStore((s) => s.images);
  const classNames = useClassNames();
  const flagged = useDeepSadFlags().flags;
  const { setMapColorBy, setMapSelection, setFocus } = useAppStore.getState();
  const [tool, setTool] = useState<MapTool>('box');
  /** Legend entries switched off, per colouring (palette indices). */
  const [hiddenBy, setHiddenBy] = useState<Partial<Record<MapColorBy, ReadonlySet<number>>>>({});
  const hidden = hiddenBy[colorBy] ?? NONE;
  const toggle = (i: number): void => {
    const next = new Set(hidden);
    if (!next.delete(i)) next.add(i);
    setHiddenBy({ ...hiddenBy, [colorBy]: next });
  };

  const ids = projection?.ids;
  const indexOf = useMemo(() => new Map((ids ?? []).map((id, i) => [id, i])), [ids]);
  const colors = useMemo(
    () =>
      pointColors(ids ?? [], colorBy, {
        scores,
        labels,
        predicted: (id) => explanations[id]?.predicted,
        classNames,
        flagged,
        misclassified: (id) => isMisclassified({ images, explanations }, id),
      }),
    [ids, colorBy, scores, labels, explanations, classNames, flagged, images],
  );
  const selected = useMemo(() => new Set(selection.map((id) => indexOf.get(id)).filter((i): i is number => i !== undefined)), [selection, indexOf]);

  const n = ids?.length ?? 0;
  const newer = Object.keys(scores).filter((id) => !indexOf.has(id)).length;
  return (
    <section className="map-panel" aria-label="Map of explanations">
      <div className="toolbar" role="toolbar" aria-label="Map options">
        <button type="button" data-testid="map-toggle" onClick={() => openMap(false)} aria-label="Close the map">
          ✕ Map
        </button>
        <label>
          Colour by{' '}
          <select data-testid="map-color-by" value={colorBy} onChange={(e) => setMapColorBy(e.target.value as MapColorBy)}>
            <option value="score">review score</option>
            <option value="label">label</option>
            <option value="predicted">predicted class</option>
            <option value="flagged">review flag</option>
            <option value="misclassified">misclassified</option>
          </select>
        </label>
        <label>
          Pick with{' '}
          <select data-testid="map-tool" value={tool} onChange={(e) => setTool(e.target.value as MapTool)}>
            <option value="box">box</option>
            <option value="lasso">lasso</option>
          </select>
        </label>
        <button type="button" data-testid="map-recompute" onClick={requestProjection} disabled={busy}>
          Recompute
        </button>
        <span data-testid="map-status" aria-live="polite">
          {busy ? 'computing the map…' : n ? `${n} explanations` : 'no map yet: it needs a trained detector'}
          {!busy && n > 0 && newer > 0 ? ` (${newer} scored since: Recompute to add them)` : ''}
        </span>
      </div>
      <MapCanvas
        xy={projection?.xy ?? EMPTY}
        colors={colors}
        selected={selected}
        focus={focusId ? indexOf.get(focusId) ?? -1 : -1}
        tool={tool}
        onPick={(picked) => setMapSelection(picked.map((i) => ids![i]))}
        onClickPoint={(i) => setFocus(ids![i])}
        hidden={hidden}
        describe={(i) => {
          const id = ids![i];
          const sc = scores[id];
          return `${images[id]?.name ?? id}${Number.isFinite(sc) ? ` · score ${sc.toFixed(3)}` : ''}${labels[id] ? ` · ${labels[id]}` : ''}`;
        }}
      />
      <MapLegend legend={colors.legend} hidden={hidden} onToggle={toggle} />
      {selection.length > 0 && (
        <div className="toolbar map-selection" role="toolbar" aria-label="Picked on the map">
          <span data-testid="map-selection-count">{selection.length} picked (shown in the gallery)</span>
          <button type="button" data-testid="map-label-normal" onClick={() => labelMapSelection('normal')}>
            Label picked normal
          </button>
          <button type="button" data-testid="map-label-anomalous" onClick={() => labelMapSelection('anomalous')}>
            Label picked anomalous
          </button>
          <button type="button" data-testid="map-clear" onClick={() => setMapSelection([])}>
            Clear
          </button>
        </div>
      )}
    </section>
  );
}
