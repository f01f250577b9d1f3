/** Reaching Redis: the URL flag, a fail-fast reachability check, and BullMQ's connection options. */
import { Redis } from 'ioredis';
import { FleetError } from './errors';

/** The queue both the coordinator and the workers use unless `--queue` names another. */
export const DEFAULT_QUEUE = 'apexp';

/**
 * Checks `--redis` is a redis:// or rediss:// URL. @throws FleetError('bad-redis-url')
 */
export function redisUrl(v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new FleetError('bad-redis-url', `--redis must be a URL like redis://127.0.0.1:6379, got '${v}'`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new FleetError('bad-redis-url', `--redis must start with redis:// or rediss://, got '${v}'`);
  return v;
}

/** `--queue`: a name BullMQ accepts in its keys. @throws FleetError('bad-redis-url') */
export function queueName(v: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(v)) throw new FleetError('bad-redis-url', `--queue must be 1–64 letters, digits, _ or -, got '${v}'`);
  return v;
}

/** The URL without its password, for messages. */
export function shownUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/**
 * BullMQ connection options for `url`. A worker needs `maxRetriesPerRequest: null` (its blocking
 * commands must wait out a Redis restart); the coordinator fails a request after a few tries instead.
 */
export function connectionOptions(url: string, role: 'worker' | 'coordinator') {
  return { url, maxRetriesPerRequest: role === 'worker' ? null : 3, connectTimeout: 5_000 };
}

/**
 * Pings Redis once with a short timeout, so an unreachable server is a one-line error before any job is
 * queued or any model loaded. @throws FleetError('redis-unreachable')
 */
export async function checkRedis(url: string, timeoutMs = 5_000): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // The socket's own error (ECONNREFUSED, ENOTFOUND) says more than connect()'s "Connection is closed".
  let first: NodeJS.ErrnoException | undefined;
  client.on('error', (err: NodeJS.ErrnoException) => (first ??= err));
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    const e = first ?? (err as NodeJS.ErrnoException);
    throw new FleetError('redis-unreachable', `cannot reach Redis at ${shownUrl(url)}: ${e.code ?? e.message.split('\n')[0]}`);
  } finally {
    client.disconnect();
  }
}
