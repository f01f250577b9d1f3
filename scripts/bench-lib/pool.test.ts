import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPool } from './pool';

const child = fileURLToPath(new URL('./fixtures/pool-child.mjs', import.meta.url));
interface Job {
  x: number;
  wait?: number;
  fail?: boolean;
  silent?: boolean;
}
interface Answer {
  x: number;
  pid: number;
  square: number;
}
const opts = (parallel: number) => ({
  parallel,
  script: child,
  execArgv: [],
  run: async (j: Job): Promise<Answer> => ({ x: j.x, pid: process.pid, square: j.x * j.x }),
  name: (j: Job) => `job ${j.x}`,
});

describe('process pool', () => {
  it('runs every job in a child process and returns the answers in job order', async () => {
    // The first job finishes last, so answers arrive out of order.
    const jobs: Job[] = [{ x: 1, wait: 300 }, { x: 2 }, { x: 3 }, { x: 4, wait: 50 }];
    const out = await runPool(jobs, opts(2));
    expect(out.map((a) => a.square)).toEqual([1, 4, 9, 16]);
    expect(out.every((a) => a.pid !== process.pid)).toBe(true);
    expect(new Set(out.map((a) => a.pid)).size).toBe(4); // one child per job
  });

  it('reports each result as it arrives (completion order) through onResult', async () => {
    const seen: number[] = [];
    await runPool([{ x: 1, wait: 300 }, { x: 2 }], { ...opts(2), onResult: (a: Answer, j: Job) => void seen.push(a.x * 10 + j.x) });
    expect(seen).toEqual([22, 11]);
    const inProcess: number[] = [];
    await runPool([{ x: 3 }, { x: 4 }], { ...opts(1), onResult: (a: Answer) => void inProcess.push(a.square) });
    expect(inProcess).toEqual([9, 16]);
  });

  it('runs in this process with parallel = 1', async () => {
    const out = await runPool([{ x: 5 }], opts(1));
    expect(out).toEqual([{ x: 5, pid: process.pid, square: 25 }]);
  });

  it('rejects with the failing job named, and when a child exits without answering', async () => {
    await expect(runPool([{ x: 1 }, { x: 2, fail: true }], opts(2))).rejects.toThrow(/job 2: boom 2/);
    await expect(runPool([{ x: 7, silent: true }], opts(2))).rejects.toThrow(/job 7: child exited with code 3 before answering/);
  });
});
