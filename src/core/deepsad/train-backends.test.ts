import { beforeAll, describe, expect, it } from 'vitest';
import { trainDeepSad } from './train';
import { toyConfig, toyData, useBackend } from './test-setup';
import type { TrainEvent } from './types';

beforeAll(() => useBackend('wasm'));


describe('on the cpu backend', () => {
  // Only the pretraining losses are compared: after it, c's coordinates are often all clamped to ±0.1,
  // and the sign of a near-zero mean is float noise that differs between backends (a real, expected
  // divergence of the Deep SAD losses, not an error).
  it('pretrains to the same losses as on wasm and scores identically', async () => {
    const { data } = toyData(16, [28, 28], 6);
    const cfg = toyConfig({ nEpochs: 1, aeNEpochs: 2, batchSize: 8, aeBatchSize: 8 });
    const run = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      const losses: TrainEvent[] = [];
      const det = await trainDeepSad(data, cfg, { onEpoch: (e) => void losses.push(e) });
      return { losses, det };
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    const pre = (r: { losses: TrainEvent[] }) => r.losses.filter((e) => e.stage === 'pretrain').map((e) => e.loss);
    expect(pre(cpu)).toHaveLength(2);
    pre(cpu).forEach((l, i) => expect(Math.abs(l - pre(wasm)[i]) / pre(wasm)[i]).toBeLessThan(1e-4));
    expect(cpu.losses.every((e) => Number.isFinite(e.loss))).toBe(true);
    // the cpu-trained detector scores the same on wasm and on cpu
    const onWasm = await cpu.det.score(data.x, data.n);
    await useBackend('cpu');
    const onCpu = await cpu.det.score(data.x, data.n);
    await useBackend('wasm');
    onCpu.forEach((v, i) => expect(Math.abs(v - onWasm[i])).toBeLessThan(1e-4 * Math.max(1, v)));
    cpu.det.dispose();
    wasm.det.dispose();
  });
});
