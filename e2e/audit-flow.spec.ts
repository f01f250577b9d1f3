import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { AuditorPage, expect, test } from './fixtures/app';

// The whole flow on a small demo: SwiftShader is slow, so 24 images, 32×32 heatmaps, one detector.
test('demo → detector trains by itself → labels re-rank without "train" → label next → CSV → reload → project file', async ({ app, page, browser }, testInfo) => {
  await app.open();
  await expect(app.badge).toHaveText(testInfo.project.name === 'webgpu' ? 'webgpu' : 'webgl');
  await page.getByTestId('ensemble').fill('1');
  await app.loadDemo(24);

  // Heatmaps are drawn (ImageData on a 2-D canvas): the screenshot of one is not blank.
  const first = app.cards.first();
  await expect(first.getByTestId('heatmap-canvas')).toBeVisible();
  expect(await app.heatmapSpread(first)).toBeGreaterThan(2);

  // No click on "train": the detector trains once the demo is explained, on wasm (the GPU here is SwiftShader).
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'done', { timeout: 150_000 });
  await expect(page.getByTestId('detector-backend')).toHaveText('on wasm');
  await expect(app.cards.first()).not.toHaveAttribute('data-score', '');
  const trained = await app.scores();
  const sorted = (o: string[], s: Record<string, string>) => o.every((id, i) => i === 0 || Number(s[o[i - 1]]) >= Number(s[id]));
  const before = await app.order();
  expect(sorted(before, trained)).toBe(true);

  // Keyboard labeling: j focuses the first card; a/n label it and move on; u undoes.
  await page.keyboard.press('j');
  await page.keyboard.press('a'); // card 0 anomalous, focus → 1
  await page.keyboard.press('n'); // card 1 normal, focus → 2
  await page.keyboard.press('n'); // card 2 normal, focus → 3
  await page.keyboard.press('a'); // card 3 anomalous …
  await page.keyboard.press('u'); // … undone
  let labels = await app.labels();
  expect([labels[before[0]], labels[before[1]], labels[before[2]], labels[before[3]]]).toEqual(['anomalous', 'normal', 'normal', '']);

  // The ranking moves without a click on "train": the immediate re-rank, then the background update.
  await expect.poll(async () => {
    const s = await app.scores();
    return Object.keys(s).filter((id) => s[id] !== trained[id]).length;
  }, { timeout: 60_000 }).toBeGreaterThan(12);
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-updating', 'false', { timeout: 60_000 });
  const tuned = await app.scores();
  expect(sorted(await app.order(), tuned)).toBe(true);

  // A labeled-normal image shows its label, never the detector's flag.
  const normal = app.card(before[1]);
  await expect(normal).toHaveAttribute('data-label', 'normal');
  await expect(normal.getByTitle('flagged for review')).toHaveCount(0);
  await expect(normal.locator('.your-label')).toHaveText('normal');

  // The agreement on held-out labels, in words.
  await expect(page.getByTestId('agreement')).toContainText(/Of your 1 anomalous label, the detector ranks [01] inside the review budget when it has not seen it; of your 2 normal labels, it keeps [012] outside\./, { timeout: 60_000 });

  // "s": the label-next queue, its first image focused; labeling it moves on within the queue.
  await page.keyboard.press('s');
  await expect(page.getByTestId('filter')).toHaveValue('next');
  const queue = await app.order();
  expect(queue.length).toBeGreaterThan(0);
  expect(queue.every((id) => !labels[id])).toBe(true);
  await page.keyboard.press('n');
  // The labeled image leaves the queue (it only holds unlabeled images).
  await expect(app.card(queue[0])).toHaveCount(0);
  await page.getByTestId('filter').selectOption('all');
  await expect.poll(async () => (await app.labels())[queue[0]]).toBe('normal');

  // Export CSV holds the labels.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const csv = Papa.parse<Record<string, string>>(readFileSync(await download.path(), 'utf8'), { header: true, skipEmptyLines: true });
  expect(csv.meta.fields).toEqual(['id', 'predicted', 'target', 'score', 'label', 'flagged', 'faithfulness']);
  labels = await app.labels();
  const csvLabels = Object.fromEntries(csv.data.map((r) => [r.id, r.label]));
  expect(csv.data).toHaveLength(24);
  for (const [id, l] of Object.entries(labels)) expect(csvLabels[id]).toBe(l);
  expect(Object.values(csvLabels).filter(Boolean).length).toBe(4);

  // The JSON report has the CLI's report.json schema.
  const [rep] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()]);
  const report = JSON.parse(readFileSync(await rep.path(), 'utf8'));
  for (const k of ['n_images', 'n_evaluated', 'n_labeled', 'budget', 'flagged_fraction', 'threshold', 'accuracy_before', 'accuracy_after', 'per_class', 'detectors', 'flagged_ids', 'agreement', 'settings']) expect(report).toHaveProperty(k);
  expect(report.n_labeled).toBe(4);
  expect(report.n_evaluated).toBe(20);

  // Reload: images, labels and scores come back from IndexedDB (and the detector, updated with the labels again).
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-updating', 'false', { timeout: 60_000 });
  await page.waitForTimeout(800); // the debounced save
  const settled = await app.scores();
  await page.reload();
  await expect(app.cards).toHaveCount(24);
  expect(await app.labels()).toEqual(labels);
  // The saved ranking shows at once; the restored detector (bases + the same bounded update) gives it again.
  let restored = await app.scores();
  for (const id of Object.keys(restored)) expect(Number(restored[id])).toBeCloseTo(Number(settled[id]), 4);
  await expect(page.getByTestId('live-status')).toHaveText('Ranking up to date.', { timeout: 60_000 });
  restored = await app.scores();
  for (const id of Object.keys(restored)) expect(Number(restored[id])).toBeCloseTo(Number(settled[id]), 4);
  expect(await app.heatmapSpread(app.cards.first())).toBeGreaterThan(2);

  // Export the project file and open it in a fresh browser profile: same images, labels and scores.
  const [project] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-project').click()]);
  // The same file cut in half is refused whole, in one message, and this session is untouched.
  const zip = readFileSync(await project.path());
  const orderBefore = await app.order();
  await page.getByTestId('import-project').setInputFiles({ name: 'half.zip', mimeType: 'application/zip', buffer: zip.subarray(0, zip.length >> 1) });
  await expect(page.getByTestId('error')).toContainText('Could not open half.zip');
  await expect(app.cards).toHaveCount(24);
  expect(await app.labels()).toEqual(labels);
  expect(await app.order()).toEqual(orderBefore);
  const context = await browser.newContext({ viewport: { width: 1500, height: 1100 } });
  try {
    const other = new AuditorPage(await context.newPage());
    await other.open();
    await other.page.getByTestId('import-project').setInputFiles({ name: 'apexp-project.zip', mimeType: 'application/zip', buffer: readFileSync(await project.path()) });
    await expect(other.cards).toHaveCount(24);
    expect(await other.labels()).toEqual(labels);
    await expect(other.page.getByTestId('live-status')).toHaveText('Ranking up to date.', { timeout: 60_000 });
    const imported = await other.scores();
    for (const id of Object.keys(imported)) expect(Number(imported[id])).toBeCloseTo(Number(settled[id]), 4);
    expect(await other.heatmapSpread(other.cards.first())).toBeGreaterThan(2);
  } finally {
    await context.close();
  }
});
