// Test-only: a Redis for the fleet tests. APEXP_TEST_REDIS (set by .ci/run) names one; otherwise a
// redis-server on a free loopback port is started here when the binary exists, and stopped after.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A Redis the tests may use, and how to let it go. */
export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

/** Whether a Redis can be had: the env var, or a redis-server binary on PATH. */
export function redisAvailable(): boolean {
  if (process.env.APEXP_TEST_REDIS) return true;
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Why the fleet tests are skipped, when they are. */
export const NO_REDIS = 'fleet tests skipped: set APEXP_TEST_REDIS=redis://127.0.0.1:PORT or install redis-server (apt-get install redis-server)';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The env's Redis, or a fresh redis-server on 127.0.0.1 without persistence. */
export async function startTestRedis(): Promise<TestRedis> {
  if (process.env.APEXP_TEST_REDIS) return { url: process.env.APEXP_TEST_REDIS, stop: async () => undefined };
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const { Redis } = await import('ioredis');
  for (let i = 0; ; i++) {
    const c = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    c.on('error', () => undefined);
    const ok = await c.connect().then(() => c.ping()).then(() => true, () => false);
    c.disconnect();
    if (ok) break;
    if (i > 50) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not come up on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
