import { useDeferredValue } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useAppStore } from '../state/store';

/** Live loss per epoch (pretraining, training and fine-tuning runs in sequence). */
export function LossChart() {
  // Deferred: the chart (recharts mounts in ~200 ms on a slow machine) renders at low priority, in time slices.
  const losses = useDeferredValue(useAppStore((s) => s.losses));
  if (!losses.length) return null;
  const data = losses.map((p) => ({ step: p.step, [p.stage]: Number.isFinite(p.loss) ? p.loss : null }));
  return (
    <figure className="chart" data-testid="loss-chart" aria-label={`loss chart, last loss ${losses[losses.length - 1].loss.toFixed(4)}`}>
      <LineChart width={320} height={160} data={data}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="step" label={{ value: 'epoch', position: 'insideBottom', offset: -2 }} />
        <YAxis domain={['auto', 'auto']} width={48} tickFormatter={(v: number) => v.toPrecision(2)} />
        <Tooltip />
        <Line type="monotone" dataKey="pretrain" stroke="#999" dot={false} isAnimationActive={false} connectNulls />
        <Line type="monotone" dataKey="train" stroke="#1565c0" dot={false} isAnimationActive={false} connectNulls />
        <Line type="monotone" dataKey="fineTune" stroke="#c62828" dot isAnimationActive={false} connectNulls />
      </LineChart>
      <figcaption>loss per epoch (grey: AE pretraining, blue: training, red: fine-tuning after labels)</figcaption>
    </figure>
  );
}
