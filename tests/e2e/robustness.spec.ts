// Bad input and bad storage: a clear message, nothing lost, no blank page.
import { test, expect } from '@playwright/test';
import { addEntry, expectMetrics, fixture, newPostmortem, openApp } from './helpers';

test.describe('in the Pacific time zone', () => {
  test.use({ timezoneId: 'America/Los_Angeles' });
  test('times are entered in the browser zone by default and keep their offset', async ({ page }) => {
    const f = fixture('gce-2016-04-11-incident-16007');
    await newPostmortem(page, f.title);
    const form = page.getByTestId('entry-form');
    await expect(form.getByTestId('entry-zone')).toHaveValue('browser');
    await expect(form.getByTestId('entry-zone')).toContainText('America/Los_Angeles');
    for (const [local, kind] of [
      ['2016-04-11T18:14', 'failure_starts'],
      ['2016-04-11T18:14', 'detected'],
      ['2016-04-11T19:27', 'fixed'],
    ]) {
      await form.getByTestId('entry-at').fill(local);
      await form.getByTestId('entry-kind').selectOption(kind);
      await form.getByTestId('entry-text').fill(kind);
      await form.getByTestId('entry-save').click();
    }
    await expect(page.getByTestId('timeline-entry')).toHaveCount(3);
    await expect(page.getByTestId('timeline-entry').first()).toHaveAttribute('data-at', '2016-04-11T18:14:00-07:00');
    await expect(page.getByTestId('timeline-entry').first()).toContainText('2016-04-11 18:14 UTC-07:00');
    await expectMetrics(page, { ttd: 0, ttr: null, ttf: null, impact: 73 });
    await page.getByTestId('display-zone').selectOption('utc');
    await expect(page.getByTestId('timeline-entry').first()).toContainText('2016-04-12 01:14 UTC');
  });
});

test('an impossible offset or a missing time is refused with a message, and nothing is added', async ({ page }) => {
  await newPostmortem(page, 'Bad input');
  const form = page.getByTestId('entry-form');
  await form.getByTestId('entry-text').fill('no time given');
  await form.getByTestId('entry-save').click();
  await form.getByTestId('entry-zone').selectOption('offset');
  await form.getByTestId('entry-offset').fill('+27:00');
  await form.getByTestId('entry-at').fill('2024-01-01T10:00');
  await form.getByTestId('entry-save').click();
  await expect(form.getByTestId('entry-error')).toContainText('offset');
  await expect(page.getByTestId('timeline-entry')).toHaveCount(0);
  await form.getByTestId('entry-evidence').fill('javascript:alert(1)');
  await form.getByTestId('entry-offset').fill('+01:00');
  await form.getByTestId('entry-save').click();
  await expect(form.getByTestId('entry-error')).toContainText('https://');
  await expect(page.getByTestId('timeline-entry')).toHaveCount(0);
});

test('text that looks like HTML is shown as text', async ({ page }) => {
  await newPostmortem(page, '<img src=x onerror="window.pwned=1">');
  await addEntry(page, { at: '2024-01-01T10:00:00+00:00', kind: 'other', text: '<b>bold?</b><script>window.pwned=2</script>' });
  await expect(page.getByTestId('timeline-entry')).toContainText('<b>bold?</b>');
  await page.goto('/');
  await expect(page.getByTestId('postmortem-row')).toContainText('<img src=x');
  expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined();
});

test('delete asks first, and cancel keeps the postmortem', async ({ page }) => {
  await newPostmortem(page, 'To be deleted');
  await page.goto('/');
  const row = page.getByTestId('postmortem-row');
  await row.getByTestId('delete').click();
  await expect(row).toContainText('This cannot be undone');
  await row.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toHaveCount(1);
  await row.getByTestId('delete').click();
  await row.getByTestId('confirm-delete').click();
  await expect(page.getByTestId('empty-list')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('empty-list')).toBeVisible();
});

test('a damaged stored postmortem shows an error, keeps its bytes, and the rest works', async ({ page }) => {
  await newPostmortem(page, 'Healthy one');
  await page.waitForTimeout(400); // let the debounced save run
  await page.evaluate(() => {
    localStorage.setItem('hindsight/v1/postmortem/broken1/meta', '{"id":"broken1"}');
    localStorage.setItem('hindsight/v1/postmortem/broken1/chunk/incr/00', 'AAAA');
  });
  await page.goto('/');
  await page.reload();
  const rows = page.getByTestId('postmortem-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'could not be loaded' })).toContainText('damaged');
  await expect(rows.filter({ hasText: 'Healthy one' })).toHaveCount(1);
  await page.goto('/#/p/broken1');
  await expect(page.getByTestId('load-error')).toContainText('left exactly as it is');
  expect(await page.evaluate(() => localStorage.getItem('hindsight/v1/postmortem/broken1/chunk/incr/00'))).toBe('AAAA');
  await page.goto('/');
  await rows.filter({ hasText: 'Healthy one' }).getByRole('link').click();
  await expect(page.getByTestId('title')).toHaveValue('Healthy one');
});

test('a full storage quota gives a clear message and loses no edit', async ({ page }) => {
  await newPostmortem(page, 'Quota');
  await page.waitForTimeout(400);
  // Fill localStorage to the brim with something else.
  await page.evaluate(() => {
    const block = 'x'.repeat(256 * 1024);
    for (let i = 0; ; i++) {
      try { localStorage.setItem(`filler-${i}`, block); } catch { break; }
    }
    for (let size = 16 * 1024; size >= 1; size = Math.floor(size / 2)) {
      for (let i = 0; ; i++) {
        try { localStorage.setItem(`filler-small-${size}-${i}`, 'x'.repeat(size)); } catch { break; }
      }
    }
  });
  await page.getByTestId('narrative-learned').fill('Storage can fill up. '.repeat(50));
  await expect(page.getByTestId('problem')).toContainText('storage for this page is full');
  await expect(page.getByTestId('narrative-learned')).toHaveValue('Storage can fill up. '.repeat(50));
  // Free space: the next save catches up, and a reload finds the edit.
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('filler-')) localStorage.removeItem(k);
  });
  await page.getByTestId('narrative-summary').fill('Saved after space was freed.');
  await expect(page.getByTestId('problem')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('narrative-learned')).toHaveValue('Storage can fill up. '.repeat(50));
});

test('a double-click on Delete removes one entry, and Undo brings it back', async ({ page }) => {
  await newPostmortem(page, 'Deletes');
  for (const [t, text] of [['10:00', 'first'], ['10:01', 'second'], ['10:02', 'third']]) {
    await addEntry(page, { at: `2024-01-01T${t}:00+00:00`, kind: 'other', text });
  }
  await page.getByTestId('entry-delete').first().dblclick();
  await expect(page.getByTestId('timeline-entry')).toHaveCount(2);
  await expect(page.getByTestId('entry-deleted')).toContainText('first');
  await page.getByTestId('entry-undo').click();
  await expect(page.getByTestId('timeline-entry')).toHaveCount(3);
  await expect(page.getByTestId('timeline-entry').first()).toContainText('first');
});

test('an entry needs text, and editing an entry does not change the zone of the add form', async ({ page }) => {
  await newPostmortem(page, 'Zones');
  const form = page.getByTestId('entry-form');
  await form.getByTestId('entry-at').fill('2024-01-01T10:00');
  await form.getByTestId('entry-save').click();
  await expect(form.getByTestId('entry-error')).toContainText('Say what happened');
  await expect(page.getByTestId('timeline-entry')).toHaveCount(0);
  await addEntry(page, { at: '2024-07-01T10:00:00-07:00', kind: 'other', text: 'Pacific' });
  await form.getByTestId('entry-zone').selectOption('browser');
  await page.getByTestId('entry-edit').click();
  await page.getByTestId('entry-edit-form').getByTestId('entry-save').click();
  await expect(page.getByTestId('entry-form').getByTestId('entry-zone')).toHaveValue('browser');
});

test('a postmortem with one damaged part can be opened with what can be read', async ({ page }) => {
  await newPostmortem(page, 'Partly damaged');
  await addEntry(page, { at: '2024-01-01T10:00:00+00:00', kind: 'failure_start', text: 'kept' });
  await page.waitForTimeout(400);
  const id = new URL(page.url()).hash.replace('#/p/', '');
  await page.evaluate((id) => localStorage.setItem(`hindsight/v1/postmortem/${id}/chunk/incr/ffff`, ''), id);
  await page.reload();
  await expect(page.getByTestId('load-error')).toContainText('empty');
  await page.getByTestId('recover').click();
  await expect(page.getByTestId('title')).toHaveValue('Partly damaged');
  await expect(page.getByTestId('timeline-entry')).toContainText('kept');
  expect(await page.evaluate((id) => localStorage.getItem(`hindsight/v1/postmortem/${id}/chunk/incr/ffff`), id)).toBe('');
});
