import { expect, test } from './fixtures/app';

test('losing the WebGPU device falls back to WebGL and carries on', async ({ app, page }, testInfo) => {
  test.skip(testInfo.project.name !== 'webgpu', 'needs a WebGPU device to lose');
  await app.open();
  await expect(app.badge).toHaveText('webgpu');
  await app.loadDemo(24);
  await page.evaluate(() => window.__apexp!.loseDevice());
  await expect(app.badge).toHaveText('webgl');
  await expect(page.getByTestId('notice').last()).toContainText('WebGPU device was lost');
  // Carries on: the classifier was reloaded on WebGL and training works there.
  await page.getByLabel('Epochs').fill('1');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(app.cards.first()).not.toHaveAttribute('data-score', '');
});
