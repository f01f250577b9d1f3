import { useMemo } from 'react';
import { useAppStore } from '../state/store';
import { LOSS_STAGES, lossPaths } from './loss-path';

const W = 300;
const H = 120;
const COLORS: Record<(typeof LOSS_STAGES)[number], string> = { pretrain: '#999', train: '#1565c0', fineTune: '#c62828' };

/**
 * Live loss per epoch (pretraining, training and fine-tuning runs in sequence), as plain SVG polylines.
 * Not recharts: its first mount cost 200–380 ms of main thread on the bench machine, at the first epoch
 * of every session, and this chart updates after every label.
 */
export function LossChart() {
  const losses = useAppStore((s) => s.losses);
  const g = useMemo(() => lossPaths(losses, W, H), [losses]);
  if (!losses.length) return null;
  return (
    <figure className="chart" data-testid="loss-chart">
      <svg width={W + 56} height={H + 28} role="img" aria-label={`loss chart, last loss ${losses[losses.length - 1].loss.toFixed(4)}`}>
        <defs>
          {/* Fine-tunes are one epoch each, often far apart: a dot marks every one. */}
          <marker id="loss-dot" viewBox="0 0 4 4" refX={2} refY={2} markerWidth={4} markerHeight={4}>
            <circle cx={2} cy={2} r={2} fill={COLORS.fineTune} />
          </marker>
        </defs>
        <g transform="translate(50 6)">
          <rect width={W} height={H} fill="none" stroke="#ddd" />
          <text x={-4} y={8} textAnchor="end" fontSize={10}>
            {g.hi.toPrecision(3)}
          </text>
          <text x={-4} y={H} textAnchor="end" fontSize={10}>
            {g.lo.toPrecision(3)}
          </text>
          <text x={0} y={H + 16} fontSize={10}>
            1
          </text>
          <text x={W} y={H + 16} textAnchor="end" fontSize={10}>
            epoch {g.steps}
          </text>
          {LOSS_STAGES.map(
            (s) =>
              g.points[s] && (
                <polyline
                  key={s}
                  points={g.points[s]}
                  fill="none"
                  stroke={COLORS[s]}
                  strokeWidth={1.5}
                  data-stage={s}
                  {...(s === 'fineTune' ? { markerStart: 'url(#loss-dot)', markerMid: 'url(#loss-dot)', markerEnd: 'url(#loss-dot)' } : {})}
                />
              ),
          )}
        </g>
      </svg>
      <figcaption>loss per epoch (grey: AE pretraining, blue: training, red: fine-tuning after labels)</figcaption>
    </figure>
  );
}
