import type { HistBin } from './audit-stats';

const W = 300;
const H = 110;
const STACK = [
  ['unlabeled', '#9e9e9e'],
  ['normal', '#2e7d32'],
  ['anomalous', '#c62828'],
] as const;

/** Images in the tallest bin (at least 1, the scale's top). */
const tallest = (hist: readonly HistBin[]): number => Math.max(1, ...hist.map((b) => b.unlabeled + b.normal + b.anomalous));

/** Rectangles of the stacked histogram in a w×h box: one column per bin, stacked in STACK order from the bottom. */
export function histogramRects(hist: readonly HistBin[], w: number, h: number): { key: string; x: number; y: number; width: number; height: number; fill: string; title: string }[] {
  const top = tallest(hist);
  const bw = w / Math.max(1, hist.length);
  const out: ReturnType<typeof histogramRects> = [];
  hist.forEach((b, i) => {
    let y = h;
    for (const [k, fill] of STACK) {
      const height = (b[k] / top) * h;
      if (height <= 0) continue;
      y -= height;
      out.push({ key: `${i}-${k}`, x: i * bw + 0.5, y, width: Math.max(0.5, bw - 1), height, fill, title: `${b[k]} ${k}, scores ${b.lo.toPrecision(3)}–${b.hi.toPrecision(3)}` });
    }
  });
  return out;
}

/**
 * Anomaly scores by label as a stacked histogram, in plain SVG: it re-renders with every score set (after
 * every label), and recharts' first mount alone cost ~100-200 ms of main thread on the bench machine.
 */
export function ScoreHistogram({ hist }: { hist: readonly HistBin[] }) {
  const top = tallest(hist);
  return (
    <svg width={W + 40} height={H + 24} role="img" aria-label={`score histogram, ${hist.length} bins, highest bin ${top} images`}>
      <g transform="translate(34 4)">
        <line x1={0} y1={H} x2={W} y2={H} stroke="#999" />
        <text x={-4} y={8} textAnchor="end" fontSize={10}>
          {top}
        </text>
        <text x={0} y={H + 14} fontSize={10}>
          {hist[0]?.lo.toPrecision(3)}
        </text>
        <text x={W} y={H + 14} textAnchor="end" fontSize={10}>
          {hist.at(-1)?.hi.toPrecision(3)}
        </text>
        {histogramRects(hist, W, H).map((r) => (
          <rect key={r.key} x={r.x} y={r.y} width={r.width} height={r.height} fill={r.fill}>
            <title>{r.title}</title>
          </rect>
        ))}
      </g>
    </svg>
  );
}
