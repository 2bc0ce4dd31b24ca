// Air-gapped teams: exchanging .automerge files between two browsers with no
// network between them.
import { test, expect, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { addEntry, newPostmortem, openApp } from './helpers';

async function downloadAutomerge(p: Page): Promise<Buffer> {
  const [d] = await Promise.all([p.waitForEvent('download'), p.getByTestId('download-automerge').click()]);
  expect(d.suggestedFilename()).toMatch(/\.automerge$/);
  return readFileSync(await d.path());
}

test('two copies edited apart merge into the union of both, and a file of another postmortem asks first', async ({ browser }) => {
  const a = await (await browser.newContext()).newPage();
  const b = await (await browser.newContext()).newPage();
  await newPostmortem(a, 'Air-gapped');
  await addEntry(a, { at: '2024-10-01T10:00:00+00:00', kind: 'failure_start', text: 'Link down' });
  const first = await downloadAutomerge(a);

  await openApp(b);
  await b.getByTestId('import-file').setInputFiles({ name: 'pm.automerge', mimeType: 'application/octet-stream', buffer: first });
  await expect(b.getByTestId('import-result')).toContainText('full history');
  await b.getByTestId('postmortem-row').getByRole('link').click();
  await expect(b.getByTestId('timeline-entry')).toContainText('Link down');

  // Apart: each adds its own entry; B also writes the summary.
  await addEntry(a, { at: '2024-10-01T10:05:00+00:00', kind: 'detected', text: 'Seen at site A' });
  await addEntry(b, { at: '2024-10-01T10:30:00+00:00', kind: 'fixed', text: 'Fixed at site B' });
  await b.getByTestId('narrative-summary').fill('Written at site B.');
  const fromB = await downloadAutomerge(b);
  await a.getByTestId('merge-file').setInputFiles({ name: 'b.automerge', mimeType: 'application/octet-stream', buffer: fromB });
  await expect(a.getByTestId('merge-result')).toContainText('Merged');
  await expect(a.getByTestId('timeline-entry')).toHaveCount(3);
  await expect(a.getByTestId('narrative-summary')).toHaveValue('Written at site B.');
  const fromA = await downloadAutomerge(a);
  await b.getByTestId('merge-file').setInputFiles({ name: 'a.automerge', mimeType: 'application/octet-stream', buffer: fromA });
  await expect(b.getByTestId('timeline-entry')).toHaveCount(3);
  await expect(b.locator('[data-metric="impact"]')).toHaveAttribute('data-minutes', '30');

  // A file of a different postmortem is not merged without asking.
  await newPostmortem(a, 'Something else');
  const other = await downloadAutomerge(a);
  await b.getByTestId('merge-file').setInputFiles({ name: 'other.automerge', mimeType: 'application/octet-stream', buffer: other });
  await expect(b.getByTestId('merge-other')).toContainText('Something else');
  await expect(b.getByTestId('title')).toHaveValue('Air-gapped');
  await b.getByTestId('merge-add-other').click();
  await expect(b.getByTestId('merge-result')).toContainText('Added as its own postmortem');
  await b.goto('/');
  await expect(b.getByTestId('postmortem-row')).toHaveCount(2);

  // A damaged file gives a message and changes nothing.
  await b.getByTestId('postmortem-row').filter({ hasText: 'Air-gapped' }).getByRole('link').click();
  await b.getByTestId('merge-file').setInputFiles({ name: 'bad.automerge', mimeType: 'application/octet-stream', buffer: Buffer.from([0x85, 0x6f, 0x4a, 0x83, 1, 2, 3]) });
  await expect(b.getByTestId('merge-error')).toContainText('cannot be read');
  await expect(b.getByTestId('timeline-entry')).toHaveCount(3);
});
