import { expect, test } from './fixtures/app';

test('losing the WebGPU device falls back to WebGL and carries on', async ({ app, page }, testInfo) => {
  test.skip(testInfo.project.name !== 'webgpu', 'needs a WebGPU device to lose');
  await app.open();
  await expect(app.badge).toHaveText('webgpu');
  await page.getByTestId('ensemble').fill('1');
  await app.loadDemo(24);
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await page.evaluate(() => window.__apexp!.loseDevice());
  await expect(app.badge).toHaveText('webgl');
  await expect(page.getByTestId('notice').last()).toContainText('WebGPU device was lost');
  // The detector lives in its own worker: the ranking is still there and still follows a label.
  const before = await app.scores();
  expect(Object.values(before).every((v) => v !== '')).toBe(true);
  // Carries on: the classifier was reloaded on WebGL, explains again there, and the detector retrains on the new maps.
  await page.getByTestId('explain-again').click();
  await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: 120_000 });
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(app.cards.first()).not.toHaveAttribute('data-score', '');
});
