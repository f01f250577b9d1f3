/**
 * `npm run bench:scale -- [--n 300] [--workers 1,2,4] [--shard-size 25]`: issue 16's scaling curve.
 * On one demo folder (vgg_small), in one run: the single-process CLI's explain + score (the audit's
 * explain stage with deletion faithfulness and peak patches, then `apexp score`, in a fresh process:
 * scripts/bench-scale/single-stages.ts), then `apexp audit --redis` with 1, 2
 * and 4 `apexp worker` processes (started and idle before the clock starts; their model load is in the
 * clock), each stage's time as the coordinator reports it. Throughput = images / (explain + score
 * seconds); the coordinator's overhead per image = the 1-worker stage time minus the single process's,
 * over the images. Every fleet audit's report.json is checked against the single-process audit's.
 * Redis: APEXP_TEST_REDIS, else a redis-server started on a free loopback port. Writes
 * bench-results/scale.json and the "Worker fleet" section of BENCHMARKS.md (`--markdown-from FILE`
 * rewrites the section from a saved result without running).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { main as apexp } from '../src/cli/main';
import { startTestRedis } from '../src/cli/fleet/test-redis';
import { replaceSection } from './bench-lib/markdown';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '300' },
    workers: { type: 'string', default: '1,2,4' },
    'shard-size': { type: 'string', default: '25' },
    'no-markdown': { type: 'boolean', default: false },
    /** Only rewrite the BENCHMARKS.md section from a saved result (no run). */
    'markdown-from': { type: 'string' },
  },
});
const n = Number(values.n);
const fleets = values.workers.split(',').map(Number);
const shardSize = Number(values['shard-size']);
const MODEL = 'public/models/vgg_small/model.json';
/** A short detector schedule: the benchmark is about the map side, not Deep SAD. */
const AUDIT = ['--train-steps', '20', '--ae-steps', '0', '--update-steps', '5', '--seed', '1'];

function proc(argv: string[]) {
  const child = spawn(process.execPath, ['bin/apexp.js', ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
  const p = { child, err: '', exited: new Promise<number | null>((r) => child.once('exit', (c) => r(c))) };
  child.stderr.on('data', (d: Buffer) => (p.err += d.toString()));
  return p;
}

async function timed(argv: string[]): Promise<number> {
  const t0 = performance.now();
  const code = await apexp(argv);
  if (code !== 0) throw new Error(`apexp ${argv[0]} exited ${code}`);
  return (performance.now() - t0) / 1000;
}

/** The single-process explain and score stages, timed in a fresh process. */
async function singleStages(images: string, detector: string, work: string): Promise<{ explain_s: number; score_s: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-scale/single-stages.ts', MODEL, images, detector, work], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  if (code !== 0) throw new Error(`the single-process stages exited ${code}`);
  return JSON.parse(out.trim().split('\n').pop() as string) as { explain_s: number; score_s: number };
}

const stage = (err: string, name: string): number => Number(new RegExp(`${name}: \\d+ image\\(s\\) in ([\\d.]+) s on the fleet`).exec(err)?.[1] ?? NaN);

type ScaleResult = Parameters<typeof markdown>[0];

async function main(): Promise<void> {
  if (values['markdown-from']) {
    const saved = JSON.parse(await readFile(values['markdown-from'], 'utf8')) as ScaleResult;
    return replaceSection('BENCHMARKS.md', '## Worker fleet (`npm run bench:scale`)', markdown(saved));
  }
  const load = loadavg()[0];
  const dir = await mkdtemp(join(tmpdir(), 'apexp-scale-'));
  const redis = await startTestRedis();
  try {
    const images = join(dir, 'demo');
    if ((await apexp(['demo-data', '--out', images, '--n', String(n), '--seed', '1', '--split', 'test'])) !== 0) throw new Error('demo-data failed');
    const common = ['--model', MODEL, '--images', images, '--truth', join(images, 'truth.csv'), ...AUDIT];
    // The single-process CLI: the whole audit (for its report and detector), then explain + score timed.
    const singleAudit = await timed(['audit', ...common, '--out', join(dir, 'single')]);
    const { explain_s: explainS, score_s: scoreS } = await singleStages(images, join(dir, 'single', 'detector'), dir);
    const single = { audit_s: singleAudit, explain_s: explainS, score_s: scoreS, images_per_s: n / (explainS + scoreS) };
    process.stderr.write(`single process: explain ${explainS.toFixed(1)} s + score ${scoreS.toFixed(1)} s = ${single.images_per_s.toFixed(1)} img/s; audit ${singleAudit.toFixed(1)} s\n`);
    const reference = await readFile(join(dir, 'single', 'report.json'), 'utf8');
    const rows = [];
    for (const k of fleets) {
      const queue = `scale-${k}-${process.pid}`;
      const workers = Array.from({ length: k }, () => proc(['worker', '--redis', redis.url, '--queue', queue]));
      while (!workers.every((w) => w.err.includes('waiting for jobs'))) await new Promise((r) => setTimeout(r, 100));
      const t0 = performance.now();
      const coord = proc(['audit', ...common, '--out', join(dir, `fleet-${k}`), '--redis', redis.url, '--queue', queue, '--shard-size', String(shardSize)]);
      if ((await coord.exited) !== 0) throw new Error(`coordinator with ${k} worker(s) failed: ${coord.err.trim().split('\n').pop()}`);
      const audit = (performance.now() - t0) / 1000;
      for (const w of workers) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
      const [ex, sc] = [stage(coord.err, 'explain'), stage(coord.err, 'score')];
      const same = (await readFile(join(dir, `fleet-${k}`, 'report.json'), 'utf8')) === reference;
      rows.push({ workers: k, explain_s: ex, score_s: sc, images_per_s: n / (ex + sc), audit_s: audit, report_equals_single: same });
      process.stderr.write(`${k} worker(s): explain ${ex.toFixed(1)} s + score ${sc.toFixed(1)} s = ${(n / (ex + sc)).toFixed(1)} img/s; audit ${audit.toFixed(1)} s; report ${same ? 'equals' : 'DIFFERS FROM'} the single-process one\n`);
    }
    const one = rows.find((r) => r.workers === 1);
    const overheadMs = one ? (1000 * (one.explain_s + one.score_s - (explainS + scoreS))) / n : NaN;
    const result = { date: new Date().toISOString(), n, shard_size: shardSize, cores: cpus().length, load_before: load, load_after: loadavg()[0], model: MODEL, single, fleets: rows.map((r) => ({ ...r, speedup_vs_single: r.images_per_s / single.images_per_s, efficiency_per_worker: one ? r.images_per_s / (r.workers * one.images_per_s) : NaN })), coordinator_overhead_ms_per_image: overheadMs };
    await mkdir('bench-results', { recursive: true });
    await writeFile(join('bench-results', 'scale.json'), `${JSON.stringify(result, null, 2)}\n`);
    if (!values['no-markdown']) await replaceSection('BENCHMARKS.md', '## Worker fleet (`npm run bench:scale`)', markdown(result));
  } finally {
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function markdown(r: { date: string; n: number; shard_size: number; cores: number; load_before: number; load_after: number; single: { explain_s: number; score_s: number; images_per_s: number; audit_s: number }; fleets: { workers: number; explain_s: number; score_s: number; images_per_s: number; audit_s: number; speedup_vs_single: number; efficiency_per_worker: number; report_equals_single: boolean }[]; coordinator_overhead_ms_per_image: number }): string {
  const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
  const lines = [
    `\`npm run bench:scale -- --n ${r.n} --workers ${r.fleets.map((x) => x.workers).join(',')} --shard-size ${r.shard_size}\` (${r.date.slice(0, 10)}, ${r.cores} cores, vgg_small, the demo test split; raw: \`bench-results/scale.json\`).`,
    'Explain + score of every image: the single-process CLI (the audit\'s explain stage with deletion faithfulness and peak patches, then `apexp score`; a fresh process, model load included) against',
    '`apexp audit --redis` with k `apexp worker` processes (idle before the clock starts; model load in the clock; the',
    "stage times the coordinator reports). Audit = the whole command's wall time (Deep SAD on a short schedule).",
    '',
    '| run | explain s | score s | images/s | vs single | per-worker efficiency | audit s | report = single |',
    '|---|---|---|---|---|---|---|---|',
    `| single process | ${f(r.single.explain_s)} | ${f(r.single.score_s)} | ${f(r.single.images_per_s)} | 1.00 | – | ${f(r.single.audit_s)} | – |`,
    ...r.fleets.map((x) => `| ${x.workers} worker(s) | ${f(x.explain_s)} | ${f(x.score_s)} | ${f(x.images_per_s)} | ${f(x.speedup_vs_single, 2)} | ${f(x.efficiency_per_worker, 2)} | ${f(x.audit_s)} | ${x.report_equals_single ? 'yes' : 'NO'} |`),
    '',
    `Coordinator overhead (1 worker against one process, same images): ${f(r.coordinator_overhead_ms_per_image, 2)} ms per image (negative = within the noise).`,
    'Per-worker efficiency = throughput with k workers / (k × throughput with 1).',
    `In this run: ${r.fleets.map((x) => `${x.workers} worker(s) ${f(x.efficiency_per_worker * x.workers, 2)}× the throughput of 1`).join(', ')}.`,
    '',
    `**What this machine can and cannot show.** It has ${r.cores} cores, shared with other jobs (1-minute load average ${f(r.load_before, 1)} before the run, ${f(r.load_after, 1)} after).`,
    'tfjs on wasm runs one thread per process here (`WASM_HAS_MULTITHREAD_SUPPORT` is false in Node), so at most one worker per free core computes at a time,',
    'and every worker pays the backend start and the model load once: workers beyond the free cores',
    'only time-share, and a curve past the core count (here past 2 workers, and already at 2 when the machine is busy) measures the machine, not the fleet.',
    ...(r.load_before >= r.cores ? ['The load average was at or above the core count before this run began: there was no free core for a second worker, so the run shows the costs of the fleet, not its scaling.'] : []),
    'What the run does show: the fleet writes the same report as one process (last column; the integration test checks every file),',
    'and what the queue costs per image against one process. Scaling on a real fleet needs a free core per worker;',
    "the map side has no shared state (each shard is independent), so it should then grow with the workers until Redis or the coordinator's",
    'single-process stages (Deep SAD training, ranking, report: the audit column minus explain and score) dominate.',
  ];
  return lines.join('\n');
}

void main().catch((err: unknown) => {
  process.stderr.write(`bench:scale: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
