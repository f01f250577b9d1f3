import { join } from 'node:path';
import { CSP_HEADER, CSP_META } from '../csp.config.ts';
import { FIXTURES } from './fixtures/make-fixtures';
import { expect, test } from './fixtures/app';

const ORIGIN = `http://127.0.0.1:${process.env.APEXP_E2E_PORT ?? 4173}`;
const model = ['model.json', 'weights.bin', 'metadata.json'].map((f) => ({ path: join(FIXTURES, 'model', f) }));

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

// A whole session (demo, drop, explain, train, label, export) under the built site's CSP: nothing
// leaves the origin, nothing is refused. The probe at the end shows the policy is really in force.
test('a whole session makes no request off the origin and triggers no CSP violation', async ({ app, page }) => {
  const offOrigin: string[] = [];
  const refused: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if ((u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:') && u.origin !== ORIGIN) offOrigin.push(r.url());
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => (window.__cspViolations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const res = await page.goto('./?e2e=1');
  expect(res?.headers()['content-security-policy']).toBe(CSP_HEADER);
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(CSP_META);
  await expect(app.badge).not.toHaveText('starting');

  await page.getByTestId('ensemble').fill('1');
  await app.loadDemo(24);
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'done', { timeout: 150_000 });
  await page.keyboard.press('j');
  await page.keyboard.press('a');
  await page.keyboard.press('n');
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-updating', 'false', { timeout: 60_000 });
  // Drop a model and an image on top: loaded, explained in the same session.
  await app.drop([...model, { path: join(FIXTURES, 'images', 'good', 'img0.png') }]);
  await expect(app.cards).toHaveCount(25, { timeout: 60_000 });
  await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: 60_000 });
  for (const id of ['export-csv', 'export-report', 'export-project']) {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(id).click()]);
    expect(await d.failure()).toBeNull();
  }

  expect(offOrigin).toEqual([]);
  expect(refused).toEqual([]);
  expect(await page.evaluate(() => window.__cspViolations ?? [])).toEqual([]);

  // The probe: a request to another origin is refused by connect-src and reported.
  const probe = await page.evaluate(() => fetch('http://198.51.100.7/x').then(() => 'sent', () => 'refused'));
  expect(probe).toBe('refused');
  await expect.poll(() => page.evaluate(() => window.__cspViolations ?? [])).toContainEqual(expect.stringMatching(/^connect-src http:\/\/198\.51\.100\.7/));
  // and it is the only thing ever refused (Chromium may report the one fetch more than once)
  for (const v of await page.evaluate(() => window.__cspViolations ?? [])) expect(v).toMatch(/^connect-src http:\/\/198\.51\.100\.7/);
});
