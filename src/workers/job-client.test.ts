import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createJobClient, WorkerJobError } from './job-client';

type Req = { type: 'work'; id: number };
type Reply = { type: 'result'; id: number };

/** A stand-in Worker: records posts and terminate, and lets the test raise an uncaught error in it. */
class FakeWorker {
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  posted: unknown[] = [];
  terminated = false;
  postMessage(msg: unknown): void {
    this.posted.push(msg);
  }
  terminate(): void {
    this.terminated = true;
  }
  crash(message: string): void {
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }
}

describe('createJobClient: a worker that dies', () => {
  let made: FakeWorker[];
  const client = () => createJobClient<Req, Reply>(() => {
    const w = new FakeWorker();
    made.push(w);
    return w as unknown as Worker;
  }, 'test-crash', 'test worker');

  beforeEach(() => {
    made = [];
    vi.stubGlobal('Worker', FakeWorker);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('rejects every pending job with the crash code, ends the worker, tells the listeners, and starts a new one next', async () => {
    const c = client();
    const crashes: WorkerJobError[] = [];
    c.onCrash((e) => crashes.push(e));
    const a = c.runJob({ type: 'work' });
    const b = c.runJob({ type: 'work' });
    made[0].crash('out of memory');
    await expect(a.done).rejects.toMatchObject({ name: 'WorkerCrashError', code: 'test-crash', message: 'out of memory' });
    await expect(b.done).rejects.toBeInstanceOf(WorkerJobError);
    expect(made[0].terminated).toBe(true);
    expect(crashes.map((e) => e.message)).toEqual(['out of memory']);
    c.runJob({ type: 'work' });
    expect(made).toHaveLength(2);
    // The dead worker's late error is not a second death.
    made[0].crash('late');
    expect(crashes).toHaveLength(1);
  });

  it('terminate from the page is a death too; with no worker it does nothing', async () => {
    const c = client();
    const crashes: string[] = [];
    c.onCrash((e) => crashes.push(e.message));
    c.terminate('nothing running');
    expect(crashes).toEqual([]);
    const a = c.runJob({ type: 'work' });
    c.terminate('killed');
    await expect(a.done).rejects.toMatchObject({ code: 'test-crash', message: 'killed' });
    expect(crashes).toEqual(['killed']);
  });
});
