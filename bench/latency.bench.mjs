// Benchmark (not a test): how long an edit takes to appear elsewhere, p50 and
// p99 over 200 edits: between two tabs of one browser (BroadcastChannel), and
// between two browser profiles through the stock sync server on loopback.
// Run with `bash scripts/bench.sh`; writes bench/LATENCY.md.
import { chromium } from '@playwright/test';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

const EDITS = Number(process.env.BENCH_EDITS || 200);
const PORT = 8094, SYNC = 3039;
const BASE = `http://127.0.0.1:${PORT}/`;
const pct = (xs, p) => { const v = [...xs].sort((a, b) => a - b); const h = (v.length - 1) * p; const lo = Math.floor(h); return v[lo] + (h - lo) * (v[Math.min(lo + 1, v.length - 1)] - v[lo]); };

const web = spawn('node', ['tests/e2e/serve-dist.mjs', '--dir', 'dist', '--port', String(PORT)], { stdio: 'ignore' });
const sync = spawn('node', ['tests/e2e/start-sync-server.mjs', String(SYNC)], { env: { ...process.env, DATA_DIR: mkdtempSync(join(tmpdir(), 'hindsight-bench-')) }, stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 1500));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  // Background tabs must not have their timers throttled, or the watcher measures throttling.
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
    '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'],
});

/** Sends EDITS title edits from `from` and returns each one's arrival delay at `to`, in ms. */
async function measure(from, to) {
  const watcher = to.evaluate((n) => new Promise((resolve) => {
    const arrived = {};
    const input = document.querySelector('[data-testid="title"]');
    const tick = () => {
      const m = input.value.match(/^edit (\d+)$/);
      if (m && !(m[1] in arrived)) arrived[m[1]] = performance.timeOrigin + performance.now();
      if (Object.keys(arrived).length >= n || m && Number(m[1]) === n - 1) resolve(arrived); else setTimeout(tick, 0);
    };
    tick();
  }), EDITS);
  const sent = {};
  for (let i = 0; i < EDITS; i++) {
    sent[i] = await from.evaluate((i) => {
      const input = document.querySelector('[data-testid="title"]');
      input.value = `edit ${i}`;
      const t = performance.timeOrigin + performance.now();
      input.dispatchEvent(new Event('input', { bubbles: true }));
      return t;
    }, i);
    await from.waitForTimeout(40);
  }
  const arrived = await watcher;
  const delays = Object.entries(arrived).map(([i, t]) => t - sent[i]);
  return { seen: delays.length, p50: pct(delays, 0.5), p99: pct(delays, 0.99), max: Math.max(...delays) };
}

const results = {};
try {
  // Two tabs of one browser.
  const ctx = await browser.newContext();
  const a = await ctx.newPage();
  await a.goto(BASE);
  await a.getByTestId('new-postmortem').click();
  await a.getByTestId('title').fill('edit start');
  const b = await ctx.newPage();
  await b.goto(a.url());
  await b.getByTestId('title').waitFor();
  await a.waitForTimeout(500);
  results.tabs = await measure(a, b);

  // Two profiles through the sync server.
  const device = async () => {
    const p = await (await browser.newContext()).newPage();
    await p.goto(BASE + '#/settings');
    await p.getByTestId('server-url').fill(`ws://127.0.0.1:${SYNC}`);
    await p.getByTestId('save-device').click();
    return p;
  };
  const x = await device();
  const y = await device();
  await x.goto(BASE);
  await x.getByTestId('new-postmortem').click();
  await x.getByTestId('title').fill('edit start');
  await x.locator('[data-testid="sync-status"][data-status="synced"]').waitFor({ timeout: 20000 });
  await y.goto(BASE + '#/p/' + x.url().split('#/p/')[1]);
  await y.locator('[data-testid="title"]').waitFor();
  await y.waitForFunction(() => document.querySelector('[data-testid="title"]')?.value === 'edit start', null, { timeout: 20000 });
  results.server = await measure(x, y);
} finally {
  await browser.close();
  web.kill();
  sync.kill();
}

const verdict = (v, target) => v <= target ? `met (${v.toFixed(1)} ≤ ${target} ms)` : `missed by ${(v - target).toFixed(1)} ms`;
const report = `# Benchmark: edit propagation latency

Written by \`bash scripts/bench.sh\` (bench/latency.bench.mjs) on ${new Date().toISOString().slice(0, 10)}, headless Chromium,
release build, 2-core machine. ${EDITS} edits of a postmortem title, one every 40 ms; the delay is from the
\`input\` event in the sending page to the receiving page's field showing the new value (the receiver polls with
\`setTimeout(0)\`, about 1 to 4 ms granularity; both pages read the same clock via \`performance.timeOrigin\`).

| path | seen | p50 | p99 | max | target |
|---|---|---|---|---|---|
| two tabs, one browser (BroadcastChannel) | ${results.tabs.seen}/${EDITS} | ${results.tabs.p50.toFixed(1)} ms | ${results.tabs.p99.toFixed(1)} ms | ${results.tabs.max.toFixed(1)} ms | p50 ≤ 20 ms: ${verdict(results.tabs.p50, 20)}; p99 ≤ 80 ms: ${verdict(results.tabs.p99, 80)} |
| two browser profiles via the stock sync server on loopback | ${results.server.seen}/${EDITS} | ${results.server.p50.toFixed(1)} ms | ${results.server.p99.toFixed(1)} ms | ${results.server.max.toFixed(1)} ms | p50 ≤ 60 ms: ${verdict(results.server.p50, 60)} |

"seen" counts the edits the receiver observed; a newer edit can overwrite an older one before the receiver looks,
so fewer than ${EDITS} can be seen without any loss (the final value always arrives).
`;
writeFileSync('bench/LATENCY.md', report);
console.log(report);
