/**
 * The coordinator's side of the queue: put a set of shard jobs on it (skipping shards whose result
 * file is already there: a re-run resumes), and wait until every shard's file exists, showing images
 * done, images per second, ETA and the workers seen. A shard that failed for good (BullMQ kept it in
 * its failed set, where any BullMQ board shows it) stops the run with a one-line error naming it.
 */
import { Queue } from 'bullmq';
import { createProgress } from '../progress';
import { connectionOptions, shownUrl } from './connection';
import { FleetError } from './errors';
import type { FleetJob } from './job-schema';

/** One shard job to run and the file that proves it done. */
export interface ShardTask<T> {
  job: FleetJob;
  /** Images in the shard (progress counts images). */
  n: number;
  /** The result file's path. */
  path: string;
  /** Reads the result file; null while it is absent or not this shard's. */
  read: () => Promise<T | null>;
}

/** How often the coordinator looks at the queue, ms. */
const POLL_MS = 400;
/** Tries of a shard before it counts as failed (a worker killed mid-shard does not use one up). */
export const SHARD_ATTEMPTS = 3;

/** A Queue for the coordinator; close it when done. */
export function openQueue(redis: string, name: string): Queue {
  const queue = new Queue(name, { connection: connectionOptions(redis, 'coordinator') });
  // Connection errors surface through the commands (as one line, below); the event would print stacks.
  queue.on('error', () => undefined);
  return queue;
}

/** Any error of a Redis command, as the one-line fleet error. */
function lost(redis: string, err: unknown): never {
  if (err instanceof FleetError) throw err;
  const message = ((err as Error)?.message ?? String(err)).split('\n')[0];
  const why = /max retries per request/i.test(message) ? 'no answer after 3 tries' : message;
  throw new FleetError('redis-unreachable', `lost Redis at ${shownUrl(redis)}: ${why}`);
}

/** Puts the shard's job on the queue unless it is there already; a failed one is retried (a re-run). */
async function ensureJob(queue: Queue, job: FleetJob): Promise<void> {
  const existing = await queue.getJob(job.key);
  if (existing) {
    const state = await existing.getState();
    if (state === 'failed') return existing.retry('failed');
    if (state !== 'completed') return;
    await existing.remove();
  }
  await queue.add(job.kind, job, { jobId: job.key, attempts: SHARD_ATTEMPTS, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: false });
}

/**
 * Runs the tasks on the fleet and returns their results in task order.
 * @param label the progress label (`explain`, `score`)
 * @throws FleetError for a shard that failed for good, or Redis lost
 */
export async function runShards<T>(queue: Queue, redis: string, label: string, tasks: readonly ShardTask<T>[]): Promise<T[]> {
  const results: (T | null)[] = await Promise.all(tasks.map((t) => t.read()));
  const total = tasks.reduce((a, t) => a + t.n, 0);
  const resumed = tasks.reduce((a, t, i) => a + (results[i] ? t.n : 0), 0);
  const progress = createProgress({ label, total, plainIntervalMs: 10_000 });
  const t0 = performance.now();
  let done = resumed;
  let shown = 0;
  try {
    if (resumed) progress.log(`${label}: ${tasks.filter((_, i) => results[i]).length} of ${tasks.length} shard(s) already done (${resumed} image(s)): resuming`);
    try {
      for (const [i, t] of tasks.entries()) if (!results[i]) await ensureJob(queue, t.job);
    } catch (err) {
      lost(redis, err);
    }
    const advance = (to: number, status: string) => {
      progress.tick(Math.max(0, to - shown), status);
      shown = Math.max(shown, to);
    };
    advance(resumed, '');
    while (results.some((r) => r === null)) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      let inFlight = 0;
      let workers = 0;
      try {
        for (const [i, t] of tasks.entries()) {
          if (results[i]) continue;
          const state = await queue.getJobState(t.job.key);
          if (state === 'completed' || state === 'unknown') {
            results[i] = await t.read();
            if (results[i]) done += t.n;
            else if (state === 'unknown') await ensureJob(queue, t.job);
            else throw new FleetError('shard-missing', `${label} shard ${t.job.shard} is done but ${t.path} is not there: do the workers write to the same file system as this machine?`);
          } else if (state === 'failed') {
            const job = await queue.getJob(t.job.key);
            throw new FleetError('shard-failed', `${label} shard ${t.job.shard} failed after ${job?.attemptsMade ?? '?'} attempt(s): ${(job?.failedReason ?? 'no reason given').split('\n')[0]} (job ${t.job.key} is kept in the failed set of queue ${queue.name})`);
          }
        }
        for (const j of await queue.getActive()) {
          const p = j.progress as { done?: number } | undefined;
          if (p && typeof p.done === 'number') inFlight += p.done;
        }
        workers = (await queue.getWorkers()).length;
      } catch (err) {
        lost(redis, err);
      }
      const seconds = (performance.now() - t0) / 1000;
      const rate = (done - resumed + inFlight) / Math.max(seconds, 1e-3);
      advance(Math.min(total, done + inFlight), `${rate.toFixed(1)} img/s, ${workers} worker(s)`);
    }
    progress.log(`${label}: ${total - resumed} image(s) in ${((performance.now() - t0) / 1000).toFixed(1)} s on the fleet${resumed ? ` (+${resumed} resumed)` : ''}`);
    return results as T[];
  } finally {
    progress.done();
  }
}
