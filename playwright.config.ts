// Playwright end-to-end tests (tests/e2e/*.spec.ts) against the trunk release build in dist/.
// Run through scripts/test.sh, which builds dist/ first. Uses Debian's Chromium
// (/usr/bin/chromium); browsers are never downloaded (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1).
import { defineConfig, devices } from '@playwright/test';

const PORT = 8081;
const BASE_URL = `http://127.0.0.1:${PORT}`;
export const SYNC_PORT = 3035;

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: Number(process.env.E2E_WORKERS || 1),
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: BASE_URL,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: [
    {
      command: `node tests/e2e/serve-dist.mjs --dir dist --port ${PORT}`,
      url: `${BASE_URL}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      // The stock automerge-repo sync server from npm (package-lock.json), on
      // loopback, with its storage in a fresh temporary folder; stopped after the run.
      command: `node tests/e2e/start-sync-server.mjs ${SYNC_PORT}`,
      url: `http://127.0.0.1:${SYNC_PORT}/`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
