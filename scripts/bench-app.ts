/**
 * `npm run bench:app`: drives the BUILT app (`npm run build` first) in the system Chromium, once per
 * backend (webgpu through the SwiftShader adapter with --enable-unsafe-webgpu, webgl without it), and
 * reports per backend and per demo size:
 *   - demo ingest images/s: generation + thumbnail + Grad-CAM + deletion faithfulness, in the worker;
 *   - re-explain images/s: "Explain again" (regeneration + Grad-CAM + faithfulness) on the same set;
 *   - ms per Deep SAD epoch (heatmap_LeNet on 32×32 maps, no pretraining);
 *   - label → re-ranked latency: one label to new scores in the store (includes the 400 ms debounce);
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
 *   npm run bench:app -- [--sizes 1000,10000] [--backends webgpu,webgl] [--epochs 2] [--train-max N] [--model bundled|fixture] [--demo-size 64]
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
    epochs: { type: 'string', default: '2' },
    port: { type: 'string', default: '4173' },
    /** Sizes above this skip training and the label latency (software rendering makes them take hours). */
    'train-max': { type: 'string', default: '100000' },
    model: { type: 'string', default: 'bundled' },
    /** Side of the generated demo images in px (the bundled classifiers take 64; thumbnails are 64 px either way). */
    'demo-size': { type: 'string', default: '64' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const backends = values.backends.split(',');
const epochs = Number(values.epochs);
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

async function waitFor(page: Page, fn: string, timeoutMs: number): Promise<void> {
  await page.waitForFunction(fn, undefined, { timeout: timeoutMs, polling: 100 });
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
    // Deep SAD: one training run of `epochs` epochs.
    await setPhase('train');
    const t1 = Date.now();
    await page.evaluate((e) => window.__apexp!.train({ trainSteps: e, aeSteps: 0, ensemble: 1 }), epochs);
    const trainS = (Date.now() - t1) / 1000;
    const after = await page.evaluate(() => window.__apexp!.state());
    if (after.trainStatus !== 'done' || after.scored !== n) throw new Error(`training ended ${after.trainStatus} with ${after.scored} scores`);
    // Label → re-ranked: label the top-scored image anomalous, wait for the next score set.
    await setPhase('label');
    const latencies: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const v0 = await page.evaluate(() => window.__apexp!.state().scoresVersion);
      const id = (await page.evaluate(`Object.entries(window.__apexp.scores()).sort((a, b) => b[1] - a[1])[${rep}][0]`)) as string;
      const t2 = Date.now();
      await page.evaluate((x) => window.__apexp!.label([x], 'anomalous'), id);
      await waitFor(page, `window.__apexp.state().scoresVersion > ${v0}`, 600_000);
      latencies.push(Date.now() - t2);
    }
    return {
      backend,
      active,
      model: values.model,
      demo_size: demoSize,
      n,
      ingest_images_per_s: +(n / ingestS).toFixed(2),
      deepsad_ms_per_epoch: Math.round((trainS * 1000) / epochs),
      label_to_rerank_ms: latencies,
      ...(await collect()),
    };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const server = await startServer();
  const rows: Record<string, unknown>[] = [];
  try {
    for (const n of sizes) {
      for (const b of backends) {
        const row = await benchOne(b, n).catch((err: Error) => ({ backend: b, n, error: err.message }));
        rows.push(row);
        console.log(JSON.stringify(row));
      }
    }
  } finally {
    server?.kill();
  }
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/app.json', JSON.stringify({ date: new Date().toISOString(), epochs, model: values.model, rows }, null, 2));
}

void main();
