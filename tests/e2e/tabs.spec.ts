// Two tabs of one browser co-editing one postmortem.
import { test, expect } from '@playwright/test';
import { addEntry, expectMetrics, newPostmortem } from './helpers';

test('two tabs add entries and type in one narrative at the same time; both survive, also after a reload', async ({ context }) => {
  const a = await context.newPage();
  const url = await newPostmortem(a, 'Checkout latency');
  await a.getByTestId('narrative-summary').fill('Checkout was slow.');
  const b = await context.newPage();
  await b.goto(url);
  await expect(b.getByTestId('narrative-summary')).toHaveValue('Checkout was slow.');
  await expect(b.getByTestId('title')).toHaveValue('Checkout latency');

  // An edit in one tab shows in the other without a reload.
  await a.getByTestId('title').fill('Checkout latency spike');
  await expect(b.getByTestId('title')).toHaveValue('Checkout latency spike', { timeout: 1000 });

  // At the same time: each tab adds an entry and types into the summary,
  // A at the end, B at the start.
  await Promise.all([
    (async () => {
      await addEntry(a, { at: '2024-03-01T10:00:00+00:00', kind: 'failure_start', text: 'Deploy of build 812' });
    })(),
    (async () => {
      await addEntry(b, { at: '2024-03-01T10:07:00+00:00', kind: 'detected', text: 'Latency alert fires' });
    })(),
  ]);
  await a.getByTestId('narrative-summary').click();
  await b.getByTestId('narrative-summary').click();
  await a.getByTestId('narrative-summary').press('End');
  await b.getByTestId('narrative-summary').press('Home');
  await Promise.all([
    a.getByTestId('narrative-summary').pressSequentially(' Rolled back at 10:30.', { delay: 15 }),
    b.getByTestId('narrative-summary').pressSequentially('From 10:00 UTC: ', { delay: 15 }),
  ]);
  const want = 'From 10:00 UTC: Checkout was slow. Rolled back at 10:30.';
  for (const p of [a, b]) {
    await expect(p.getByTestId('timeline-entry')).toHaveCount(2);
    await expect(p.getByTestId('narrative-summary')).toHaveValue(want);
    await expectMetrics(p, { ttd: 7 });
  }
  await b.close();
  await a.reload();
  await expect(a.getByTestId('timeline-entry')).toHaveCount(2);
  await expect(a.getByTestId('narrative-summary')).toHaveValue(want);
  const c = await context.newPage();
  await c.goto(url);
  await expect(c.getByTestId('narrative-summary')).toHaveValue(want);
});

test('a postmortem created in one tab appears in the list of another', async ({ context }) => {
  const a = await context.newPage();
  const b = await context.newPage();
  await b.goto('/');
  await newPostmortem(a, 'Queue backlog');
  await expect(b.getByTestId('postmortem-row')).toContainText('Queue backlog');
});

test('saving an edited entry changes only what this person changed, not what another tab changed meanwhile', async ({ context }) => {
  const a = await context.newPage();
  const url = await newPostmortem(a, 'Edit race');
  await addEntry(a, { at: '2024-03-01T10:00:00+00:00', kind: 'other', text: 'Alert fires' });
  const b = await context.newPage();
  await b.goto(url);
  await expect(b.getByTestId('timeline-entry')).toHaveCount(1);
  // A opens the edit form; B changes time, kind and text and saves.
  await a.getByTestId('entry-edit').click();
  await b.getByTestId('entry-edit').click();
  const bf = b.getByTestId('entry-edit-form');
  await bf.getByTestId('entry-at').fill('2024-03-01T10:05');
  await bf.getByTestId('entry-kind').selectOption('detected');
  await bf.getByTestId('entry-text').fill('Alert fires (paged on-call)');
  await bf.getByTestId('entry-save').click();
  await expect(a.getByTestId('timeline-entry')).toContainText('Alert fires (paged on-call)');
  // A, still in its old form, only ticks "approximate" and saves.
  const af = a.getByTestId('entry-edit-form');
  await af.getByTestId('entry-approximate').check();
  await af.getByTestId('entry-save').click();
  for (const p of [a, b]) {
    const e = p.getByTestId('timeline-entry');
    await expect(e).toContainText('Alert fires (paged on-call)');
    await expect(e).toContainText('10:05');
    await expect(e).toContainText('(approx.)');
    await expect(e).toHaveAttribute('data-kind', 'detected');
  }
});
