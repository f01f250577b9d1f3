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
