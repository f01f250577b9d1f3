import { describe, expect, it } from 'vitest';
import { runCli } from '../commands/cli-fixtures';
import { checkRedis, queueName, redisUrl, shownUrl } from './connection';
import { FleetError } from './errors';

describe('reaching Redis', () => {
  it('takes redis:// and rediss:// URLs and refuses anything else in one line', () => {
    expect(redisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redisUrl('rediss://user:pw@host:6380/2')).toBe('rediss://user:pw@host:6380/2');
    expect(() => redisUrl('127.0.0.1:6379')).toThrow(/--redis must/);
    expect(() => redisUrl('http://127.0.0.1:6379')).toThrow(/redis:\/\/ or rediss:\/\//);
  });

  it('keeps passwords out of messages', () => {
    expect(shownUrl('redis://:secret@127.0.0.1:6379')).toBe('redis://:***@127.0.0.1:6379');
    expect(shownUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('takes queue names BullMQ can key', () => {
    expect(queueName('apexp-2')).toBe('apexp-2');
    expect(() => queueName('a:b')).toThrow(FleetError);
    expect(() => queueName('')).toThrow(FleetError);
  });

  it('names the socket error when nothing listens', async () => {
    const err = await checkRedis('redis://127.0.0.1:1', 2000).catch((e: unknown) => e);
    expect((err as FleetError).code).toBe('redis-unreachable');
    expect((err as Error).message).toBe('cannot reach Redis at redis://127.0.0.1:1: ECONNREFUSED');
  });
});

describe('apexp worker / audit --redis flags', () => {
  it('needs --redis, checks its values, and says so in one line with exit 2 (3 for an unreachable Redis)', async () => {
    const cases: [string[], number, RegExp][] = [
      [['worker'], 2, /^apexp: --redis URL is required$/],
      [['worker', '--redis', 'localhost'], 2, /--redis must be a URL/],
      [['worker', '--redis', 'redis://127.0.0.1:1', '--concurrency', '0'], 2, /--concurrency must be an integer in 1…64/],
      [['worker', '--redis', 'redis://127.0.0.1:1', '--lock-duration', '10'], 2, /--lock-duration must be an integer/],
      [['worker', '--redis', 'redis://127.0.0.1:1'], 3, /^apexp: cannot reach Redis at redis:\/\/127\.0\.0\.1:1: ECONNREFUSED$/],
      [['audit', '--heatmaps', 'x.npy', '--redis', 'redis://127.0.0.1:1', '--out', '/tmp/never'], 2, /--redis spreads the explain stage/],
      [['audit', '--model', 'm', '--images', 'i', '--redis', 'redis://127.0.0.1:1', '--shard-size', '0', '--out', '/tmp/never'], 2, /--shard-size must be an integer/],
    ];
    for (const [argv, code, message] of cases) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(code);
      expect(r.err.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.err.trim(), argv.join(' ')).toMatch(message);
    }
  });
});
