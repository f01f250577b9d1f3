/**
 * `npm run bench:soak -- [--cycles 1000] [--n 1000] [--burst-every 10]`: issue 14's soak. The
 * analyst's day in the detector worker (scripts/bench-soak/soak.ts: label → bounded update → held-out
 * agreement, every 10th round with a second label while the update runs), with the product's
 * detector (DEFAULT_AUDITOR_SETTINGS: map + peak patch, the same network, η and learning rate) on a
 * short schedule (LEAK_SCHEDULE: smaller batches, fewer steps), in Node on wasm. The schedule only sets
 * how much work each step does, not which code runs, so 1,000 rounds fit in minutes instead of the
 * ~3 hours the full schedule takes here (11 s per round, measured). Records tf.memory() and the V8 heap
 * (after a forced GC) every 10 rounds; writes bench-results/soak.json and the "Soak" section of
 * BENCHMARKS.md. Run through `node --expose-gc` (the npm script does) so the heap figures are after GC.
 */
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_AUDITOR_SETTINGS } from '../src/core/audit/settings';
import { replaceSection } from './bench-lib/markdown';
import { runSoak } from './bench-soak/soak';

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '1000' },
    n: { type: 'string', default: '1000' },
    'burst-every': { type: 'string', default: '10' },
    'no-markdown': { type: 'boolean', default: false },
  },
});
const [cycles, n, burstEvery] = [values.cycles, values.n, values['burst-every']].map(Number);

/** The soak's schedule: the product's detector with less work per round (see the header). */
const LEAK_SCHEDULE = { batchSize: 16, trainSteps: 20, aeSteps: 5, updateSteps: 3, updateUnlabeled: 16, updateLabeled: 16 };

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function main(): Promise<void> {
  await mkdir('bench-results', { recursive: true });
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  if (!(globalThis as { gc?: unknown }).gc) process.stderr.write('warning: run with node --expose-gc for heap figures after GC\n');
  const t0 = performance.now();
  const r = await runSoak({
    n,
    cycles,
    settings: { ...structuredClone(DEFAULT_AUDITOR_SETTINGS), ...LEAK_SCHEDULE },
    burstEvery,
    // A cut run keeps its series so far.
    onSample: (samples) => void writeFile(join('bench-results', 'soak-partial.json'), `${JSON.stringify({ cycles, n, samples }, null, 2)}\n`).catch(() => undefined),
    onRound: (c) => {
      if (c % 50 === 0) process.stderr.write(`round ${c}/${cycles} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const s = r.samples;
  const first = s[0];
  const last = s[s.length - 1];
  // Heap growth after warm-up: the least-squares slope over rounds 100…end, in MB per 100 rounds.
  const late = s.filter((x) => x.cycle >= Math.min(100, cycles / 2));
  const mx = late.reduce((a, x) => a + x.cycle, 0) / late.length;
  const my = late.reduce((a, x) => a + x.heapMb, 0) / late.length;
  const slope = (100 * late.reduce((a, x) => a + (x.cycle - mx) * (x.heapMb - my), 0)) / Math.max(1e-9, late.reduce((a, x) => a + (x.cycle - mx) ** 2, 0));
  const summary = {
    command: `npm run bench:soak -- --cycles ${cycles} --n ${n} --burst-every ${burstEvery}`,
    date: new Date().toISOString(),
    seconds: Math.round(seconds),
    cycles,
    n,
    errors: r.errors,
    num_tensors: { first: first.numTensors, last: last.numTensors, min: Math.min(...s.map((x) => x.numTensors)), max: Math.max(...s.map((x) => x.numTensors)) },
    schedule: LEAK_SCHEDULE,
    tf_kb: { first: first.tfBytes / 1024, last: last.tfBytes / 1024 },
    heap_mb: { first: first.heapMb, last: last.heapMb, max: Math.max(...s.map((x) => x.heapMb)), slope_per_100_rounds: slope },
    round_ms: { p50: pct(r.roundMs, 50), p95: pct(r.roundMs, 95), max: Math.max(...r.roundMs) },
    samples: s,
  };
  await mkdir('bench-results', { recursive: true });
  await writeFile(join('bench-results', 'soak.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const f = (x: number) => x.toFixed(1);
  const md = [
    `Command: \`${summary.command}\` (${summary.seconds} s on this machine, ${summary.date.slice(0, 10)}): ${cycles} label → bounded update → held-out agreement rounds in the detector worker's own handler (\`src/workers/detector.shared.ts\`, Node, wasm), the product's detector on the short schedule ${JSON.stringify(LEAK_SCHEDULE)} (the same code paths, less work per step), ${n} maps with peak patches; every ${burstEvery}th round a second label arrives while the update runs (the abort path). Samples every 10 rounds after a forced GC. bench-results/soak.json holds the series.`,
    '',
    '| | after round 1 | after round ' + cycles + ' | min / max over the run |',
    '|---|---|---|---|',
    `| tf.memory().numTensors | ${first.numTensors} | ${last.numTensors} | ${summary.num_tensors.min} / ${summary.num_tensors.max} |`,
    `| tfjs KiB | ${f(summary.tf_kb.first)} | ${f(summary.tf_kb.last)} | |`,
    `| V8 heap MB | ${f(first.heapMb)} | ${f(last.heapMb)} | max ${f(summary.heap_mb.max)} |`,
    '',
    `- Heap trend after round ${late[0]?.cycle ?? 1}: ${summary.heap_mb.slope_per_100_rounds.toFixed(3)} MB per 100 rounds (least squares).`,
    `- Round time (label → agreement): p50 ${Math.round(summary.round_ms.p50)} ms, p95 ${Math.round(summary.round_ms.p95)} ms, max ${Math.round(summary.round_ms.max)} ms.`,
    `- Errors posted by the worker: ${r.errors.length ? r.errors.join('; ') : 'none'}.`,
  ].join('\n');
  process.stdout.write(`${md}\n`);
  if (!values['no-markdown']) await replaceSection('BENCHMARKS.md', '## Soak: a day of labels in the detector worker (`npm run bench:soak`)', md);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-soak: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
