import { defineConfig } from '@playwright/test';

// The system Chromium (Debian's `chromium`), never a downloaded browser.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// APEXP_E2E_PORT lets several checkouts on one machine each test their own build (default 4173).
const port = Number(process.env.APEXP_E2E_PORT ?? 4173);
const common = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export default defineConfig({
  testDir: 'e2e',
  // Writes the drop-test fixtures (a tiny model, a broken one, PNGs in class folders) into e2e/.fixtures.
  globalSetup: './e2e/fixtures/make-fixtures.ts',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'on-first-retry',
    // Video needs Playwright's own ffmpeg download, which cannot be fetched here: traces and screenshots instead.
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      // The software (SwiftShader) WebGPU adapter: exercises the WebGPU path.
      name: 'webgpu',
      use: { launchOptions: { executablePath, args: [...common, '--enable-unsafe-webgpu', '--enable-unsafe-swiftshader'] } },
    },
    {
      // No WebGPU adapter: the app must fall back to WebGL.
      name: 'webgl',
      use: { launchOptions: { executablePath, args: [...common, '--enable-unsafe-swiftshader'] } },
    },
  ],
  webServer: {
    command: `npx vite preview --port ${port} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
