// Benchmark (not a test): the dashboard over 2,000 synthetic incidents, and
// importing a 2,000-postmortem archive, in headless Chromium against the
// release build. Run with `bash scripts/bench.sh`; writes bench/REPORT.md.
import { chromium } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';

const N = Number(process.env.BENCH_INCIDENTS || 2000);
const PORT = 8093;
const BASE = `http://127.0.0.1:${PORT}/`;

// Deterministic pseudo-random numbers (mulberry32).
let seed = 42;
const rand = () => {
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
// Skewed durations in minutes: mostly short, a few very long.
const skewed = (median) => Math.max(0, Math.round(median * Math.exp((rand() - 0.5) * 3 + (rand() < 0.05 ? 3 : 0))));
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

function synthetic(i) {
  const start = Date.parse('2024-01-01T00:00:00Z') + Math.floor(rand() * 3 * 365 * 86400e3);
  const offset = pick(['+00:00', '-07:00', '-08:00', '+01:00', '+05:30']);
  const iso = (ms) => {
    const off = (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4)));
    return new Date(ms + off * 60e3).toISOString().slice(0, 19) + offset;
  };
  const ttd = skewed(8), ttr = skewed(15), ttf = skewed(45);
  const marks = [
    ['failure_starts', start], ['detected', start + ttd * 60e3],
    ['repair_starts', start + (ttd + ttr) * 60e3], ['fixed', start + (ttd + ttr + ttf) * 60e3],
  ].filter(() => rand() > 0.05);
  const events = Array.from({ length: 4 }, (_, k) => ['event', start + Math.floor(rand() * (ttd + ttr + ttf + 1)) * 60e3]);
  return {
    format: 'hindsight.postmortem', version: 1, exported_at: '2026-12-01T00:00:00+00:00',
    id: `bench-${String(i).padStart(5, '0')}`,
    title: `Synthetic incident ${i}: ${pick(['latency', 'errors', 'outage', 'data delay'])} in ${pick(['search', 'checkout', 'login', 'billing'])}`,
    severity: pick(['sev1', 'sev2', 'sev2', 'sev3', 'sev3', 'sev4']),
    created_at: new Date(start + 86400e3).toISOString(),
    narrative: { summary: 'What users saw and for how long.', learned: 'What surprised us.', improvements: 'What would help.' },
    timeline: [...marks, ...events].map(([kind, ms], k) => ({ id: `e${k}`, at: iso(ms), kind, text: `${kind} ${k}`, evidence: null, approximate: false })),
    action_items: [{ id: 'a1', text: 'Follow-up', owner: 'team', done: rand() < 0.5 }],
    tags: [pick(['deploy', 'config', 'capacity', 'dependency'])],
    services: [pick(['Search', 'Checkout', 'Login', 'Billing'])],
  };
}

const archive = JSON.stringify({ format: 'hindsight.archive', version: 1, exported_at: '2026-12-01T00:00:00+00:00', postmortems: Array.from({ length: N }, (_, i) => synthetic(i)) });

const pct = (xs, p) => { const v = [...xs].sort((a, b) => a - b); const h = (v.length - 1) * p; const lo = Math.floor(h); return v[lo] + (h - lo) * ((v[Math.min(lo + 1, v.length - 1)]) - v[lo]); };
const fmt = (x) => x.toFixed(1);

const server = spawn('node', ['tests/e2e/serve-dist.mjs', '--dir', 'dist', '--port', String(PORT)], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 800));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const results = {};
try {
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  await page.goto(BASE);
  await page.getByTestId('new-postmortem').waitFor();

  // 1. Import the archive: from choosing the file to the result shown.
  const t0 = Date.now();
  await page.getByTestId('import-file').setInputFiles({ name: 'bench.json', mimeType: 'application/json', buffer: Buffer.from(archive) });
  await page.locator('[data-testid="import-result"], [data-testid="import-error"]').first().waitFor({ timeout: 600_000 });
  results.importMs = Date.now() - t0;
  results.importOutcome = (await page.locator('[data-testid="import-result"], [data-testid="import-error"]').first().innerText()).slice(0, 300);
  results.problem = await page.getByTestId('problem').count() ? await page.getByTestId('problem').innerText() : '';
  results.archiveMB = archive.length / 1048576;

  // 2. The dashboard: open it, then change filters 30 times.
  const t1 = Date.now();
  await page.getByTestId('nav-dashboard').click();
  await page.getByTestId('stats').waitFor();
  results.firstDashboardMs = Date.now() - t1;
  await page.evaluate(() => performance.clearMeasures());
  const roundTrips = [];
  for (let k = 0; k < 30; k++) {
    const sev = ['sev1', 'sev2', 'sev3'][k % 3];
    roundTrips.push(await page.evaluate(async (sev) => {
      const box = document.querySelector(`[data-testid="sev-${sev}"]`);
      const t = performance.now();
      box.click();
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return performance.now() - t;
    }, sev));
  }
  const compute = await page.evaluate(() => performance.getEntriesByName('hindsight:dashboard').map((e) => e.duration));
  results.incidents = Number(await page.getByTestId('incident-count').getAttribute('data-n'));
  results.compute = { n: compute.length, p50: pct(compute, 0.5), p95: pct(compute, 0.95), max: Math.max(...compute) };
  results.roundTrip = { n: roundTrips.length, p50: pct(roundTrips, 0.5), p95: pct(roundTrips, 0.95), max: Math.max(...roundTrips) };
  results.consoleErrors = consoleErrors.slice(0, 5);
} finally {
  await browser.close();
  server.kill();
}

const chromiumVersion = browser.version();
const report = `# Benchmark: dashboard and import at ${N} incidents

Written by \`bash scripts/bench.sh\` (bench/dashboard.bench.mjs) on ${new Date().toISOString().slice(0, 10)},
headless Chromium ${chromiumVersion}, release build (dist/), ${process.env.BENCH_MACHINE || '2-core CI-class machine'}.
Synthetic incidents: deterministic, skewed durations (log-normal-like, 5% long tail), 5% of milestones missing,
8 timeline entries and 1 action item each; archive ${fmt(results.archiveMB)} MB.

| what | result | target |
|---|---|---|
| dashboard computation (filter + mean/median/p90 of 4 spans), p50 | ${fmt(results.compute.p50)} ms | ≤ 30 ms |
| dashboard computation, p95 / max (n = ${results.compute.n}) | ${fmt(results.compute.p95)} / ${fmt(results.compute.max)} ms | |
| filter change to repainted page (compute + trend + strip + DOM), p50 / p95 | ${fmt(results.roundTrip.p50)} / ${fmt(results.roundTrip.p95)} ms | |
| first dashboard open (measure ${results.incidents} incidents + render) | ${results.firstDashboardMs} ms | |
| import of the ${N}-postmortem archive (parse, validate, build ${N} Automerge documents, store) | ${(results.importMs / 1000).toFixed(1)} s | |

Import outcome: ${results.importOutcome.replace(/\n/g, ' ')}
${results.problem ? `\nStorage problem shown: ${results.problem}\n` : ''}
${results.consoleErrors.length ? `Console errors: ${results.consoleErrors.join(' | ')}\n` : ''}
Dashboard computation is measured inside the page with \`performance.measure\` around the Rust
\`dashboard()\` call on the already-measured incident rows; the round trip is measured in the page
from a severity checkbox click to two animation frames later, so it includes waiting for up to two
frames (about 17 to 33 ms at 60 Hz): it shows the page stays within two frames, not the work alone.
`;
writeFileSync('bench/REPORT.md', report);
console.log(report);
