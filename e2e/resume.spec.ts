import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { expect, test } from './fixtures/app';

// A tab reloaded while a run explains: what was explained (and saved as it streamed) keeps its map and
// is not explained again; the run resumes with the rest; the labels given before the reload stay.
test('a reload mid-explain resumes the run where it stopped, labels kept', async ({ app, page }) => {
  // Software WebGPU on shared cores explains a few images a second: two runs' worth of time.
  test.setTimeout(420_000);
  const n = 100;
  await app.open();
  await page.getByTestId('ensemble').fill('1');
  await page.evaluate((k) => {
    void window.__apexp!.loadDemo(k);
  }, n);
  await expect.poll(() => page.evaluate(() => window.__apexp!.state().explained), { timeout: 150_000 }).toBeGreaterThanOrEqual(32);
  const first = (await page.evaluate(() => window.__apexp!.explainedIds())).slice(0, 2);
  await page.evaluate((x) => {
    window.__apexp!.label([x[0]], 'anomalous');
    window.__apexp!.label([x[1]], 'normal');
  }, first);
  const labels = await page.evaluate(() => window.__apexp!.labelsMap());
  expect(Object.keys(labels)).toHaveLength(2);
  // Long enough for the streamed saves and the labels to land; the run is still going.
  await page.waitForTimeout(1500);
  const before = await page.evaluate(() => window.__apexp!.state());
  expect(before.run).toBe('ingest');
  expect(before.explained).toBeLessThan(n);

  await page.reload();
  await expect(app.badge).not.toHaveText('starting');
  // The badge shows before the saved session is read back: wait for the restore itself.
  await expect.poll(() => page.evaluate(() => window.__apexp!.restoredIds().length), { timeout: 60_000 }).toBeGreaterThanOrEqual(32);
  const restored = await page.evaluate(() => window.__apexp!.restoredIds());
  expect(restored.length).toBeLessThan(n);
  await expect(page.getByTestId('notice').filter({ hasText: `Resuming the run the reload interrupted: ${restored.length} of ${n} images were already explained` })).toHaveCount(1, { timeout: 60_000 });
  await expect.poll(() => page.evaluate(() => window.__apexp!.state()), { timeout: 150_000 }).toMatchObject({ n, explained: n, run: 'idle' });

  // After the reload exactly the missing images were explained, each once; none of the restored ones again.
  const tally = await page.evaluate(() => window.__apexp!.explainedTally());
  const ids = await page.evaluate(() => window.__apexp!.explainedIds());
  expect(Object.values(tally).every((c) => c === 1)).toBe(true);
  expect(Object.keys(tally).filter((id) => restored.includes(id))).toEqual([]);
  expect(Object.keys(tally)).toHaveLength(n - restored.length);
  expect([...Object.keys(tally), ...restored].sort()).toEqual([...ids].sort());
  expect(new Set(ids).size).toBe(n);
  await expect(app.cards).toHaveCount(n);
  expect(await page.evaluate(() => window.__apexp!.labelsMap())).toEqual(labels);
  // A restored map is shown (not blank), and the whole set gets a detector.
  await expect.poll(() => app.heatmapSpread(app.card(first[0])), { timeout: 30_000 }).toBeGreaterThan(1);
  // The detector is trained on the whole set once the run is done (how long it takes is not this test's business).
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', /training|done/);
  await expect(page.getByTestId('error')).toHaveCount(0);

  // Nothing left pending: another reload resumes nothing.
  await page.reload();
  await expect(app.cards).toHaveCount(n);
  await page.waitForTimeout(1000);
  expect(Object.keys(await page.evaluate(() => window.__apexp!.explainedTally()))).toHaveLength(0);
});

// Dropped images: the files are kept in IndexedDB for the length of the run, so a reload resumes with
// the ones not yet explained (the bundled model explains them).
test('a reload mid-explain of dropped images resumes with the files not yet explained', async ({ app, page }, testInfo) => {
  test.setTimeout(420_000);
  const n = 64;
  const dir = testInfo.outputPath('drop');
  mkdirSync(dir, { recursive: true });
  const files = [];
  for (let i = 0; i < n; i++) {
    const path = join(dir, `shot${String(i).padStart(3, '0')}.png`);
    const px = Buffer.alloc(64 * 64 * 3, 0);
    for (let k = 0; k < px.length; k++) px[k] = (k * (i + 7) * 31 + (k >> 6) * 17) & 255;
    await sharp(px, { raw: { width: 64, height: 64, channels: 3 } }).png().toFile(path);
    files.push({ path });
  }
  await app.open();
  await page.getByTestId('ensemble').fill('1');
  // The bundled classifiers (with a small demo), so the dropped images are explained by a model a reload restores.
  await page.evaluate(() => window.__apexp!.loadDemo(4));
  await expect.poll(() => page.evaluate(() => window.__apexp!.state().run), { timeout: 60_000 }).toBe('idle');
  await app.drop(files);
  await expect.poll(() => page.evaluate(() => window.__apexp!.explainedIds().filter((id) => id.startsWith('shot')).length), { timeout: 150_000 }).toBeGreaterThanOrEqual(16);
  await page.waitForTimeout(1500);
  const before = await page.evaluate(() => window.__apexp!.state());
  expect(before.run).toBe('ingest');

  await page.reload();
  await expect.poll(() => page.evaluate(() => window.__apexp!.restoredIds().filter((id) => id.startsWith('shot')).length), { timeout: 60_000 }).toBeGreaterThanOrEqual(16);
  const restored = (await page.evaluate(() => window.__apexp!.restoredIds())).filter((id) => id.startsWith('shot'));
  expect(restored.length).toBeLessThan(n);
  await expect(page.getByTestId('notice').filter({ hasText: `${restored.length} of ${n} images were already explained` })).toHaveCount(1, { timeout: 60_000 });
  await expect.poll(() => page.evaluate(() => window.__apexp!.state()), { timeout: 150_000 }).toMatchObject({ n: n + 4, explained: n + 4, run: 'idle' });
  const tally = await page.evaluate(() => window.__apexp!.explainedTally());
  expect(Object.values(tally).every((c) => c === 1)).toBe(true);
  expect(Object.keys(tally).sort()).toEqual(files.map((f) => basename(f.path)).filter((id) => !restored.includes(id)).sort());
  await expect(page.getByTestId('error')).toHaveCount(0);
});
