import cliProgress from 'cli-progress';

/** Where progress goes: `process.stderr` by default; anything with `write` (tests pass a recorder). */
export interface ProgressStream {
  write(chunk: string): unknown;
  /** true → an animated bar with ETA; false/absent → plain lines (logs, CI, pipes). */
  isTTY?: boolean;
  columns?: number;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Short name of the stage, shown before the bar and in plain lines, e.g. `pretrain`, `explain`. */
  label: string;
  /** Number of units (batches, images) in the stage; > 0. */
  total: number;
  /** Defaults to `process.stderr`. */
  stream?: ProgressStream;
  /**
   * Plain (non-TTY) mode only: print a `label done/total` line at most this often, in ms, so a long
   * stage shows signs of life in a log. Default 30 000; `Infinity` = only the lines given to `log`.
   */
  plainIntervalMs?: number;
  /** Clock in ms (injectable for tests). Default `performance.now`. */
  now?: () => number;
}

/** A progress reporter for one stage of a CLI command. Always call `done()` (in a `finally`). */
export interface Progress {
  /** Advances by `n` units (default 1); `status` (e.g. `loss 0.1234`) is shown after the bar. */
  tick(n?: number, status?: string): void;
  /** Prints one line (no newline needed) without breaking the bar, e.g. `epoch 3/20 loss 0.1234 (12.3 s)`. */
  log(line: string): void;
  /** Stops the bar (leaving its final state on screen) and flushes pending lines. Idempotent. */
  done(): void;
}

/** Formats seconds as `12.3 s`, `4 min 05 s` or `1 h 02 min` for ETA and elapsed-time displays. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * Creates the progress reporter every `apexp` command uses on stderr: an animated bar with ETA when
 * the stream is a TTY (cli-progress), plain lines otherwise, so that logs and pipes stay readable.
 * stdout is never touched: it carries the commands' machine-readable output.
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const total = Math.max(1, Math.floor(options.total));
  return stream.isTTY === true ? ttyProgress(options.label, total, stream, now) : plainProgress(options, total, stream, now);
}

function plainProgress(options: ProgressOptions, total: number, stream: ProgressStream, now: () => number): Progress {
  const interval = options.plainIntervalMs ?? 30_000;
  const start = now();
  let lastPrint = start;
  let done = 0;
  let finished = false;
  return {
    tick(n = 1, status) {
      if (finished) return;
      done = Math.min(total, done + n);
      const t = now();
      if (t - lastPrint < interval) return;
      lastPrint = t;
      const elapsed = (t - start) / 1000;
      const eta = done > 0 ? (elapsed * (total - done)) / done : NaN;
      const pct = ((100 * done) / total).toFixed(0);
      const tail = status ? ` ${status}` : '';
      stream.write(`${options.label} ${done}/${total} (${pct}%, ${formatDuration(elapsed)}, eta ${formatDuration(eta)})${tail}\n`);
    },
    log(line) {
      stream.write(`${line}\n`);
    },
    done() {
      finished = true;
    },
  };
}

function ttyProgress(label: string, total: number, stream: ProgressStream, now: () => number): Progress {
  const multi = new cliProgress.MultiBar(
    {
      stream: stream as NodeJS.WritableStream,
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted} | {status}`,
      hideCursor: false,
      clearOnComplete: false,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = multi.create(total, 0, { status: '' });
  let finished = false;
  let lastDraw = now();
  // Training runs on the main thread and may not yield to timers between batches, so redraw
  // ourselves (throttled) instead of relying only on cli-progress's setTimeout loop.
  const redraw = (force: boolean): void => {
    const t = now();
    if (force || t - lastDraw >= 200) {
      lastDraw = t;
      multi.update();
    }
  };
  return {
    tick(n = 1, status) {
      if (finished) return;
      bar.increment(n, status === undefined ? {} : { status });
      redraw(false);
    },
    log(line) {
      if (finished) {
        stream.write(`${line}\n`);
        return;
      }
      multi.log(`${line}\n`);
      redraw(true);
    },
    done() {
      if (finished) return;
      finished = true;
      multi.update();
      multi.stop();
    },
  };
}
