/**
 * The body of `apexp worker`, loaded lazily: a long-running BullMQ worker that takes explain and score
 * jobs off the queue (shard-jobs.ts does the work). Killed with SIGKILL, its job's lock runs out and
 * BullMQ's stalled-job check hands the shard to another worker; on SIGTERM or SIGINT it stops taking
 * jobs, finishes the ones it holds and exits (a second signal stops at once: the held jobs then return
 * to the queue when their locks run out).
 */
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { CliError } from '../errors';
import { checkRedis, connectionOptions, shownUrl } from './connection';
import { FleetError } from './errors';
import { parseJob } from './job-schema';
import { ShardRunner } from './shard-jobs';

/** Options of `apexp worker`. */
export interface WorkerOptions {
  redis: string;
  queue: string;
  /** Jobs held at once (decoding overlaps; tensor work runs one job at a time). */
  concurrency: number;
  /** ms a job's lock lasts without renewal: a killed worker's shard is retried after about this long. */
  lockDuration: number;
  /** Exit after this many jobs (tests, benchmarks); default never. */
  maxJobs?: number;
}

/** Where the worker logs: one line per job to stderr. */
function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Runs a worker until SIGTERM/SIGINT (or `maxJobs`). Resolves with the number of jobs it completed.
 * @throws FleetError when Redis cannot be reached at start
 */
export async function runWorker(o: WorkerOptions): Promise<number> {
  await checkRedis(o.redis);
  const runner = new ShardRunner();
  const name = `${hostname()}:${process.pid}`;
  let completed = 0;
  const processor = async (job: Job) => {
    let payload;
    try {
      payload = parseJob(job.data);
    } catch (err) {
      // A payload this worker cannot read will not become readable on retry.
      throw new UnrecoverableError((err as Error).message);
    }
    const t0 = performance.now();
    try {
      if (payload.kind === 'explain') {
        const r = await runner.explain(payload, (done, total) => job.updateProgress({ done, total }).catch(() => undefined));
        log(`${name}: explain shard ${payload.shard} (${r.n} image(s)${r.skipped ? `, skipped ${r.skipped}` : ''})${r.cached ? ' already done' : ''} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        return r;
      }
      const r = await runner.score(payload);
      log(`${name}: score shard ${payload.shard} (${r.n} image(s))${r.cached ? ' already done' : ''} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return r;
    } catch (err) {
      const message = ((err as Error)?.message ?? String(err)).split('\n')[0];
      log(`${name}: ${payload.kind} shard ${payload.shard} failed: ${message}`);
      // A bad model or a bad flag fails on every worker: do not retry it; I/O hiccups are retried.
      if (err instanceof CliError && !(err instanceof FleetError && err.code === 'shard-missing')) throw new UnrecoverableError(message);
      throw err;
    }
  };
  const worker = new Worker(o.queue, processor, {
    connection: connectionOptions(o.redis, 'worker'),
    concurrency: o.concurrency,
    lockDuration: o.lockDuration,
    stalledInterval: o.lockDuration,
    maxStalledCount: 3,
    name,
    autorun: false,
  });
  worker.on('error', (err) => log(`${name}: redis: ${err.message.split('\n')[0]}`));
  const stopped = new Promise<void>((resolve) => {
    let signals = 0;
    const stop = () => {
      signals++;
      if (signals === 1) log(`${name}: stopping: finishing the job(s) in hand (signal again to stop now)`);
      void worker.close(signals > 1).then(resolve, resolve);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    worker.on('completed', () => {
      completed++;
      if (o.maxJobs !== undefined && completed >= o.maxJobs) void worker.close().then(resolve, resolve);
    });
  });
  log(`${name}: waiting for jobs on queue ${o.queue} at ${shownUrl(o.redis)} (concurrency ${o.concurrency})`);
  void worker.run().catch((err: Error) => log(`${name}: ${err.message}`));
  try {
    await stopped;
  } finally {
    runner.dispose();
  }
  log(`${name}: stopped after ${completed} job(s)`);
  return completed;
}
