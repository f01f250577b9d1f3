import { expect, test } from './fixtures/app';

// Two classifiers side by side on the 24-image demo (both bundled models are loaded; vgg_small is active).
test('compare the bundled classifiers: the second explains the same images with a detector of its own; the 2×2 table matches the lists and the flags; both maps per image', async ({ app, page }) => {
  await app.open();
  await page.getByTestId('ensemble').fill('1');
  await app.loadDemo(24);
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'done', { timeout: 150_000 });
  await expect(page.getByTestId('model-select')).toHaveValue('vgg_small');
  await expect(page.getByTestId('compare-model')).toHaveValue('resnet_small');
  await page.getByTestId('compare-run').click();
  await expect(page.getByTestId('compare-table')).toBeVisible({ timeout: 150_000 });
  // The active model stays the active one.
  await expect(page.getByTestId('model-select')).toHaveValue('vgg_small');

  const count = async (id: string) => Number(await page.getByTestId(id).textContent());
  const [both, onlyA, onlyB, neither] = [await count('compare-both'), await count('compare-only-a'), await count('compare-only-b'), await count('compare-neither')];
  // No labels yet: every image is evaluated by both.
  expect(both + onlyA + onlyB + neither).toBe(24);
  // Each flags its budget's share (15 % of 24 → 4 or so), and A's flags are the review panel's.
  await expect(page.getByTestId('flagged-count')).toContainText(`${both + onlyA} of 24 flagged`);
  expect(both + onlyB).toBeGreaterThan(0);
  const listed = async (id: string) => page.getByTestId(id).locator('li').count();
  expect(await listed('compare-list-only-a')).toBe(onlyA);
  expect(await listed('compare-list-only-b')).toBe(onlyB);
  expect(await listed('compare-list-both')).toBe(both);

  // An image shows both models' maps: resnet_small's beside vgg_small's.
  await app.cards.first().click();
  const other = page.getByTestId('detail-compare');
  await expect(other).toContainText('heatmap by resnet_small');
  await expect(page.getByTestId('detail-compare-predicted')).toHaveText(/^(good|broken|flashover)$/);
  const png = await other.locator('canvas').screenshot();
  expect(png.length).toBeGreaterThan(100);
});
