// Shared helpers for the end-to-end tests: drive the UI as a person would.
import { expect, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type FixtureEvent = { at: string; kind: string; text: string; approximate?: boolean };
export type Fixture = {
  id: string;
  title: string;
  events: FixtureEvent[];
  expected: { ttd_minutes: number | null; ttr_minutes: number | null; ttf_minutes: number | null };
  impact_minutes_failure_to_fixed: number | null;
};

const FIXTURES = process.env.HINDSIGHT_FIXTURES || join(process.cwd(), '..', 'shared', 'fixtures', 'incidents');

export function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
}

/** The fixture's kind names, as Hindsight's kind select values. */
export function hindsightKind(kind: string): string {
  return (
    { failure_start: 'failure_starts', repair_started: 'repair_starts', other: 'event' } as Record<string, string>
  )[kind] ?? kind;
}

/** "2017-01-31T23:27:00+00:00" -> ["2017-01-31T23:27", "+00:00"] */
export function splitAt(at: string): [string, string] {
  const m = at.match(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::\d{2})?(Z|[+-]\d{2}:\d{2})$/);
  if (!m) throw new Error(`unexpected time ${at}`);
  return [m[1], m[2] === 'Z' ? '+00:00' : m[2]];
}

export async function openApp(page: Page) {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Postmortems' })).toBeVisible();
}

export async function newPostmortem(page: Page, title: string): Promise<string> {
  await openApp(page);
  await page.getByTestId('new-postmortem').click();
  await expect(page.getByTestId('editor')).toBeVisible();
  await page.getByTestId('title').fill(title);
  return page.url();
}

/** Adds a timeline entry through the form, in the given UTC offset. */
export async function addEntry(page: Page, e: { at: string; kind: string; text: string }) {
  const [local, offset] = splitAt(e.at);
  const form = page.getByTestId('entry-form');
  // Count entries with this text, not all entries: another tab may add its own meanwhile.
  const same = page.getByTestId('timeline-entry').filter({ hasText: e.text });
  const before = await same.count();
  if (offset === '+00:00') {
    await form.getByTestId('entry-zone-utc').click();
  } else {
    await form.getByTestId('entry-zone').selectOption('offset');
    await form.getByTestId('entry-offset').fill(offset);
  }
  await form.getByTestId('entry-at').fill(local);
  await form.getByTestId('entry-kind').selectOption(hindsightKind(e.kind));
  await form.getByTestId('entry-text').fill(e.text);
  await form.getByTestId('entry-save').click();
  await expect(same).toHaveCount(before + 1);
}

/** Minutes of a metric as the page states them machine-readably; null when not measurable. */
export async function metricMinutes(page: Page, key: string): Promise<number | null> {
  const v = await page.locator(`[data-metric="${key}"]`).getAttribute('data-minutes');
  return v === null || v === '' ? null : Number(v);
}

export async function expectMetrics(page: Page, want: Record<string, number | null>) {
  for (const [key, minutes] of Object.entries(want)) {
    await expect(page.locator(`[data-metric="${key}"]`)).toHaveAttribute('data-minutes', minutes === null ? '' : String(minutes));
  }
}

export const FIXTURE_NAMES = [
  'aws-s3-2017-02-28-us-east-1',
  'cloudflare-2019-07-02-waf-regex',
  'elevenlabs-2025-10-31-isolated-env-voices',
  'gce-2016-04-11-incident-16007',
  'github-2022-06-01-actions-delays',
  'gitlab-2017-01-31-db-outage',
  'google-sre-book-shakespeare-2015-10-21',
];

/** A shared fixture converted to Hindsight's postmortem JSON (format version 1). */
export function toHindsight(f: Fixture, extra: { severity?: string; tags?: string[]; services?: string[] } = {}) {
  const kinds: Record<string, string> = { failure_start: 'failure_starts', repair_started: 'repair_starts', other: 'event' };
  return {
    format: 'hindsight.postmortem',
    version: 1,
    exported_at: '2026-12-01T00:00:00+00:00',
    id: f.id.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64),
    title: f.title,
    severity: extra.severity ?? 'unset',
    created_at: '2026-12-01T00:00:00+00:00',
    narrative: { summary: `Imported from ${f.id}.`, learned: '', improvements: '' },
    timeline: f.events.map((e, i) => ({
      id: `e${i}`,
      at: e.at,
      kind: kinds[e.kind] ?? e.kind,
      text: e.text,
      evidence: null,
      approximate: !!e.approximate,
    })),
    action_items: [],
    tags: extra.tags ?? [],
    services: extra.services ?? [],
  };
}

export function archiveOf(postmortems: object[]) {
  return { format: 'hindsight.archive', version: 1, exported_at: '2026-12-01T00:00:00+00:00', postmortems };
}

export async function importJson(page: Page, name: string, value: unknown) {
  await page.getByTestId('import-file').setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  });
}

/** Mean, median and p90 (linear interpolation between closest ranks), computed here independently. */
export function stats(values: number[]) {
  const v = [...values].sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (v.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, v.length - 1);
    return v[lo] + (h - lo) * (v[hi] - v[lo]);
  };
  return { n: v.length, mean: v.reduce((a, b) => a + b, 0) / v.length, median: q(0.5), p90: q(0.9) };
}

/** Reads one statistic of the dashboard as the page states it machine-readably. */
export async function dashboardStat(page: Page, span: string, stat: string): Promise<number | null> {
  const cell = page.locator(`td[data-span="${span}"][data-stat="${stat}"]`);
  const v = await cell.getAttribute(stat === 'n' || stat === 'left-out' ? 'data-n' : 'data-minutes');
  return v === null || v === '' ? null : Number(v);
}
