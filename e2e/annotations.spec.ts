import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './fixtures/make-fixtures';
import { expect, test } from './fixtures/app';
import { cocoJson, vocXml, writeScenes, type Scene } from '../src/cli/commands/scene-fixtures';

// Two 152×152 scenes of 2 × 2 shells from the insulator generator, with their boxes as COCO JSON and
// Pascal VOC XML (the same fixtures as `apexp crops`'s tests), written beside the other drop fixtures.
const DIR = join(FIXTURES, 'scenes');
const model = ['model.json', 'weights.bin', 'metadata.json'].map((f) => ({ path: join(FIXTURES, 'model', f) }));
let scenes: Scene[];

test.beforeAll(async () => {
  scenes = await writeScenes(DIR, 2);
  writeFileSync(join(DIR, 'coco.json'), JSON.stringify(cocoJson(scenes)));
  mkdirSync(join(DIR, 'voc'), { recursive: true });
  writeFileSync(join(DIR, 'voc', 'scene-0.xml'), vocXml(scenes[0]));
  writeFileSync(join(DIR, 'voc', 'bad.xml'), vocXml(scenes[1]).replace(/<xmax>(\d+)<\/xmax>/, '<xmax>1</xmax>'));
});

test('drop a detection dataset (scene images + COCO JSON) with a model: one explained card per shell box, its class as the truth', async ({ app, page }) => {
  await app.open();
  await app.drop([...model, ...scenes.map((s) => ({ path: join(DIR, 'images', s.file) })), { path: join(DIR, 'coco.json') }]);
  await expect(app.cards).toHaveCount(8);
  await expect(page.getByTestId('notices')).toContainText('Cut 8 crop(s) from 2 annotated image(s); skipped 4 string box(es)');
  const shell = scenes[1].shells[2];
  // COCO ids: per scene 2 strings then 4 shells, from 1 → scene 1's third shell is annotation 6 + 3 + 2 = 11
  const card = app.card(`scene-1_11_${shell.cls}.png`);
  await expect(card).toHaveCount(1);
  await card.click();
  await expect(page.getByTestId('detail-view')).toContainText(`true class${shell.cls}`);
  await expect(async () => expect(await app.heatmapSpread(app.cards.first())).toBeGreaterThan(0)).toPass({ timeout: 60_000 });
  await expect(page.getByTestId('skipped')).toHaveCount(0);
});

test('a malformed Pascal VOC file: one error naming the file and the object, nothing ingested', async ({ app, page }) => {
  await app.open();
  await app.drop([...model, { path: join(DIR, 'images', 'scene-1.png') }, { path: join(DIR, 'voc', 'bad.xml') }]);
  await expect(page.getByTestId('error')).toContainText(/bad\.xml: object\[0\] \(\w+\): xmax 1 < xmin \d+ \(negative width\)/);
  await expect(page.getByTestId('model-select')).toContainText('3 classes');
  await expect(app.cards).toHaveCount(0);
});
