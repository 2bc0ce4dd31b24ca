// Download a postmortem as JSON.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { addEntry, fixture, newPostmortem } from './helpers';

test('the exported JSON parses and holds the entered events, milestones and spans', async ({ page }) => {
  const f = fixture('cloudflare-2019-07-02-waf-regex');
  await newPostmortem(page, f.title);
  await page.getByTestId('severity').selectOption('sev1');
  await page.getByTestId('narrative-learned').fill('A regular expression can exhaust CPU.');
  const milestones = f.events.filter((e) => e.kind !== 'other');
  for (const e of milestones) await addEntry(page, e);
  await page.getByTestId('add-action').click();
  await page.getByTestId('action-text').fill('Limit regex backtracking');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  expect(download.suggestedFilename()).toMatch(/^hindsight-\d{4}-\d{2}-\d{2}-.*\.json$/);
  const json = JSON.parse(readFileSync(await download.path(), 'utf8'));
  expect(json.format).toBe('hindsight.postmortem');
  expect(json.version).toBe(1);
  expect(json.title).toBe(f.title);
  expect(json.severity).toBe('sev1');
  expect(json.narrative.learned).toBe('A regular expression can exhaust CPU.');
  expect(json.timeline.map((e: any) => e.at)).toEqual(milestones.map((e) => e.at));
  expect(json.timeline.map((e: any) => e.text)).toEqual(milestones.map((e) => e.text));
  expect(json.milestones.detected.at).toBe('2019-07-02T13:45:00+00:00');
  expect(json.metrics.ttd.minutes).toBe(3);
  expect(json.metrics.ttr.minutes).toBe(17);
  expect(json.metrics.ttf.minutes).toBe(7);
  expect(json.metrics.impact.minutes).toBe(27);
  expect(json.action_items[0].text).toBe('Limit regex backtracking');
});
