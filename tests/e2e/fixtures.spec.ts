// Real incident timelines entered through the UI, measured on the page.
import { test, expect } from '@playwright/test';
import { addEntry, expectMetrics, fixture, newPostmortem } from './helpers';

test('Google SRE example: TTD 1, TTR 9, TTF 56 minutes, kept after a reload', async ({ page }) => {
  const f = fixture('google-sre-book-shakespeare-2015-10-21');
  await newPostmortem(page, f.title);
  // Every milestone, and the first two plain events.
  const events = f.events.filter((e, i) => e.kind !== 'other' || i < 2);
  for (const e of events) await addEntry(page, e);
  await expectMetrics(page, { ttd: 1, ttr: 9, ttf: 56, impact: 66 });
  await expect(page.locator('[data-metric="ttd"]')).toContainText('from “Failure starts”');
  await expect(page.locator('[data-metric="ttd"]')).toContainText('to “Detected”');
  // Entries are shown in time order, in the zone they were entered in.
  await expect(page.getByTestId('timeline-entry').first()).toContainText('2015-10-21 14:51 UTC');
  await page.reload();
  await expect(page.getByTestId('timeline-entry')).toHaveCount(events.length);
  await expectMetrics(page, { ttd: 1, ttr: 9, ttf: 56, impact: 66 });
  await expect(page.getByTestId('title')).toHaveValue(f.title);
});

test('GitLab 2017: a timeline that crosses midnight UTC', async ({ page }) => {
  const f = fixture('gitlab-2017-01-31-db-outage');
  await newPostmortem(page, f.title);
  for (const e of f.events.filter((e) => e.kind !== 'other')) await addEntry(page, e);
  await expectMetrics(page, { ttd: f.expected.ttd_minutes, ttr: 69, ttf: 1058, impact: 1127 });
  // Failure and detection at the same minute: zero, shown with a warning.
  await expect(page.locator('[data-metric="ttd"]')).toHaveAttribute('data-warning', 'zero');
  await expect(page.getByTestId('timeline-entry').nth(2)).toContainText('2017-02-01 00:36 UTC');
  await expect(page.locator('[data-metric="ttf"]')).toContainText('17 h 38 min');
});

test('GitHub 2022: detection before the stated start gives a negative TTD with a warning', async ({ page }) => {
  const f = fixture('github-2022-06-01-actions-delays');
  await newPostmortem(page, f.title);
  for (const e of f.events.filter((e) => e.kind !== 'other')) await addEntry(page, e);
  await expectMetrics(page, { ttd: -3, ttr: null, ttf: null, impact: 48 });
  const ttd = page.locator('[data-metric="ttd"]');
  await expect(ttd).toHaveAttribute('data-warning', 'negative');
  await expect(ttd).toContainText('-3 min');
  await expect(ttd.getByRole('alert')).toContainText('Negative');
  // Missing repair start: not measurable, with the reason, never 0.
  await expect(page.locator('[data-metric="ttr"]')).toContainText('not measurable');
  await expect(page.locator('[data-metric="ttr"]')).toContainText('no "Repair starts"');
});
