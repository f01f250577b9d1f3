import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { AuditorPage, expect, test } from './fixtures/app';

// The whole flow on a small demo: SwiftShader is slow, so 24 images, 32×32 heatmaps, 1 epoch.
test('demo → heatmaps → keyboard labels → train → re-rank → CSV → reload restores', async ({ app, page, browser }, testInfo) => {
  await app.open();
  await expect(app.badge).toHaveText(testInfo.project.name === 'webgpu' ? 'webgpu' : 'webgl');
  await app.loadDemo(24);

  // Heatmaps are drawn (ImageData on a 2-D canvas): the screenshot of one is not blank.
  const first = app.cards.first();
  await expect(first.getByTestId('heatmap-canvas')).toBeVisible();
  expect(await app.heatmapSpread(first)).toBeGreaterThan(2);

  // Keyboard labeling: j focuses the first card; a/n label it and move on; u undoes.
  const before = await app.order();
  await page.keyboard.press('j');
  await page.keyboard.press('a'); // card 0 anomalous, focus → 1
  await page.keyboard.press('n'); // card 1 normal, focus → 2
  await page.keyboard.press('n'); // card 2 normal, focus → 3
  await page.keyboard.press('a'); // card 3 anomalous …
  await page.keyboard.press('u'); // … undone
  let labels = await app.labels();
  expect([labels[before[0]], labels[before[1]], labels[before[2]], labels[before[3]]]).toEqual(['anomalous', 'normal', 'normal', '']);

  // Train one epoch; every card gets a score and the gallery is ordered by it.
  await page.getByLabel('Epochs').fill('1');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'done', { timeout: 150_000 });
  await expect(app.cards.first()).not.toHaveAttribute('data-score', '');
  const trained = await app.scores();
  const orderTrained = await app.order();
  expect(orderTrained).not.toEqual(before);
  const sorted = (o: string[], s: Record<string, string>) => o.every((id, i) => i === 0 || Number(s[o[i - 1]]) >= Number(s[id]));
  expect(sorted(orderTrained, trained)).toBe(true);

  // New labels with the buttons (click selects): the detector fine-tunes and every score changes.
  const unlabeled = orderTrained.filter((id) => !labels[id]);
  await app.card(unlabeled[0]).click();
  await page.getByTestId('label-anomalous').click();
  await app.card(unlabeled[unlabeled.length - 1]).click();
  await page.getByTestId('label-normal').click();
  await expect
    .poll(async () => {
      const s = await app.scores();
      return Object.keys(s).filter((id) => s[id] !== trained[id]).length;
    }, { timeout: 120_000 })
    .toBeGreaterThan(12);
  const tuned = await app.scores();
  expect(sorted(await app.order(), tuned)).toBe(true);

  // Export CSV holds the labels.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const csv = Papa.parse<Record<string, string>>(readFileSync(await download.path(), 'utf8'), { header: true, skipEmptyLines: true });
  expect(csv.meta.fields).toEqual(['id', 'predicted', 'target', 'score', 'label', 'flagged', 'faithfulness']);
  labels = await app.labels();
  const csvLabels = Object.fromEntries(csv.data.map((r) => [r.id, r.label]));
  expect(csv.data).toHaveLength(24);
  for (const [id, l] of Object.entries(labels)) expect(csvLabels[id]).toBe(l);
  expect(Object.values(csvLabels).filter(Boolean).length).toBe(5);

  // Reload: images, labels and scores come back from IndexedDB.
  await page.waitForTimeout(800); // the debounced save
  await page.reload();
  await expect(app.cards).toHaveCount(24);
  expect(await app.labels()).toEqual(labels);
  const restored = await app.scores();
  for (const id of Object.keys(restored)) expect(Number(restored[id])).toBeCloseTo(Number(tuned[id]), 5);
  expect(await app.heatmapSpread(app.cards.first())).toBeGreaterThan(2);

  // Export the project file and open it in a fresh browser profile: same images, labels and scores.
  const [project] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-project').click()]);
  const context = await browser.newContext({ viewport: { width: 1500, height: 1100 } });
  try {
    const other = new AuditorPage(await context.newPage());
    await other.open();
    await other.page.getByTestId('import-project').setInputFiles({ name: 'apexp-project.zip', mimeType: 'application/zip', buffer: readFileSync(await project.path()) });
    await expect(other.cards).toHaveCount(24);
    expect(await other.labels()).toEqual(labels);
    const imported = await other.scores();
    for (const id of Object.keys(imported)) expect(Number(imported[id])).toBeCloseTo(Number(tuned[id]), 5);
    expect(await other.heatmapSpread(other.cards.first())).toBeGreaterThan(2);
  } finally {
    await context.close();
  }
});
