import type { Queue } from 'bullmq';
import { describe, expect, it, vi } from 'vitest';
import { FleetError } from './errors';
import { JOB_VERSION, type ScoreJob } from './job-schema';
import { runShards, SHARD_ATTEMPTS, type ShardTask } from './shard-queue';

/** A stand-in for BullMQ's Queue with the calls the coordinator makes; jobs finish when `finish` says. */
function fakeQueue(opts: { existing?: Record<string, { state: string; failedReason?: string; attemptsMade?: number }>; finish?: (key: string) => string } = {}) {
  const existing = opts.existing ?? {};
  const added: { name: string; id: string; opts: Record<string, unknown> }[] = [];
  const retried: string[] = [];
  const q = {
    name: 'test',
    getJob: vi.fn(async (id: string) => {
      const e = existing[id];
      if (!e) return undefined;
      return { ...e, getState: async () => e.state, retry: async () => void retried.push(id), remove: async () => void delete existing[id] };
    }),
    add: vi.fn(async (name: string, _data: unknown, o: { jobId: string }) => {
      added.push({ name, id: o.jobId, opts: o });
      existing[o.jobId] = { state: 'waiting' };
    }),
    getJobState: vi.fn(async (id: string) => (existing[id] ? (opts.finish?.(id) ?? existing[id].state) : 'unknown')),
    getActive: vi.fn(async () => []),
    getWorkers: vi.fn(async () => [{}, {}]),
  };
  return { queue: q as unknown as Queue, added, retried };
}

const job = (i: number): ScoreJob => ({ version: JOB_VERSION, kind: 'score', key: `${i}`.padStart(32, '0'), shard: i, explained: '/x.json', detector: { dir: '/d', hash: 'f'.repeat(64) }, input: 'heatmap', outDir: '/o' });

function tasks(done: Set<number>, n = 3): ShardTask<string>[] {
  return Array.from({ length: n }, (_, i) => ({ job: job(i), n: 10, path: `/o/score-${i}.json`, read: async () => (done.has(i) ? `result ${i}` : null) }));
}

describe('runShards: the coordinator on the queue', () => {
  it('resumes: shards whose file is there are not queued again, and results come back in plan order', async () => {
    const { queue, added } = fakeQueue();
    const r = await runShards(queue, 'redis://127.0.0.1:1', 'score', tasks(new Set([0, 1, 2])));
    expect(r).toEqual(['result 0', 'result 1', 'result 2']);
    expect(added).toEqual([]);
  });

  it('queues only the missing shards, by their content key, with bounded attempts, and waits for their files', async () => {
    const done = new Set([1]);
    const { queue, added } = fakeQueue({
      finish: (key) => {
        done.add(Number(key));
        return 'completed';
      },
    });
    const r = await runShards(queue, 'redis://127.0.0.1:1', 'score', tasks(done));
    expect(r).toEqual(['result 0', 'result 1', 'result 2']);
    expect(added.map((a) => a.id)).toEqual([job(0).key, job(2).key]);
    expect(added[0].opts).toMatchObject({ jobId: job(0).key, attempts: SHARD_ATTEMPTS, removeOnComplete: true, removeOnFail: false });
  });

  it('retries a shard left failed by an earlier run instead of adding a duplicate', async () => {
    const done = new Set<number>();
    const { queue, added, retried } = fakeQueue({ existing: { [job(0).key]: { state: 'failed' } }, finish: (key) => (done.add(Number(key)), 'completed') });
    await runShards(queue, 'redis://127.0.0.1:1', 'score', tasks(done, 1));
    expect(retried).toEqual([job(0).key]);
    expect(added).toEqual([]);
  });

  it('stops with a one-line error naming a shard that failed for good (it stays in the failed set)', async () => {
    const { queue } = fakeQueue({ existing: { [job(1).key]: { state: 'active', failedReason: 'weights.bin is missing\n  at stack', attemptsMade: 3 } }, finish: (key) => (key === job(1).key ? 'failed' : 'active') });
    const err = await runShards(queue, 'redis://127.0.0.1:1', 'score', tasks(new Set([0, 2]))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FleetError);
    expect((err as FleetError).code).toBe('shard-failed');
    expect((err as Error).message).toMatch(/^score shard 1 failed after 3 attempt\(s\): weights\.bin is missing \(job 0+1 is kept/);
    expect((err as Error).message).not.toContain('\n');
  });

  it('says so when a worker finished a shard whose file this machine cannot see', async () => {
    const { queue } = fakeQueue({ finish: () => 'completed' });
    const err = await runShards(queue, 'redis://127.0.0.1:1', 'score', tasks(new Set(), 1)).catch((e: unknown) => e);
    expect((err as FleetError).code).toBe('shard-missing');
    expect((err as Error).message).toMatch(/same file system/);
  });

  it('turns a lost Redis into the one-line fleet error', async () => {
    const { queue } = fakeQueue();
    (queue as unknown as { getJob: () => Promise<never> }).getJob = async () => {
      throw new Error('Connection is closed.');
    };
    const err = await runShards(queue, 'redis://:secret@127.0.0.1:1', 'score', tasks(new Set(), 1)).catch((e: unknown) => e);
    expect((err as FleetError).code).toBe('redis-unreachable');
    expect((err as Error).message).toBe('lost Redis at redis://:***@127.0.0.1:1: Connection is closed.');
  });
});
