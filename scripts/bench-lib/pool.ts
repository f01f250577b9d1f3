/**
 * A small process pool for the audit benchmark. The wasm backend runs on one thread, so the
 * benchmark's (seed, classifier) jobs, which share nothing, run in separate Node processes, one per
 * core. Each child is this same script, forked with the parent's exec arguments (tsx's loader) and
 * its job as JSON in {@link JOB_ENV}; it answers with one IPC message and exits. A job's result does
 * not depend on which process ran it or on what ran before it there (every random stream is seeded
 * per job), so a pooled run prints the same numbers as `--jobs 1`.
 */
import { fork } from 'node:child_process';

/** Environment variable that carries a child's job (JSON). */
export const JOB_ENV = 'APEXP_AUDIT_JOB';

type Answer<R> = { ok: true; result: R } | { ok: false; error: string };

/** How {@link runPool} runs its jobs. */
export interface PoolOptions<J, R> {
  /** Most jobs at once (≥ 1); 1 runs them in this process, one after the other. */
  parallel: number;
  /** The script each child runs; it must call {@link serveJob} first. */
  script: string;
  /** Node options of the children (default: this process's, which carry tsx's loader). */
  execArgv?: string[];
  /** Runs one job in this process (parallel = 1). */
  run: (job: J) => Promise<R>;
  /** A job's name in error messages. */
  name: (job: J) => string;
  /** Called with each result as it arrives (in completion order), e.g. to log progress. */
  onResult?: (result: R, job: J) => void;
}

/**
 * Runs `jobs` in at most `parallel` child processes of `script` (results in job order). Rejects with
 * the first failed job's error (its message names the job) and kills the children still running.
 */
export async function runPool<J, R>(jobs: readonly J[], opts: PoolOptions<J, R>): Promise<R[]> {
  const { parallel, script, run, name } = opts;
  const results: R[] = new Array(jobs.length);
  if (parallel <= 1) {
    for (let i = 0; i < jobs.length; i++) {
      results[i] = await run(jobs[i]);
      opts.onResult?.(results[i], jobs[i]);
    }
    return results;
  }
  const children = new Set<ReturnType<typeof fork>>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await new Promise<R>((resolve, reject) => {
        const child = fork(script, [], { execArgv: opts.execArgv ?? process.execArgv, env: { ...process.env, [JOB_ENV]: JSON.stringify(jobs[i]) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        children.add(child);
        let answer: Answer<R> | null = null;
        child.on('message', (m) => void (answer = m as Answer<R>));
        child.on('error', reject);
        // 'close' (not 'exit') comes after the IPC channel has delivered every message.
        child.on('close', (code, signal) => {
          children.delete(child);
          if (answer?.ok) resolve(answer.result);
          else reject(new Error(`job ${name(jobs[i])}: ${answer ? answer.error : `child exited with ${signal ?? `code ${code}`} before answering`}`));
        });
      });
      opts.onResult?.(results[i], jobs[i]);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
  } finally {
    for (const c of children) c.kill();
  }
  return results;
}

/**
 * Child side: when this process was forked with a job, runs it, answers the parent and returns true
 * (the caller should then do nothing else); otherwise returns false.
 */
export async function serveJob<J, R>(run: (job: J) => Promise<R>): Promise<boolean> {
  const raw = process.env[JOB_ENV];
  if (raw === undefined || !process.send) return false;
  let answer: Answer<R>;
  try {
    answer = { ok: true, result: await run(JSON.parse(raw) as J) };
  } catch (err) {
    answer = { ok: false, error: (err as Error).stack ?? String(err) };
  }
  await new Promise<void>((resolve) => process.send?.(answer, () => resolve()));
  // tfjs' wasm module keeps handles open; the answer is sent, so leave now.
  process.exit(answer.ok ? 0 : 1);
}
