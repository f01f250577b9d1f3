import type { PointColors } from './map-colors';

/** The legend of the map's colouring: swatches (label, class, flag; click one to hide or show its points) or a ramp with its score range. */
export function MapLegend({ legend, hidden, onToggle }: { legend: PointColors['legend']; hidden: ReadonlySet<number>; onToggle: (index: number) => void }) {
  if (legend.kind === 'ramp') {
    return (
      <div className="map-legend" data-testid="map-legend">
        <span>{legend.min.toPrecision(3)}</span>
        <span style={{ display: 'inline-block', width: 160, height: 10, margin: '0 6px', background: `linear-gradient(to right, ${legend.stops.join(', ')})` }} />
        <span>{legend.max.toPrecision(3)}</span> review score (higher = review first); grey = not scored
      </div>
    );
  }
  return (
    <div className="map-legend" data-testid="map-legend">
      {legend.items.map((it) =>
        it.index < 0 ? (
          <span key={it.text} style={{ marginRight: 10 }}>
            {it.text}
          </span>
        ) : (
          <button
            type="button"
            key={it.text}
            className="map-legend-item"
            aria-pressed={!hidden.has(it.index)}
            title={hidden.has(it.index) ? 'Show these points' : 'Hide these points'}
            onClick={() => onToggle(it.index)}
            style={{ marginRight: 6, opacity: hidden.has(it.index) ? 0.4 : 1, border: 'none', background: 'none', cursor: 'pointer', padding: 0 }}
          >
            <span style={{ display: 'inline-block', width: 10, height: 10, background: it.color, marginRight: 4 }} />
            {it.text}
          </button>
        ),
      )}
    </div>
  );
}
