/**
 * `npm run bench:app`: drives the BUILT app (`npm run build` first) in the system Chromium, once per
 * backend (webgpu through the SwiftShader adapter with --enable-unsafe-webgpu, webgl without it), and
 * reports per backend and per demo size:
 *   - demo ingest images/s: generation + thumbnail + Grad-CAM + deletion faithfulness, in the worker;
 *   - re-explain images/s: "Explain again" (regeneration + Grad-CAM + faithfulness) on the same set;
 *   - Deep SAD: the training that starts by itself after the demo, and a full retraining from scratch
 *     (default settings) timed on its own: the baseline of the live update;
 *   - label → re-ranked latency (p50, p95 over --labels labels of the top unlabeled image): to the
 *     immediate re-rank the detector worker answers with, and to the end of its bounded update;
 *   - peak JS heap of the page (performance.memory, sampled every 250 ms; the worker's heap is not included);
 *   - the longest main-thread task seen during the run (PerformanceObserver 'longtask', page load excluded).
 * Not a timed test: numbers go to stdout as JSON lines and to bench-results/app.json.
 *
 * Every main-thread task over 50 ms after page load is also kept with the phase it fell in (ingest,
 * train, label), so a long task can be attributed.
 *
 * `--model fixture` serves the e2e fixture classifier (32×32×3, two 8-filter convs; written by
 * e2e/fixtures/make-fixtures.ts) in place of both bundled classifiers. The main thread's work per image
 * and Deep SAD on the 32×32 heatmaps do not depend on the classifier, so this measures the page and the
 * label → re-rank path at 10,000 images without hours of software-rendered Grad-CAM; ingest img/s then
 * says nothing about the bundled models.
 *
 *   npm run bench:app -- [--sizes 1000,10000] [--backends webgpu,webgl] [--labels 10] [--train-max N] [--model bundled|fixture] [--demo-size 64]
 *   npm run bench:app -- --rows-from LOG [--skip BACKEND:N:WHY …]   (rebuild app.json from the JSON lines a cut run printed)
 *
 * app.json is rewritten after every (size, backend) row, so a run cut short keeps what it measured.
 *
 * Writes bench-results/app.json: { backends: { webgl|webgpu: { label_to_rerank_ms: { N: { p50, p95 } },
 * label_to_updated_ms, full_retrain_ms: { N }, peak_heap_mb, detector_backend } }, skipped, rows }.
 */
import { chromium, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    backends: { type: 'string', default: 'webgpu,webgl' },
    /** Labels timed per size and backend. */
    labels: { type: 'string', default: '10' },
    port: { type: 'string', default: '4173' },
    /** Sizes above this skip training and the label latency (software rendering makes them take hours). */
    'train-max': { type: 'string', default: '100000' },
    model: { type: 'string', default: 'bundled' },
    /** Side of the generated demo images in px (the bundled classifiers take 64; thumbnails are 64 px either way). */
    'demo-size': { type: 'string', default: '64' },
    /** A file holding the JSON lines of an earlier run's stdout: only rebuild app.json from them. */
    'rows-from': { type: 'string' },
    /** With --rows-from: BACKEND:N:WHY for a size left out on purpose (said in app.json's skipped). */
    skip: { type: 'string', multiple: true, default: [] },
  },
});
const sizes = values.sizes.split(',').map(Number);
const backends = values.backends.split(',');
const labels = Number(values.labels);
const trainMax = Number(values['train-max']);
const demoSize = Number(values['demo-size']);
const base = `http://127.0.0.1:${values.port}/`;
const FIXTURE_MODEL = join(import.meta.dirname, '..', 'e2e', '.fixtures', 'model');
if (values.model !== 'bundled' && values.model !== 'fixture') throw new Error(`--model must be bundled or fixture, not ${values.model}`);

/** One main-thread task over 50 ms: when (ms since the bench started observing), how long, in which phase. */
interface LongTask {
  phase: string;
  at_ms: number;
  ms: number;
}

async function serverUp(): Promise<boolean> {
  try {
    return (await fetch(base)).ok;
  } catch {
    return false;
  }
}

async function startServer(): Promise<ChildProcess | null> {
  if (await serverUp()) return null;
  // vite itself, not through npx: killing npx would leave the server running on the port.
  const vite = join(import.meta.dirname, '..', 'node_modules', 'vite', 'bin', 'vite.js');
  const p = spawn(process.execPath, [vite, 'preview', '--port', values.port, '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore' });
  for (let i = 0; i < 60 && !(await serverUp()); i++) await new Promise((r) => setTimeout(r, 500));
  return p;
}

async function waitFor(page: Page, fn: string, timeoutMs: number, polling = 100): Promise<void> {
  await page.waitForFunction(fn, undefined, { timeout: timeoutMs, polling });
}

/** The p-th percentile (0–100) of `xs`, nearest rank. */
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

async function benchOne(backend: string, n: number): Promise<Record<string, unknown>> {
  const args = ['--no-sandbox', '--enable-unsafe-swiftshader', ...(backend === 'webgpu' ? ['--enable-unsafe-webgpu'] : []), '--enable-precise-memory-info'];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args });
  try {
    // bypassCSP: Playwright evaluates string predicates, which the app's CSP (rightly) forbids.
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    if (values.model === 'fixture') {
      await page.route(/\/models\/(vgg_small|resnet_small)\/[^/]+$/, (route) => {
        const file = new URL(route.request().url()).pathname.split('/').pop()!;
        const path = join(FIXTURE_MODEL, file);
        if (!existsSync(path)) return route.fulfill({ status: 404 });
        return route.fulfill({ body: readFileSync(path), contentType: file.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
      });
    }
    await page.goto(`${base}?e2e=1&backend=${backend}`);
    await waitFor(page, `window.__apexp && ['webgpu','webgl','cpu'].includes(window.__apexp.state().backend)`, 120_000);
    const active = await page.evaluate(() => window.__apexp!.state().backend);
    // A string, not a function: tsx would wrap inner functions in a __name helper the page lacks.
    await page.evaluate(`(() => {
      window.__peak = 0; window.__phase = 'ingest'; window.__tasks = [];
      const t0 = performance.now();
      setInterval(() => { window.__peak = Math.max(window.__peak, (performance.memory && performance.memory.usedJSHeapSize) || 0); }, 250);
      new PerformanceObserver((l) => l.getEntries().forEach((e) => {
        window.__tasks.push({ phase: window.__phase, at_ms: Math.round(e.startTime - t0), ms: Math.round(e.duration) });
      })).observe({ type: 'longtask' });
    })()`);
    const setPhase = (phase: string) => page.evaluate(`window.__phase = ${JSON.stringify(phase)}`);
    const collect = async () => {
      const r = (await page.evaluate(`({ peak: window.__peak, tasks: window.__tasks })`)) as { peak: number; tasks: LongTask[] };
      const byPhase: Record<string, number> = {};
      for (const t of r.tasks) byPhase[t.phase] = Math.max(byPhase[t.phase] ?? 0, t.ms);
      return {
        peak_js_heap_mb: +(r.peak / 2 ** 20).toFixed(1),
        longest_main_task_ms: Math.max(0, ...r.tasks.map((t) => t.ms)),
        longest_task_by_phase_ms: byPhase,
        tasks_over_200_ms: r.tasks.filter((t) => t.ms > 200),
      };
    };
    const t0 = Date.now();
    await page.evaluate(([k, size]) => window.__apexp!.loadDemo(k, undefined, size), [n, demoSize] as const);
    const ingestS = (Date.now() - t0) / 1000;
    const st = await page.evaluate(() => window.__apexp!.state());
    if (st.explained !== n) throw new Error(`only ${st.explained} of ${n} images were explained`);
    if (n > trainMax) return { backend, active, model: values.model, demo_size: demoSize, n, ingest_images_per_s: +(n / ingestS).toFixed(2), ...(await collect()) };
    // Deep SAD trains by itself once the demo is explained (on wasm where the GPU is SwiftShader): wait for it.
    await setPhase('train');
    await waitFor(page, `window.__apexp.state().trainStatus === 'done' && window.__apexp.state().scored === ${n}`, 3_600_000);
    const autoTrainS = (Date.now() - t0) / 1000 - ingestS;
    // A full retraining from scratch (the default settings): the baseline the live update is compared with.
    const t1 = Date.now();
    await page.evaluate(() => window.__apexp!.train());
    const fullRetrainMs = Date.now() - t1;
    const after = await page.evaluate(() => window.__apexp!.state());
    if (after.trainStatus !== 'done' || after.scored !== n) throw new Error(`training ended ${after.trainStatus} with ${after.scored} scores`);
    // Label → re-ranked: label the top unlabeled image (anomalous, then normal, alternating); time the
    // immediate re-rank (the first ranking that answers the label) and the end of the bounded update.
    await setPhase('label');
    const rerank: number[] = [];
    const updated: number[] = [];
    for (let rep = 0; rep < labels; rep++) {
      await waitFor(page, `!window.__apexp.state().updating`, 600_000);
      const v0 = await page.evaluate(() => window.__apexp!.state().scoresVersion);
      const id = (await page.evaluate(`(() => { const l = window.__apexp.labelsMap(); return Object.entries(window.__apexp.scores()).filter(([k]) => !l[k]).sort((a, b) => b[1] - a[1])[0][0]; })()`)) as string;
      const t2 = Date.now();
      await page.evaluate(([x, kind]) => window.__apexp!.label([x], kind), [id, rep % 2 ? 'normal' : 'anomalous'] as const);
      await waitFor(page, `window.__apexp.state().scoresVersion > ${v0} && window.__apexp.state().rankedBy === 'labels'`, 600_000, 10);
      rerank.push(Date.now() - t2);
      await waitFor(page, `!window.__apexp.state().updating && window.__apexp.state().rankedBy === 'update'`, 600_000, 20);
      updated.push(Date.now() - t2);
    }
    const detectorBackend = (await page.evaluate(() => window.__apexp!.state())).detectorBackend;
    return {
      backend,
      active,
      detector_backend: detectorBackend,
      model: values.model,
      demo_size: demoSize,
      n,
      ingest_images_per_s: +(n / ingestS).toFixed(2),
      auto_train_s: +autoTrainS.toFixed(1),
      full_retrain_ms: fullRetrainMs,
      label_to_rerank_ms: rerank,
      label_to_updated_ms: updated,
      ...(await collect()),
    };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  if (values['rows-from']) {
    const rows = readFileSync(values['rows-from'], 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{"backend"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const s of values.skip as string[]) {
      const [backend, n, ...why] = s.split(':');
      rows.push({ backend, n: Number(n), error: why.join(':') });
    }
    return writeResults(rows);
  }
  const server = await startServer();
  const rows: Record<string, unknown>[] = [];
  try {
    for (const n of sizes) {
      for (const b of backends) {
        const row = await benchOne(b, n).catch((err: Error) => ({ backend: b, n, error: err.message }));
        rows.push(row);
        console.log(JSON.stringify(row));
        writeResults(rows);
      }
    }
  } finally {
    server?.kill();
  }
}

/** bench-results/app.json from the rows so far. */
function writeResults(rows: Record<string, unknown>[]): void {
  mkdirSync('bench-results', { recursive: true });
  // The schema: per backend, label → re-ranked p50/p95 and a full retraining per size, and the peak heap.
  const backendsOut: Record<string, Record<string, unknown>> = {};
  for (const r of rows as Record<string, unknown>[]) {
    if (!Array.isArray(r.label_to_rerank_ms)) continue;
    const b = (backendsOut[r.backend as string] ??= { label_to_rerank_ms: {}, label_to_updated_ms: {}, full_retrain_ms: {}, peak_heap_mb: 0 });
    const lat = r.label_to_rerank_ms as number[];
    const upd = r.label_to_updated_ms as number[];
    (b.label_to_rerank_ms as Record<string, unknown>)[String(r.n)] = { p50: percentile(lat, 50), p95: percentile(lat, 95) };
    (b.label_to_updated_ms as Record<string, unknown>)[String(r.n)] = { p50: percentile(upd, 50), p95: percentile(upd, 95) };
    (b.full_retrain_ms as Record<string, unknown>)[String(r.n)] = r.full_retrain_ms;
    b.peak_heap_mb = Math.max(b.peak_heap_mb as number, r.peak_js_heap_mb as number);
    b.detector_backend = r.detector_backend;
  }
  const skipped = (rows as Record<string, unknown>[]).filter((r) => r.error).map((r) => ({ backend: r.backend, n: r.n, why: r.error }));
  writeFileSync('bench-results/app.json', `${JSON.stringify({ date: new Date().toISOString(), model: values.model, labels, backends: backendsOut, skipped, rows }, null, 2)}\n`);
}

void main();
