import { expect, test } from '@playwright/test';

test('the backend badge names the backend this browser gives us', async ({ page }, testInfo) => {
  await page.goto('./');
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toHaveText(testInfo.project.name === 'webgpu' ? 'webgpu' : 'webgl');
});

test('?backend=cpu forces the cpu backend', async ({ page }) => {
  await page.goto('./?backend=cpu');
  await expect(page.getByTestId('backend-badge')).toHaveText('cpu');
});

test('?deepsad=webgpu|webgl trains the detector on the GPU backend instead of wasm', async ({ page }, testInfo) => {
  const gpu = testInfo.project.name === 'webgpu' ? 'webgpu' : 'webgl';
  await page.setViewportSize({ width: 1500, height: 1100 });
  await page.goto(`./?deepsad=${gpu}`);
  await expect(page.getByTestId('detector-backend')).toHaveText(`on ${gpu}`);
  // A short schedule: SwiftShader takes seconds per step.
  await page.getByTestId('ensemble').fill('1');
  await page.getByTestId('train-steps').fill('4');
  await page.getByText('autoencoder pretraining').click();
  await page.getByTestId('demo-size').selectOption('24');
  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('image-card')).toHaveCount(24, { timeout: 150_000 });
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'done', { timeout: 150_000 });
  await expect(page.getByTestId('image-card').first()).not.toHaveAttribute('data-score', '');
});
