import type { PointColors } from './map-colors';

/** The legend of the map's colouring: swatches (label, class) or a ramp with its score range. */
export function MapLegend({ legend }: { legend: PointColors['legend'] }) {
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
      {legend.items.map((it) => (
        <span key={it.text} style={{ marginRight: 10 }}>
          <span style={{ display: 'inline-block', width: 10, height: 10, background: it.color, marginRight: 4 }} />
          {it.text}
        </span>
      ))}
    </div>
  );
}
