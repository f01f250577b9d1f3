import { expect, test } from './fixtures/app';
import type { Page } from '@playwright/test';

/** Starts a long training (not awaited) and resolves once it has reported a loss: the fault then lands mid-training. */
async function trainAndWaitForLoss(page: Page): Promise<void> {
  const losses = await page.evaluate(() => window.__apexp!.state().losses);
  await page.evaluate(() => {
    void window.__apexp!.train({ trainSteps: 4000 });
  });
  await expect.poll(() => page.evaluate(() => window.__apexp!.state()), { timeout: 60_000 }).toMatchObject({ trainStatus: 'training' });
  await expect.poll(() => page.evaluate(() => window.__apexp!.state().losses), { timeout: 60_000 }).toBeGreaterThan(losses);
}

// The detector worker killed mid-training, twice (an uncaught error inside it, then the browser
// terminating it): each time the app restarts it from the last good detector and says so once.
test('the detector worker killed mid-training is restarted from the last good detector, labels kept', async ({ app, page }) => {
  await app.open();
  await page.getByTestId('ensemble').fill('1');
  await app.loadDemo(24);
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'done', { timeout: 150_000 });
  const ids = await app.order();
  await page.evaluate((x) => {
    window.__apexp!.label([x[0]], 'anomalous');
    window.__apexp!.label([x[1]], 'normal');
  }, ids);
  const labels = await page.evaluate(() => window.__apexp!.labelsMap());
  expect(Object.keys(labels)).toHaveLength(2);
  const detectorBackend = (await page.evaluate(() => window.__apexp!.state())).detectorBackend;

  for (const [k, how] of (['throw', 'terminate'] as const).entries()) {
    await trainAndWaitForLoss(page);
    const version = (await page.evaluate(() => window.__apexp!.state())).scoresVersion;
    await page.evaluate((h) => window.__apexp!.killDetector(h), how);
    const restarted = page.getByTestId('notice').filter({ hasText: 'The detector worker stopped' });
    await expect(restarted).toHaveCount(k + 1, { timeout: 60_000 });
    await expect(restarted.last()).toContainText(/restarted it from the detector trained at .*the training that was running is lost/);
    await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'error');
    // Rescored by the restored detector: a new ranking, every card scored, labels and maps untouched.
    await expect.poll(async () => (await page.evaluate(() => window.__apexp!.state())).scoresVersion, { timeout: 60_000 }).toBeGreaterThan(version);
    const st = await page.evaluate(() => window.__apexp!.state());
    expect(st).toMatchObject({ n: 24, explained: 24, labels: 2, detectorBackend });
    expect(await page.evaluate(() => window.__apexp!.labelsMap())).toEqual(labels);
    await expect.poll(async () => Object.values(await app.scores()).filter((v) => v !== '' && v !== null).length).toBe(24);
    // One line per death: the rejected jobs are not reported again as errors.
    await expect(page.getByTestId('error')).toHaveCount(0);
  }

  // The new worker trains like the first.
  await page.evaluate(() => window.__apexp!.train({ trainSteps: 40 }));
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'done');
  expect(await page.evaluate(() => window.__apexp!.labelsMap())).toEqual(labels);
});
