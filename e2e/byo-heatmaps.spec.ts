import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditReport } from '../src/core/audit/report';
import { FIXTURES } from './fixtures/make-fixtures';
import { expect, test, type AuditorPage } from './fixtures/app';

// Heatmaps made elsewhere, with no classifier: the files make-fixtures.ts writes under byo/ (16 PNG maps at
// 40×48 and a cut PNG; a float32 .npy [20, 24, 24] with ids.txt, predictions.csv and two photos).
const BYO = join(FIXTURES, 'byo');
const files = (dir: string) => readdirSync(join(BYO, dir)).sort().map((f) => ({ path: join(BYO, dir, f) }));
const report = (app: AuditorPage): Promise<AuditReport> => app.page.evaluate(() => window.__apexp!.report());

async function trained(app: AuditorPage, n: number): Promise<Record<string, string>> {
  await expect(app.page.getByTestId('train-status')).toHaveAttribute('data-status', 'done', { timeout: 150_000 });
  await expect.poll(async () => Object.values(await app.scores()).filter((v) => v !== '').length, { timeout: 60_000 }).toBe(n);
  return app.scores();
}

test('a folder of PNG maps (one broken), no model: cards of the maps, trained and scored, a label re-ranks, a reload keeps maps and labels', async ({ app, page }) => {
  await app.open();
  await page.getByTestId('ensemble').fill('1');
  await app.drop(files('png').map((f) => ({ ...f, type: 'image/png' })));
  await expect(app.cards).toHaveCount(16);
  // The cut PNG is named in one message; the other 16 loaded.
  await expect(page.getByTestId('error')).toHaveCount(1);
  await expect(page.getByTestId('error')).toContainText('broken.png');
  await expect(page.getByTestId('skipped')).toContainText('broken.png');
  // No photo: the card picture is the map itself (no <img>, a drawn, non-blank canvas).
  await expect(app.card('map05.png').locator('img')).toHaveCount(0);
  expect(await app.heatmapSpread(app.card('map05.png'))).toBeGreaterThan(2);

  const scores = await trained(app, 16);
  expect(Object.values(scores).every((v) => Number.isFinite(Number(v)))).toBe(true);
  const r = await report(app);
  expect(r.n_images).toBe(16);
  expect(r.settings.explanations).toBe('imported');
  expect(r.settings.format).toBe('png');
  // No input for them: no deletion baseline, and without predictions.csv no confidence baseline.
  expect(Object.keys(r.detectors).sort()).toEqual(['deepsad', 'random']);
  expect(r.n_skipped).toBe(1);

  // Labels move the ranking (the detector worker re-ranks at once, then updates).
  const before = await app.order();
  const low = before.slice(-2);
  await page.evaluate((ids) => window.__apexp!.label(ids, 'anomalous'), low);
  await page.evaluate((ids) => window.__apexp!.label(ids, 'normal'), before.slice(0, 2));
  await expect.poll(async () => {
    const s = await app.scores();
    return Object.keys(s).filter((id) => s[id] !== scores[id]).length;
  }, { timeout: 60_000 }).toBeGreaterThan(6);
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-updating', 'false', { timeout: 60_000 });
  expect(await app.order()).not.toEqual(before);

  await page.waitForTimeout(1_000); // the debounced save
  await page.reload();
  await expect(app.cards).toHaveCount(16);
  const labels = await app.labels();
  expect(low.map((id) => labels[id])).toEqual(['anomalous', 'anomalous']);
  expect(Object.values(labels).filter(Boolean)).toHaveLength(4);
  await expect(app.card('map05.png').locator('img')).toHaveCount(0);
  await trained(app, 16);

  // The project file keeps them too: exported, a new session, opened again.
  const [project] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-project').click()]);
  await page.getByTestId('new-session').click();
  await expect(app.cards).toHaveCount(0);
  await page.getByTestId('import-project').setInputFiles({ name: 'apexp-project.zip', mimeType: 'application/zip', buffer: readFileSync(await project.path()) });
  await expect(app.cards).toHaveCount(16);
  expect(await app.labels()).toEqual(labels);
  await expect(app.card('map05.png').locator('img')).toHaveCount(0);
  expect((await report(app)).settings.explanations).toBe('imported');
});

test('a .npy with ids.txt, predictions.csv (one bad row) and photos: photos under their maps, confidence baseline; a model is not mixed in; a short ids file is named; then explanations.jsonl with a bad line and a junk .png', async ({ app, page }) => {
  await app.open();
  await page.getByTestId('ensemble').fill('1');
  const npy = files('npy').filter((f) => !f.path.endsWith('short-ids.txt'));
  await app.drop([...npy, ...files('photos')]);
  await expect(app.cards).toHaveCount(20);
  await expect(page.getByTestId('error')).toHaveCount(1);
  await expect(page.getByTestId('error')).toContainText('predictions.csv: row 7');
  // The two photos show under their maps; the others are their own maps.
  await expect(app.card('scene00.jpg').locator('img')).toHaveCount(1);
  await expect(app.card('scene03.jpg').locator('img')).toHaveCount(0);
  await trained(app, 20);
  const r = await report(app);
  expect(r.settings.format).toBe('npy');
  expect(r.settings.predictions).toBe(true);
  expect(r.detectors.confidence).toBeDefined();
  expect(r.detectors.faithfulness).toBeUndefined();

  // A classifier's files are refused in one line; nothing loaded is lost.
  await app.drop(['model.json', 'weights.bin', 'metadata.json'].map((f) => ({ path: join(FIXTURES, 'model', f) })));
  await expect(page.getByTestId('error').last()).toContainText('made elsewhere');
  await expect(app.cards).toHaveCount(20);

  // A new session, then the .npy with an ids file one id short: named, nothing loads.
  await page.getByTestId('new-session').click();
  await expect(app.cards).toHaveCount(0);
  await app.drop([{ path: join(BYO, 'npy', 'maps.npy') }, { path: join(BYO, 'npy', 'short-ids.txt') }]);
  await expect(page.getByTestId('error').last()).toContainText('short-ids.txt: 19 id(s) for the 20 maps of maps.npy');
  await expect(app.cards).toHaveCount(0);

  // explanations.jsonl (its own 32×32 maps, predictions and probabilities) with a bad line, and a .png that is text: both named, 11 maps load.
  await app.drop([{ path: join(BYO, 'jsonl', 'explanations.jsonl') }, { path: join(BYO, 'junk.png') }]);
  await expect(app.cards).toHaveCount(11);
  await expect(page.getByTestId('error').filter({ hasText: 'explanations.jsonl:5: heatmap values must be numbers in [0, 1]' })).toHaveCount(1);
  await expect(page.getByTestId('error').filter({ hasText: 'junk.png: not a decodable PNG' })).toHaveCount(1);
  await trained(app, 11);
  const j = await report(app);
  expect(j.settings.format).toBe('explanations');
  expect(j.detectors.confidence).toBeDefined();
});
