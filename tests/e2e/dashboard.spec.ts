// Measuring across incidents: import the shared fixtures, read the dashboard,
// change the window and filters, archive and restore in a fresh browser.
import { test, expect, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
  archiveOf, dashboardStat, fixture, FIXTURE_NAMES, importJson, openApp, stats, toHindsight, Fixture,
} from './helpers';

const SPANS: [string, (f: Fixture) => number | null][] = [
  ['ttd', (f) => f.expected.ttd_minutes],
  ['ttr', (f) => f.expected.ttr_minutes],
  ['ttf', (f) => f.expected.ttf_minutes],
  ['impact', (f) => f.impact_minutes_failure_to_fixed],
];

// Severities and tags given to the fixtures for the filters.
const EXTRA: Record<string, { severity: string; tags: string[]; services: string[] }> = {
  'aws-s3-2017-02-28-us-east-1': { severity: 'sev1', tags: ['storage'], services: ['S3'] },
  'cloudflare-2019-07-02-waf-regex': { severity: 'sev1', tags: ['deploy'], services: ['WAF'] },
  'elevenlabs-2025-10-31-isolated-env-voices': { severity: 'sev2', tags: ['deploy'], services: ['Voices'] },
  'gce-2016-04-11-incident-16007': { severity: 'sev1', tags: ['network'], services: ['Compute'] },
  'github-2022-06-01-actions-delays': { severity: 'sev3', tags: [], services: ['Actions'] },
  'gitlab-2017-01-31-db-outage': { severity: 'sev1', tags: ['database'], services: ['GitLab.com'] },
  'google-sre-book-shakespeare-2015-10-21': { severity: 'sev2', tags: ['capacity'], services: ['Search'] },
};

const fixtures = FIXTURE_NAMES.map((n) => fixture(n));
const archive = archiveOf(fixtures.map((f) => toHindsight(f, EXTRA[f.id])));

/** Failure start of each fixture, for ordering by recency. */
const startOf = (f: Fixture) => Date.parse(f.events.find((e) => e.kind === 'failure_start')!.at);

async function expectDashboard(page: Page, selected: Fixture[]) {
  await expect(page.getByTestId('incident-count')).toHaveAttribute('data-n', String(selected.length));
  for (const [span, value] of SPANS) {
    const values = selected.map(value).filter((v): v is number => v !== null);
    const leftOut = selected.length - values.length;
    await expect(page.locator(`td[data-span="${span}"][data-stat="n"]`)).toHaveAttribute('data-n', String(values.length));
    await expect(page.locator(`td[data-span="${span}"][data-stat="left-out"]`)).toHaveAttribute('data-n', String(leftOut));
    if (values.length === 0) {
      expect(await dashboardStat(page, span, 'mean')).toBeNull();
      continue;
    }
    const want = stats(values);
    for (const stat of ['mean', 'median', 'p90'] as const) {
      const got = await dashboardStat(page, span, stat);
      expect(got, `${span} ${stat}`).not.toBeNull();
      expect(got!, `${span} ${stat}`).toBeCloseTo(want[stat], 1);
    }
  }
}

async function importArchive(page: Page) {
  await openApp(page);
  await importJson(page, 'fixtures.json', archive);
  await expect(page.getByTestId('import-result')).toContainText('7 new postmortems');
  await expect(page.getByTestId('postmortem-row')).toHaveCount(7);
}

test('the dashboard shows means, medians, p90 and n computed from the imported fixtures', async ({ page }) => {
  await importArchive(page);
  await page.getByTestId('nav-dashboard').click();
  await expectDashboard(page, fixtures);
  // MTTD etc. are named as such and say what they measure.
  await expect(page.locator('tr[data-span="ttd"]')).toContainText('mean = MTTD');
  await expect(page.locator('tr[data-span="ttd"]')).toContainText('from “Failure starts” to “Detected”');
  // Who was left out of TTR, and why: one click away.
  const ttrRow = page.locator('tr[data-span="ttr"]');
  await ttrRow.getByTestId('left-out-toggle').click();
  await expect(ttrRow.getByTestId('left-out-list')).toContainText('Amazon S3');
  await expect(ttrRow.getByTestId('left-out-list')).toContainText('no “Detected” or “Repair starts”');
  // A negative TTD (GitHub 2022) is counted and flagged.
  await expect(page.locator('tr[data-span="ttd"]')).toContainText('includes 1 negative span');
  await expect(page.getByTestId('trend-chart')).toBeVisible();
  await expect(page.getByTestId('incident-strip').locator('.strip-row')).toHaveCount(7);
});

test('changing the window and the filters changes the numbers correctly', async ({ page }) => {
  await importArchive(page);
  await page.getByTestId('nav-dashboard').click();
  const byRecency = [...fixtures].sort((a, b) => startOf(b) - startOf(a));

  await page.getByTestId('window').selectOption('last_n');
  await page.getByTestId('window-n').fill('3');
  await expectDashboard(page, byRecency.slice(0, 3));
  await expect(page.getByTestId('small-n')).toBeVisible();

  await page.getByTestId('window').selectOption('range');
  await page.getByTestId('window-from').fill('2017-01-01');
  await page.getByTestId('window-to').fill('2019-12-31');
  const inRange = fixtures.filter((f) => startOf(f) >= Date.parse('2017-01-01T00:00:00Z') && startOf(f) < Date.parse('2020-01-01T00:00:00Z'));
  expect(inRange.length).toBe(3);
  await expectDashboard(page, inRange);

  await page.getByTestId('window').selectOption('all');
  await page.getByTestId('sev-sev1').check();
  await expectDashboard(page, fixtures.filter((f) => EXTRA[f.id].severity === 'sev1'));
  await page.getByTestId('sev-sev2').check();
  await expectDashboard(page, fixtures.filter((f) => ['sev1', 'sev2'].includes(EXTRA[f.id].severity)));
  await page.getByTestId('sev-sev1').uncheck();
  await page.getByTestId('sev-sev2').uncheck();

  await page.getByTestId('tag-filter').selectOption('deploy');
  await expectDashboard(page, fixtures.filter((f) => EXTRA[f.id].tags.includes('deploy')));
  await page.getByTestId('tag-filter').selectOption('');
  await page.getByTestId('service-filter').selectOption('Search');
  await expectDashboard(page, fixtures.filter((f) => EXTRA[f.id].services.includes('Search')));

  await page.getByTestId('service-filter').selectOption('');
  await page.getByTestId('window').selectOption('days30');
  await expect(page.getByTestId('incident-count')).toHaveAttribute('data-n', '0');
});

test('the archive downloads, and imports into a fresh browser profile with everything found again', async ({ page, browser }) => {
  await importArchive(page);
  await page.getByTestId('postmortem-row').filter({ hasText: 'Shakespeare' }).getByRole('link').click();
  await page.getByTestId('narrative-learned').fill('Load tests must include unknown search terms.');
  await page.getByTestId('add-action').click();
  await page.getByTestId('action-text').fill('Add a load-shedding test');
  await page.getByRole('link', { name: '← All postmortems' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-archive').click()]);
  const text = readFileSync(await download.path(), 'utf8');
  const json = JSON.parse(text);
  expect(json.format).toBe('hindsight.archive');
  expect(json.postmortems).toHaveLength(7);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await openApp(other);
  await expect(other.getByTestId('empty-list')).toBeVisible();
  await importJson(other, 'archive.json', text);
  await expect(other.getByTestId('import-result')).toContainText('7 new postmortems');
  await other.getByTestId('nav-dashboard').click();
  await expectDashboard(other, fixtures);
  await other.goto('/');
  await other.getByTestId('postmortem-row').filter({ hasText: 'Shakespeare' }).getByRole('link').click();
  await expect(other.getByTestId('narrative-learned')).toHaveValue('Load tests must include unknown search terms.');
  await expect(other.getByTestId('action-text')).toHaveValue('Add a load-shedding test');
  await expect(other.getByTestId('timeline-entry')).toHaveCount(27);
  // Importing the same archive again merges: nothing is duplicated.
  await other.goto('/');
  await importJson(other, 'archive.json', text);
  await expect(other.getByTestId('import-result')).toContainText('0 new postmortems, 7 merged');
  await expect(other.getByTestId('postmortem-row')).toHaveCount(7);
  await fresh.close();
});

test('a bad file is refused with its first problems named, and nothing changes', async ({ page }) => {
  await openApp(page);
  await importJson(page, 'broken.json', '{"format": "hindsight.archive", "version": 1, "postmortems": [');
  await expect(page.getByTestId('import-error')).toContainText('Nothing was imported from broken.json');
  await expect(page.getByTestId('import-error')).toContainText('not valid JSON');
  const bad = JSON.parse(JSON.stringify(archive));
  bad.postmortems[1].timeline[2].at = '14:02 yesterday';
  bad.postmortems[3].severity = 'catastrophic';
  await importJson(page, 'bad.json', bad);
  await expect(page.getByTestId('import-error')).toContainText('$.postmortems[1].timeline[2].at');
  await expect(page.getByTestId('import-error')).toContainText('$.postmortems[3].severity');
  const newer = { ...toHindsight(fixtures[0]), version: 9 };
  await importJson(page, 'newer.json', newer);
  await expect(page.getByTestId('import-error')).toContainText('newer Hindsight');
  await expect(page.getByTestId('empty-list')).toBeVisible();
});

test('team labels, Markdown and CSV', async ({ page }) => {
  await importArchive(page);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('label-short-ttf').fill('TTM');
  await page.getByTestId('label-name-ttf').fill('Time to mitigate');
  await page.getByTestId('save-settings').click();
  await page.getByTestId('nav-dashboard').click();
  await expect(page.locator('tr[data-span="ttf"]')).toContainText('TTM · Time to mitigate');
  await expect(page.locator('tr[data-span="ttf"]')).toContainText('mean = MTTM');
  await expect(page.locator('tr[data-span="ttf"]')).toContainText('from “Repair starts” to “Fixed”');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  const lines = readFileSync(await csv.path(), 'utf8').trim().split('\n');
  expect(lines[0]).toContain('ttd_minutes');
  expect(lines).toHaveLength(8);
  await page.reload();
  await expect(page.locator('tr[data-span="ttf"]')).toContainText('TTM');
  await page.goto('/');
  await page.getByTestId('postmortem-row').filter({ hasText: 'GitLab' }).getByRole('link').click();
  await expect(page.locator('[data-metric="ttf"]')).toContainText('TTM · Time to mitigate');
  const [md] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-markdown').click()]);
  const text = readFileSync(await md.path(), 'utf8');
  expect(text).toContain('| TTM (Time to mitigate) | 17 h 38 min |');
  expect(text).toContain('## Timeline');
});

test('tags and services typed in the editor are normalised, kept, and offered as dashboard filters', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('new-postmortem').click();
  await page.getByTestId('title').fill('Tagged');
  await page.getByTestId('tags').fill(' Database, deploy,, database ');
  await page.getByTestId('tags').press('Enter');
  await page.getByTestId('services').fill('Search API, Checkout');
  await page.getByTestId('services').press('Enter');
  await expect(page.getByTestId('tags')).toHaveValue('database, deploy');
  await page.waitForTimeout(400);
  await page.reload();
  await expect(page.getByTestId('tags')).toHaveValue('database, deploy');
  await expect(page.getByTestId('services')).toHaveValue('Checkout, Search API');
  await page.getByTestId('nav-dashboard').click();
  await page.getByTestId('tag-filter').selectOption('deploy');
  await expect(page.getByTestId('incident-count')).toHaveAttribute('data-n', '1');
  await page.getByTestId('service-filter').selectOption('Checkout');
  await expect(page.getByTestId('incident-count')).toHaveAttribute('data-n', '1');
});
