// The fleet end to end, as separate processes: a coordinator and 2 workers on a 200-image demo folder
// with one unreadable file; one worker is SIGKILLed while it holds a shard. The output must equal the
// single-process audit's. Then a coordinator killed mid-run is re-run on the same --out and resumes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../commands/cli-fixtures';
import { shardDirFor } from './coordinator';
import { NO_REDIS, redisAvailable, startTestRedis, type TestRedis } from './test-redis';

const BIN = fileURLToPath(new URL('../../../bin/apexp.js', import.meta.url));
const MODEL = fileURLToPath(new URL('../../../public/models/vgg_small/model.json', import.meta.url));
const has = redisAvailable();
if (!has) console.warn(NO_REDIS);

let redis: TestRedis;
let dir: string;
let common: string[];
const children: ChildProcess[] = [];

/** A CLI process; its stderr is collected. */
function apexp(...argv: string[]) {
  const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  const proc = { child, err: '', exited: new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stderr?.on('data', (d: Buffer) => (proc.err += d.toString()));
  return proc;
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const exists = (p: string) => stat(p).then(() => true, () => false);
const csv = async (p: string) => (await readFile(p, 'utf8')).trim().split('\n').map((l) => l.split(','));
const jsonl = async (p: string) => (await readFile(p, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id: string; heatmap: number[]; probs: number[]; patch: number[] });

/** The distributed output equals the single-process one: same files, maps and scores to float tolerance. */
async function expectSameAudit(out: string, single: string): Promise<void> {
  expect(JSON.parse(await readFile(join(out, 'report.json'), 'utf8'))).toEqual(JSON.parse(await readFile(join(single, 'report.json'), 'utf8')));
  expect(await readFile(join(out, 'report.md'), 'utf8')).toBe(await readFile(join(single, 'report.md'), 'utf8'));
  const [a, b] = [await jsonl(join(out, 'explanations.jsonl')), await jsonl(join(single, 'explanations.jsonl'))];
  expect(a.map((l) => l.id)).toEqual(b.map((l) => l.id));
  a.forEach((l, i) => {
    expect(l.patch).toEqual(b[i].patch);
    l.heatmap.forEach((v, j) => expect(Math.abs(v - b[i].heatmap[j])).toBeLessThanOrEqual(1e-4));
  });
  const [sa, sb] = [await csv(join(out, 'scores.csv')), await csv(join(single, 'scores.csv'))];
  expect(sa.map((r) => r[0])).toEqual(sb.map((r) => r[0]));
  sa.slice(1).forEach((r, i) => r.slice(1).forEach((v, j) => expect(Math.abs(Number(v) - Number(sb[i + 1][j + 1]))).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(Number(v))))));
  expect(await readdir(join(out, 'detector'))).toEqual(await readdir(join(single, 'detector')));
  expect(await exists(shardDirFor(out))).toBe(false);
}

beforeAll(async () => {
  if (!has) return;
  redis = await startTestRedis();
  dir = await mkdtemp(join(tmpdir(), 'apexp-fleet-'));
  expect((await runCli(['demo-data', '--out', join(dir, 'demo'), '--n', '200', '--seed', '1', '--split', 'test'])).code).toBe(0);
  await writeFile(join(dir, 'demo', 'test', 'zzz-corrupt.png'), 'not an image');
  common = ['--model', MODEL, '--images', join(dir, 'demo'), '--truth', join(dir, 'demo', 'truth.csv'), '--train-steps', '20', '--ae-steps', '0', '--update-steps', '5', '--seed', '1'];
  const single = await runCli(['audit', ...common, '--out', join(dir, 'single')]);
  expect(single.code, single.err).toBe(0);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (!has) return;
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!has)('apexp audit --redis with apexp worker processes', () => {
  it('loses nothing when a worker is SIGKILLed mid-shard, and writes what the single-process audit writes', async () => {
    const queue = `fleet-kill-${process.pid}`;
    const watch = new Queue(queue, { connection: { url: redis.url } });
    try {
      const w = ['worker', '--redis', redis.url, '--queue', queue, '--lock-duration', '4000'];
      const [w1, w2] = [apexp(...w), apexp(...w)];
      await until('the workers', () => w1.err.includes('waiting for jobs') && w2.err.includes('waiting for jobs'));
      const out = join(dir, 'fleet');
      const coord = apexp('audit', ...common, '--out', out, '--redis', redis.url, '--queue', queue, '--shard-size', '20');
      // Kill worker 1 while it holds an explain shard.
      let held = -1;
      await until('worker 1 to hold a shard', async () => {
        for (const j of await watch.getActive()) {
          if (j.name === 'explain' && j.processedBy?.endsWith(`:${w1.child.pid}`)) held = (j.data as { shard: number }).shard;
        }
        return held >= 0;
      });
      w1.child.kill('SIGKILL');
      expect(await coord.exited, coord.err).toBe(0);
      expect(coord.err).toMatch(/explain: \d+ image\(s\) in [\d.]+ s on the fleet/);
      expect(coord.err).toMatch(/warning: skipping test\/zzz-corrupt\.png/);
      // Another worker took the killed worker's shard over.
      expect(w2.err).toMatch(new RegExp(`explain shard ${held} \\(`));
      await expectSameAudit(out, join(dir, 'single'));
      const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as { n_skipped: number; skipped: { id: string }[] };
      expect(report.skipped.map((s) => s.id)).toEqual(['test/zzz-corrupt.png']);
      // SIGTERM: the worker stops cleanly.
      w2.child.kill('SIGTERM');
      expect(await w2.exited).toBe(0);
      expect(w2.err).toMatch(/stopped after \d+ job\(s\)/);
      expect(await watch.getFailedCount()).toBe(0);
    } finally {
      await watch.obliterate({ force: true }).catch(() => undefined);
      await watch.close();
    }
  });

  it('resumes: a coordinator killed mid-run, run again on the same --out, redoes none of the finished shards', async () => {
    const queue = `fleet-resume-${process.pid}`;
    const watch = new Queue(queue, { connection: { url: redis.url } });
    try {
      const out = join(dir, 'resumed');
      const args = ['audit', ...common, '--out', out, '--redis', redis.url, '--queue', queue, '--shard-size', '20'];
      const first = apexp(...args);
      const w1 = apexp('worker', '--redis', redis.url, '--queue', queue, '--max-jobs', '3');
      expect(await w1.exited).toBe(0);
      first.child.kill('SIGKILL');
      await first.exited;
      const done = (await readdir(shardDirFor(out))).filter((f) => f.startsWith('explain-')).length;
      expect(done).toBeGreaterThanOrEqual(3);
      // The re-run reads the shard directory before any worker takes the jobs the first run left queued.
      const again = apexp(...args);
      await until('the re-run to resume', () => again.err.includes('already done'));
      expect(again.err).toContain(`${done} of 11 shard(s) already done`);
      const w2 = apexp('worker', '--redis', redis.url, '--queue', queue);
      expect(await again.exited, again.err).toBe(0);
      // Every explain shard was explained exactly once over both runs.
      const explained = (w1.err + w2.err).match(/explain shard \d+ \(/g) ?? [];
      expect(explained.length).toBe(11);
      expect(new Set(explained).size).toBe(11);
      await expectSameAudit(out, join(dir, 'single'));
      w2.child.kill('SIGTERM');
      expect(await w2.exited).toBe(0);
    } finally {
      await watch.obliterate({ force: true }).catch(() => undefined);
      await watch.close();
    }
  });

  it('refuses a bad --layer as the single-process audit does (exit 2, one line), before queuing anything', async () => {
    const queue = `fleet-bad-${process.pid}`;
    const out = join(dir, 'bad-layer');
    const argv = ['audit', ...common, '--layer', 'nope', '--out', out];
    const [alone, fleet] = [await runCli(argv), await runCli([...argv, '--redis', redis.url, '--queue', queue])];
    expect(fleet).toEqual(alone);
    expect(fleet.code).toBe(2);
    expect(await exists(shardDirFor(out))).toBe(false);
    const watch = new Queue(queue, { connection: { url: redis.url } });
    try {
      expect(await watch.count()).toBe(0);
    } finally {
      await watch.close();
    }
  });

  it('fails in one line, non-zero and without a report, when Redis cannot be reached', async () => {
    const out = join(dir, 'unreachable');
    const r = await runCli(['audit', ...common, '--out', out, '--redis', 'redis://127.0.0.1:1']);
    expect(r.code).toBe(3);
    expect(r.err.trim().split('\n')).toEqual(['apexp: cannot reach Redis at redis://127.0.0.1:1: ECONNREFUSED']);
    expect(await exists(out)).toBe(false);
    expect(await exists(shardDirFor(out))).toBe(false);
  });
});
