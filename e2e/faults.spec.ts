import { expect, test } from './fixtures/app';

declare global {
  interface Window {
    __quotaFull?: boolean;
  }
}

// IndexedDB quota exceeded, injected at the browser API: every put throws the QuotaExceededError a
// full origin gets, from the moment the test says so.
test('IndexedDB full: a clear message, the session keeps working in memory, what was stored before stays', async ({ app, page }) => {
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (window.__quotaFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
  });
  await app.open();
  await page.getByTestId('ensemble').fill('1');
  await app.loadDemo(24);
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'done', { timeout: 150_000 });
  // Let the first save land, then fill the disk.
  await page.waitForTimeout(1500);
  await page.evaluate(() => (window.__quotaFull = true));
  const before = await app.scores();
  await page.keyboard.press('j');
  await page.keyboard.press('a');
  await expect(page.getByTestId('error').first()).toContainText(/Could not save the session in this browser: .*quota/i);
  // Still working in memory: the label shows and the ranking moves.
  await expect.poll(async () => Object.values(await app.labels()).filter(Boolean).length).toBe(1);
  await expect.poll(async () => {
    const s = await app.scores();
    return Object.keys(s).filter((id) => s[id] !== before[id]).length;
  }, { timeout: 60_000 }).toBeGreaterThan(0);
  // What was stored before the disk filled is still there after a reload.
  await page.reload();
  await expect(app.cards).toHaveCount(24);
});
