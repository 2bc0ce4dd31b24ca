// Two devices (isolated browser contexts) co-editing through the stock
// automerge-repo sync server, offline and back, and a plain JavaScript
// automerge-repo client reading and editing the same document.
import { test, expect, Page, Browser } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { addEntry, newPostmortem, openApp } from './helpers';

const SERVER = 'ws://127.0.0.1:3035';

async function device(browser: Browser, name: string): Promise<Page> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await openApp(page);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('server-url').fill(SERVER);
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('save-device').click();
  await expect(page.getByTestId('device-saved')).toContainText('Syncing with');
  return page;
}

test('a postmortem shared by link reaches another device; edits made at once on both converge', async ({ browser }) => {
  const a = await device(browser, 'Ana');
  const b = await device(browser, 'Ben');
  await newPostmortem(a, 'Payment API outage');
  await addEntry(a, { at: '2024-05-01T09:00:00+00:00', kind: 'failure_start', text: 'Bad config pushed' });
  await a.getByTestId('narrative-summary').fill('Payments failed.');
  await expect(a.getByTestId('sync-status')).toHaveAttribute('data-status', 'synced');
  const link = await a.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#\/p\/[1-9A-HJ-NP-Za-km-z]+$/);

  await b.goto(link.replace(/^https?:\/\/[^/]+/, ''));
  await expect(b.getByTestId('title')).toHaveValue('Payment API outage', { timeout: 15_000 });
  await expect(b.getByTestId('timeline-entry')).toContainText('Bad config pushed');
  // Presence: each sees who else is in the postmortem.
  await expect(a.getByTestId('presence')).toContainText('Ben', { timeout: 10_000 });
  await expect(b.getByTestId('presence')).toContainText('Ana', { timeout: 10_000 });

  await Promise.all([
    addEntry(a, { at: '2024-05-01T09:04:00+00:00', kind: 'detected', text: 'Error-rate alert' }),
    addEntry(b, { at: '2024-05-01T09:10:00+00:00', kind: 'repair_started', text: 'Rollback started' }),
  ]);
  await a.getByTestId('narrative-summary').press('End');
  await a.getByTestId('narrative-summary').pressSequentially(' For 25 minutes.');
  await b.getByTestId('narrative-learned').fill('Config changes need a canary.');
  for (const p of [a, b]) {
    await expect(p.getByTestId('timeline-entry')).toHaveCount(3, { timeout: 15_000 });
    await expect(p.getByTestId('narrative-summary')).toHaveValue('Payments failed. For 25 minutes.');
    await expect(p.getByTestId('narrative-learned')).toHaveValue('Config changes need a canary.');
    await expect(p.locator('[data-metric="ttd"]')).toHaveAttribute('data-minutes', '4');
  }
});

test('a device that goes offline keeps editing, and both converge when it comes back', async ({ browser }) => {
  const a = await device(browser, 'Ana');
  const b = await device(browser, 'Ben');
  await newPostmortem(a, 'Queue stalls');
  await expect(a.getByTestId('sync-status')).toHaveAttribute('data-status', 'synced');
  const link = await a.getByTestId('share-link').inputValue();
  await b.goto(link.replace(/^https?:\/\/[^/]+/, ''));
  await expect(b.getByTestId('title')).toHaveValue('Queue stalls', { timeout: 15_000 });

  await b.context().setOffline(true);
  await expect(b.getByTestId('sync-status')).toHaveAttribute('data-status', 'offline');
  await addEntry(b, { at: '2024-06-01T12:00:00+00:00', kind: 'failure_start', text: 'Consumer lag grows (offline edit)' });
  await b.getByTestId('narrative-summary').fill('Written offline.');
  await expect(b.getByTestId('sync-status')).toContainText('not sent yet');
  await addEntry(a, { at: '2024-06-01T12:30:00+00:00', kind: 'fixed', text: 'Consumers restarted' });
  // Edits made offline are stored locally at once.
  await expect.poll(() => b.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('/chunk/')).length)).toBeGreaterThan(1);

  await b.context().setOffline(false);
  for (const p of [a, b]) {
    await expect(p.getByTestId('timeline-entry')).toHaveCount(2, { timeout: 20_000 });
    await expect(p.getByTestId('narrative-summary')).toHaveValue('Written offline.');
    await expect(p.locator('[data-metric="impact"]')).toHaveAttribute('data-minutes', '30');
  }
});

test('a plain automerge-repo JavaScript client reads Hindsight\'s document, and its edit appears in Hindsight', async ({ browser }) => {
  const a = await device(browser, 'Ana');
  await newPostmortem(a, 'Wire compatibility');
  await addEntry(a, { at: '2024-07-01T08:00:00+00:00', kind: 'detected', text: 'Seen by Hindsight' });
  await a.getByTestId('narrative-summary').fill('Summary.');
  await expect(a.getByTestId('sync-status')).toHaveAttribute('data-status', 'synced');
  const id = (await a.getByTestId('share-link').inputValue()).split('#/p/')[1];
  const out = execFileSync('node', ['tests/e2e/node-client.mjs', SERVER, `automerge:${id}`, 'Edited from Node. '], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  const doc = JSON.parse(out.trim().split('\n').pop()!);
  expect(doc.title).toBe('Wire compatibility');
  expect(doc.entries).toEqual(['Seen by Hindsight']);
  await expect(a.getByTestId('narrative-summary')).toHaveValue('Edited from Node. Summary.', { timeout: 15_000 });
});

test('an invalid server address is refused with a message', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('server-url').fill('http://127.0.0.1:3035');
  await page.getByTestId('save-device').click();
  await expect(page.getByTestId('device-error')).toContainText('ws://');
});

test('the server is killed and restarted mid-meeting: no edit is lost and both devices reconnect by themselves', async ({ browser }) => {
  const { spawn } = await import('node:child_process');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dataDir = mkdtempSync(join(tmpdir(), 'hindsight-restart-'));
  const start = () => {
    const p = spawn('node', ['tests/e2e/start-sync-server.mjs', '3037'], { env: { ...process.env, DATA_DIR: dataDir }, stdio: 'pipe' });
    return new Promise<typeof p>((resolve) => p.stdout!.on('data', (d) => String(d).includes('Listening') && resolve(p)));
  };
  let server = await start();
  try {
    const setServer = async (p: Page) => {
      await p.getByTestId('nav-settings').click();
      await p.getByTestId('server-url').fill('ws://127.0.0.1:3037');
      await p.getByTestId('save-device').click();
    };
    const a = await (await browser.newContext()).newPage();
    const b = await (await browser.newContext()).newPage();
    for (const p of [a, b]) { await openApp(p); await setServer(p); }
    await newPostmortem(a, 'Restart drill');
    await expect(a.getByTestId('sync-status')).toHaveAttribute('data-status', 'synced');
    const link = (await a.getByTestId('share-link').inputValue()).replace(/^https?:\/\/[^/]+/, '');
    await b.goto(link);
    await expect(b.getByTestId('title')).toHaveValue('Restart drill', { timeout: 15_000 });

    server.kill('SIGKILL');
    await expect(a.getByTestId('sync-status')).toHaveAttribute('data-status', /offline|error/);
    await addEntry(a, { at: '2024-08-01T10:00:00+00:00', kind: 'failure_start', text: 'While the server was down (A)' });
    await addEntry(b, { at: '2024-08-01T10:02:00+00:00', kind: 'detected', text: 'While the server was down (B)' });
    server = await start();
    for (const p of [a, b]) {
      await expect(p.getByTestId('timeline-entry')).toHaveCount(2, { timeout: 40_000 });
      await expect(p.getByTestId('sync-status')).toHaveAttribute('data-status', 'synced', { timeout: 20_000 });
    }
  } finally {
    server.kill();
  }
});

test('garbage and oversized frames from a fake server give a status and a logged error, never a crash', async ({ page }) => {
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 3038 });
  wss.on('connection', (ws) => {
    ws.on('message', () => {
      ws.send(Buffer.from([0xff, 0x00, 0x13, 0x37]));           // not CBOR
      ws.send('a text frame');                                 // not binary
      ws.send(Buffer.alloc(33 * 1024 * 1024, 0x41));           // over the size limit
    });
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (/panicked|unreachable/.test(m.text())) errors.push(m.text()); });
  try {
    await openApp(page);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('server-url').fill('ws://127.0.0.1:3038');
    await page.getByTestId('save-device').click();
    await newPostmortem(page, 'Still works');
    await expect(page.getByTestId('sync-status')).toHaveAttribute('data-status', 'error', { timeout: 15_000 });
    await expect(page.getByTestId('sync-status')).toContainText('unreadable');
    await addEntry(page, { at: '2024-09-01T10:00:00+00:00', kind: 'other', text: 'The app still works' });
    expect(errors).toEqual([]);
  } finally {
    wss.close();
  }
});

test('two people set the severity at once while one is offline: both values are shown until someone picks one', async ({ browser }) => {
  const a = await device(browser, 'Ana');
  const b = await device(browser, 'Ben');
  await newPostmortem(a, 'Severity debate');
  await addEntry(a, { at: '2024-11-01T10:00:00+00:00', kind: 'other', text: 'Pager fires' });
  await expect(a.getByTestId('sync-status')).toHaveAttribute('data-status', 'synced');
  const link = (await a.getByTestId('share-link').inputValue()).replace(/^https?:\/\/[^/]+/, '');
  await b.goto(link);
  await expect(b.getByTestId('title')).toHaveValue('Severity debate', { timeout: 15_000 });
  await b.context().setOffline(true);
  await expect(b.getByTestId('sync-status')).toHaveAttribute('data-status', 'offline');
  await b.getByTestId('severity').selectOption('sev1');
  await a.getByTestId('severity').selectOption('sev3');
  for (const [p, kind] of [[b, 'detected'], [a, 'failure_starts']] as const) {
    await p.getByTestId('entry-edit').click();
    await p.getByTestId('entry-edit-form').getByTestId('entry-kind').selectOption(kind);
    await p.getByTestId('entry-edit-form').getByTestId('entry-save').click();
  }
  await b.context().setOffline(false);
  for (const p of [a, b]) {
    await expect(p.getByTestId('severity-conflict')).toContainText('SEV1 (critical) and SEV3 (minor)', { timeout: 20_000 });
  }
  for (const p of [a, b]) {
    await expect(p.getByTestId('kind-conflict')).toContainText('Pager fires', { timeout: 20_000 });
  }
  await b.getByTestId('kind-conflict').getByRole('button', { name: 'Detected' }).click();
  for (const p of [a, b]) {
    await expect(p.getByTestId('kind-conflict')).toHaveCount(0, { timeout: 15_000 });
    await expect(p.getByTestId('timeline-entry')).toHaveAttribute('data-kind', 'detected');
  }
  await a.getByTestId('severity-conflict').getByRole('button', { name: 'SEV1 (critical)' }).click();
  for (const p of [a, b]) {
    await expect(p.getByTestId('severity-conflict')).toHaveCount(0, { timeout: 15_000 });
    await expect(p.getByTestId('severity')).toHaveValue('sev1');
  }
  // The history says who did what.
  await a.getByTestId('history-toggle').click();
  await expect(a.getByTestId('history')).toContainText('Ben set the severity to SEV1 (critical)');
  await expect(a.getByTestId('history')).toContainText('Ana set the severity to SEV3 (minor)');
});
