import { join } from 'node:path';
import { FIXTURES } from './fixtures/make-fixtures';
import { expect, test } from './fixtures/app';

const img = (cls: string, i: number) => ({ path: join(FIXTURES, 'images', cls, `img${i}.png`) });
const model = ['model.json', 'weights.bin', 'metadata.json'].map((f) => ({ path: join(FIXTURES, 'model', f) }));

test('drop a model with images and a non-image file: the images load and explain, the other file is skipped', async ({ app, page }) => {
  await app.open();
  // Weights before model.json on purpose: the app must sort them.
  await app.drop([model[1], img('good', 0), ...[model[2], model[0]], img('broken', 1), img('flashover', 2), { path: join(FIXTURES, 'images', 'notes.txt') }]);
  await expect(app.cards).toHaveCount(3);
  await expect(page.getByTestId('skipped')).toContainText('notes.txt');
  await expect(page.getByTestId('model-select')).toContainText('3 classes');
  await expect(app.cards.first().getByTestId('heatmap-canvas')).toBeVisible();
  expect(await app.heatmapSpread(app.cards.first())).toBeGreaterThan(0);
  // "Explained class: always flashover", explain again: every heatmap now explains flashover, and the
  // detail view says so wherever the prediction is another class.
  await page.getByTestId('target-select').selectOption({ label: 'always flashover' });
  await page.getByTestId('explain-again').click();
  // Retried until the re-explained batch has arrived (the run goes useModel → explain).
  await expect(async () => {
    let other = 0;
    for (let i = 0; i < 3; i++) {
      await app.cards.nth(i).click();
      if ((await page.getByTestId('detail-predicted').textContent()) === 'flashover') expect(await page.getByTestId('detail-target').count()).toBe(0);
      else {
        other++;
        expect(await page.getByTestId('detail-target').textContent()).toBe('flashover');
      }
    }
    expect(other).toBeGreaterThan(0);
  }).toPass({ timeout: 60_000 });
});

test('a broken model says why and the app stays usable', async ({ app, page }) => {
  await app.open();
  await page.getByTestId('file-input').setInputFiles([join(FIXTURES, 'broken', 'model.json')]);
  await expect(page.getByTestId('error')).toContainText('missing weight file');
  // Still usable: images load through the file input.
  await page.getByTestId('file-input').setInputFiles([img('good', 0).path, img('good', 3).path]);
  await expect(app.cards).toHaveCount(2);
});

test('another CAM method: picked, explained again with other maps, kept over a reload', async ({ app, page }) => {
  await app.open();
  await app.drop([...model, img('good', 0), img('broken', 1), img('flashover', 2)]);
  await expect(app.cards).toHaveCount(3);
  await expect(page.getByTestId('method-select')).toHaveValue('gradcam');
  await expect(async () => expect(await app.heatmapSpread(app.cards.first())).toBeGreaterThan(0)).toPass({ timeout: 60_000 });
  await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: 60_000 });
  const canvas = () => app.cards.first().getByTestId('heatmap-canvas').screenshot();
  const before = await canvas();
  await page.getByTestId('method-select').selectOption('layercam');
  await page.getByTestId('explain-again').click();
  // LayerCAM weighs every cell by its own positive gradient: the fixture's maps change.
  await expect(async () => expect((await canvas()).equals(before)).toBe(false)).toPass({ timeout: 60_000 });
  await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: 60_000 });
  await page.reload();
  await expect(app.cards).toHaveCount(3);
  await expect(page.getByTestId('method-select')).toHaveValue('layercam');
});
