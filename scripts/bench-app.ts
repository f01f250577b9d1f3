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
 *   npm run bench:app -- [--sizes 1000,10000] [--backends webgpu,webgl] [--epochs 2] [--train-max N]
 */
import { chromium, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    backends: { type: 'string', default: 'webgpu,webgl' },
    epochs: { type: 'string', default: '2' },
    port: { type: 'string', default: '4173' },
    /** Sizes above this skip training and the label latency (software rendering makes them take hours). */
    'train-max': { type: 'string', default: '100000' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const backends = values.backends.split(',');
const epochs = Number(values.epochs);
const trainMax = Number(values['train-max']);
const base = `http://127.0.0.1:${values.port}/`;

async function serverUp(): Promise<boolean> {
  try {
    return (await fetch(base)).ok;
  } catch {
    return false;
  }
}

async function startServer(): Promise<ChildProcess | null> {
  if (await serverUp()) return null;
  const p = spawn('npx', ['vite', 'preview', '--port', values.port, '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore' });
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
    await page.goto(`${base}?e2e=1&backend=${backend}`);
    await waitFor(page, `window.__apexp && ['webgpu','webgl','cpu'].includes(window.__apexp.state().backend)`, 120_000);
    const active = await page.evaluate(() => window.__apexp!.state().backend);
    // A string, not a function: tsx would wrap inner functions in a __name helper the page lacks.
    await page.evaluate(`(() => {
      window.__peak = 0; window.__longest = 0;
      setInterval(() => { window.__peak = Math.max(window.__peak, (performance.memory && performance.memory.usedJSHeapSize) || 0); }, 250);
      new PerformanceObserver((l) => l.getEntries().forEach((e) => { window.__longest = Math.max(window.__longest, e.duration); })).observe({ type: 'longtask' });
    })()`);
    const t0 = Date.now();
    await page.evaluate((k) => window.__apexp!.loadDemo(k), n);
    const ingestS = (Date.now() - t0) / 1000;
    const st = await page.evaluate(() => window.__apexp!.state());
    if (st.explained !== n) throw new Error(`only ${st.explained} of ${n} images were explained`);
    if (n > trainMax) {
      const { peak, longest } = (await page.evaluate(`({ peak: window.__peak, longest: window.__longest })`)) as { peak: number; longest: number };
      return { backend, active, n, ingest_images_per_s: +(n / ingestS).toFixed(2), peak_js_heap_mb: +(peak / 2 ** 20).toFixed(1), longest_main_task_ms: Math.round(longest) };
    }
    // Deep SAD: one training run of `epochs` epochs.
    const t1 = Date.now();
    await page.evaluate((e) => window.__apexp!.train({ nEpochs: e, pretrain: false }), epochs);
    const trainS = (Date.now() - t1) / 1000;
    const after = await page.evaluate(() => window.__apexp!.state());
    if (after.trainStatus !== 'done' || after.scored !== n) throw new Error(`training ended ${after.trainStatus} with ${after.scored} scores`);
    // Label → re-ranked: label the top-scored image anomalous, wait for the next score set.
    const latencies: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const v0 = await page.evaluate(() => window.__apexp!.state().scoresVersion);
      const id = (await page.evaluate(`Object.entries(window.__apexp.scores()).sort((a, b) => b[1] - a[1])[${rep}][0]`)) as string;
      const t2 = Date.now();
      await page.evaluate((x) => window.__apexp!.label([x], 'anomalous'), id);
      await waitFor(page, `window.__apexp.state().scoresVersion > ${v0}`, 600_000);
      latencies.push(Date.now() - t2);
    }
    const { peak, longest } = (await page.evaluate(`({ peak: window.__peak, longest: window.__longest })`)) as { peak: number; longest: number };
    return {
      backend,
      active,
      n,
      ingest_images_per_s: +(n / ingestS).toFixed(2),
      deepsad_ms_per_epoch: Math.round((trainS * 1000) / epochs),
      label_to_rerank_ms: latencies,
      peak_js_heap_mb: +(peak / 2 ** 20).toFixed(1),
      longest_main_task_ms: Math.round(longest),
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
  writeFileSync('bench-results/app.json', JSON.stringify({ date: new Date().toISOString(), epochs, rows }, null, 2));
}

void main();
