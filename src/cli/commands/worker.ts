import type { Command } from 'commander';
import { int } from '../cli-options';
import { CliError } from '../errors';
import { DEFAULT_QUEUE, queueName, redisUrl } from '../fleet/connection';

/** Registers `apexp worker`: a long-running process that explains and scores shards from a Redis queue (BullMQ). */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('take explain and score jobs of `apexp audit --redis` off a Redis queue (BullMQ) until SIGTERM; images, models and the shard directory must be at the same paths on every machine')
    .option('--redis <url>', 'Redis URL, e.g. redis://127.0.0.1:6379')
    .option('--queue <name>', 'queue name (the coordinator\'s --queue)', DEFAULT_QUEUE)
    .option('--concurrency <n>', 'jobs held at once (image decoding overlaps; Grad-CAM runs one batch at a time per process: run one worker per core instead)', '1')
    .option('--lock-duration <ms>', 'how long a job\'s lock lasts without renewal: a killed worker\'s shard goes to another worker after about this long', '30000')
    .option('--max-jobs <n>', 'exit after this many jobs (default: run until SIGTERM)')
    .action(async (raw: { redis?: string; queue: string; concurrency: string; lockDuration: string; maxJobs?: string }) => {
      if (!raw.redis) throw new CliError('--redis URL is required');
      const o = {
        redis: redisUrl(raw.redis),
        queue: queueName(raw.queue),
        concurrency: int('concurrency', raw.concurrency, 1, 64) as number,
        lockDuration: int('lock-duration', raw.lockDuration, 1000, 3_600_000) as number,
        maxJobs: int('max-jobs', raw.maxJobs, 1),
      };
      const { runWorker } = await import('../fleet/worker-run');
      await runWorker(o);
    });
}
