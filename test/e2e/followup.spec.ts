/**
 * Follow-up end to end, on the real backend: a lead is routed by a rule made in the
 * settings screen, becomes MQL through a scoring adjustment (the rescore moves it),
 * appears in its owner's queue with the due time its SLA policy gives, gets an attempt
 * and a disposition from the UI, and the funnel and SLA reports change accordingly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { slaDueAt } from '../../shared/followup/sla';
import { REAL_DATA, expect, test, type AppHarness } from './fixtures';
import { AppShell } from './pages/app-shell';
import { FollowUpPage } from './pages/followup-page';
import { ReportsPage } from './pages/reports-page';

async function seed(app: AppHarness) {
  const b = app.backend;
  const ann = await b.invoke('owner-save', { name: 'Ann Field', email: 'ann@example.com', role: 'field_rep' });
  await b.invoke('owner-save', { name: 'Ivy Inside', email: 'ivy@example.com', role: 'inside_sales' });
  const csv = app.writeFile(
    'leads.csv',
    [
      'Email,First name,Last name,Company,Source',
      'wendy@acme.example,Wendy,Webber,Acme,webinar',
      'sam@globex.example,Sam,Search,Globex,ads',
      'tia@initech.example,Tia,Trade,Initech,tradeshow',
    ].join('\n'),
  );
  await b.invoke('import-run', {
    path: csv,
    options: {
      kind: 'leads',
      mapping: {
        Email: 'email',
        'First name': 'first_name',
        'Last name': 'last_name',
        Company: 'company',
        Source: 'source',
      },
    },
  });
  const id = (email: string) =>
    (app.readDb().prepare('SELECT id FROM leads WHERE email_norm = ?').get(email) as { id: number }).id;
  return { ann, wendy: id('wendy@acme.example'), sam: id('sam@globex.example') };
}

function funnelCounts(app: AppHarness) {
  return app.backend
    .invoke('report-funnel', {})
    .then((r) => Object.fromEntries(r.data.steps.map((s) => [s.key, s.count])));
}

test('a lead becomes MQL, is routed, worked from the queue and shows up in the reports', async ({ app }) => {
  const { wendy } = await seed(app);
  await app.open();
  const shell = new AppShell(app.page);
  const fu = new FollowUpPage(app.page);

  // Settings: who I am, and a routing rule for webinar leads.
  await shell.goTo('Follow-up');
  await fu.showSettings();
  await fu.chooseMe('Ann Field (ann@example.com)');
  await app.screenshot('followup-settings-top');
  await fu.addOwnerRule('Webinar leads to Ann', 'source', 'webinar', 'Ann Field');
  // The rule's row names the field as the picker does, not by its key.
  await expect(
    app.page.getByRole('region', { name: 'Routing rules' }).locator('tbody tr', { hasText: 'Webinar leads to Ann' }),
  ).toContainText('Lead source is webinar');
  await app.screenshot('followup-settings');

  const before = await funnelCounts(app);
  expect(before).toMatchObject({ names: 3, mql: 0, opportunity: 0 });

  // The lead crosses the MQL threshold: a rep's +100 adjustment rescores it.
  await app.backend.invoke('score-adjust', { leadId: wendy, points: 100, reason: 'Asked for a demo at the webinar' });
  const lead = app
    .readDb()
    .prepare(
      'SELECT l.stage, l.grade, o.name AS owner FROM leads l LEFT JOIN owners o ON o.id = l.owner_id WHERE l.id = ?',
    )
    .get(wendy) as { stage: string; grade: string; owner: string };
  expect(lead).toMatchObject({ stage: 'mql', owner: 'Ann Field' });

  // The due time its SLA policy gives, computed independently from the MQL moment.
  const mqlAt = (
    app.readDb().prepare("SELECT changed_at FROM stage_changes WHERE lead_id = ? AND to_stage = 'mql'").get(wendy) as {
      changed_at: number;
    }
  ).changed_at;
  const policies = await app.backend.invoke('sla-policies-list', {});
  const policy = policies.find(
    (p) => p.enabled && (p.grades.length === 0 || p.grades.includes(lead.grade)) && p.segments.length === 0,
  )!;
  const expectedDue = slaDueAt(mqlAt, policy);

  await fu.showQueue('My leads');
  const row = fu.row('Wendy Webber');
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute('data-due', String(expectedDue));
  await expect(row).toContainText(policy.recommendedAction);
  await expect(row).toContainText('0/3');
  await expect(row.locator('.fu-status')).toHaveText(/On time|Due soon/);
  await expect(fu.queue.locator('tbody tr')).toHaveCount(1);
  await app.screenshot('followup-queue');

  // Two clicks: the row, then the outcome.
  await fu.logOutcome('Wendy Webber', 'No answer');
  await expect(row).toContainText('1/3');
  await expect(row.locator('.fu-status')).toHaveText('Met');
  // "No answer" met the SLA but leaves the lead in MQL: only reaching it accepts it.
  await expect(fu.panel.getByRole('region', { name: 'History' })).toContainText('No answer');
  await expect(fu.panel).not.toContainText('MQL → Accepted by sales (SAL)');
  await app.screenshot('followup-attempt-logged');

  // The keyboard logs the next outcome for the selected lead.
  await app.page.keyboard.press('3');
  await expect(fu.toast).toContainText('Connected');
  await expect(row).toContainText('2/3');
  await expect(fu.panel).toContainText('MQL → Accepted by sales (SAL)');

  await fu.dispose('Wendy Webber', 'Converted to opportunity');
  await expect(fu.main.getByRole('heading', { name: 'Nothing to follow up' })).toBeVisible();

  const after = await funnelCounts(app);
  expect(after).toMatchObject({ names: 3, mql: 1, sal: 1, sql: 1, opportunity: 1, won: 0 });

  // Reports show the change: funnel and SLA.
  await shell.goTo('Reports');
  const reports = new ReportsPage(app.page);
  await reports.show('Funnel');
  expect(await reports.rowCells('Funnel', 'MQL')).toEqual(['Reached MQL (ever)', '1', '33.3', '33.3']);
  expect(await reports.rowCells('Funnel', 'Opportunity')).toEqual(['Reached Opportunity', '1', '100', '33.3']);
  await app.screenshot('reports-funnel');

  await reports.show('SLA compliance');
  await expect(reports.main.getByTestId('sla-met')).toHaveText('1');
  await expect(reports.main.getByTestId('sla-compliance')).toHaveText('100%');
  expect((await reports.rowCells('SLA compliance', 'Owner')).slice(1, 4)).toEqual(['Ann Field', '1', '1']);
  await app.screenshot('reports-sla');

  const csv = join(app.dir, 'sla.csv');
  app.queueSavePath(csv);
  await reports.exportCsv();
  expect(readFileSync(csv, 'utf8')).toContain('Owner,Ann Field,1,1,0,0,0,0,100,');

  await reports.show('Disposition reasons');
  expect(await reports.rowCells('Disposition reasons', 'Converted')).toEqual([
    'Converted to opportunity',
    '',
    'Opportunity',
    '1',
    '100',
  ]);
  await reports.show('Grades & segments');
  await app.screenshot('reports-grades');
  await reports.show('Outcomes');
  await app.screenshot('reports-outcomes');
});

test('a desktop notification tells me when one of my leads becomes due soon, unless turned off', async ({ app }) => {
  await app.page.addInitScript(() => {
    const shown: string[] = [];
    (window as unknown as { __notes: string[] }).__notes = shown;
    class FakeNotification {
      static permission = 'granted';
      static requestPermission = () => Promise.resolve('granted');
      constructor(title: string) {
        shown.push(title);
      }
    }
    (window as unknown as { Notification: unknown }).Notification = FakeNotification;
  });
  const { ann, wendy, sam } = await seed(app);
  // "Due soon" from the moment a lead becomes MQL (the share of its SLA window left that
  // counts as due soon is nearly all of it), so the test needs no clock but the real one.
  await app.backend.invoke('followup-settings-save', { meOwnerId: ann.id, dueSoonFraction: 0.999999 });
  await app.backend.invoke('lead-assign', { leadIds: [wendy, sam], ownerId: ann.id });
  await app.backend.invoke('stage-change', { leadIds: [wendy], toStage: 'mql' });

  await app.open();
  const notes = () => app.page.evaluate(() => (window as unknown as { __notes: string[] }).__notes);
  await expect.poll(notes).toEqual(['Due soon: Wendy Webber']);

  const shell = new AppShell(app.page);
  const fu = new FollowUpPage(app.page);
  await shell.goTo('Follow-up');
  await fu.showQueue('My leads');
  await expect(fu.row('Wendy Webber').locator('.fu-status')).toHaveText('Due soon');
  await app.screenshot('followup-due-soon');

  await fu.showSettings();
  const box = fu.main.getByLabel('Desktop notification when one of my leads becomes due soon');
  await expect(box).toBeChecked();
  await box.click();
  await expect(box).not.toBeChecked();
  await expect(fu.toast).toContainText('Saved notification setting');
  expect((await app.backend.invoke('followup-settings-get', {})).notifyDueSoon).toBe(false);

  // While off, a second lead of mine turning due soon raises nothing...
  await app.backend.invoke('stage-change', { leadIds: [sam], toStage: 'mql' });
  await expect
    .poll(async () => (await app.backend.invoke('followup-lead', { leadId: sam })).item?.status)
    .toBe('due_soon');
  expect(await app.backend.invoke('followup-due-soon', {})).toEqual([]);
  expect(await notes()).toEqual(['Due soon: Wendy Webber']);
  // ...and once turned back on, it is announced (Wendy, already announced, is not repeated).
  await box.click();
  await expect(box).toBeChecked();
  await expect.poll(notes).toEqual(['Due soon: Wendy Webber', 'Due soon: Sam Search']);
});

test('SLA policies, owners and stages are edited from the settings screen', async ({ app }) => {
  await app.open();
  const shell = new AppShell(app.page);
  const fu = new FollowUpPage(app.page);
  await shell.goTo('Follow-up');
  await fu.showSettings();

  // An owner, added by hand.
  const owners = fu.main.getByRole('region', { name: 'Owners' });
  await owners.getByRole('button', { name: 'Add owner' }).click();
  const ownerForm = owners.getByRole('form', { name: 'Owner' });
  // Saving a half-filled owner names what is missing and saves nothing.
  await ownerForm.getByLabel('Owner email').fill('olga@');
  await ownerForm.getByRole('button', { name: 'Save owner' }).click();
  const problems = ownerForm.getByRole('alert', { name: 'Problems with this owner' });
  await expect(problems).toContainText('Give the owner a name.');
  await expect(problems).toContainText('"olga@" is not an email address.');
  expect(await app.backend.invoke('owners-list', {})).toHaveLength(1);
  await ownerForm.getByLabel('Owner name').fill('Olga Outbound');
  await ownerForm.getByLabel('Owner email').fill('olga@example.com');
  await ownerForm.getByLabel('Owner role').selectOption({ label: 'SDR' });
  await ownerForm.getByLabel('Owner team').fill('EMEA');
  await ownerForm.getByRole('button', { name: 'Save owner' }).click();
  await expect(owners.locator('tbody tr', { hasText: 'Olga Outbound' })).toContainText('SDR');
  // The app's user is the first owner of a new workspace; Olga comes second.
  expect((await app.backend.invoke('owners-list', {})).find((o) => o.name === 'Olga Outbound')).toEqual(
    expect.objectContaining({
      name: 'Olga Outbound',
      email: 'olga@example.com',
      role: 'sdr',
      team: 'EMEA',
      active: true,
    }),
  );

  // A new policy starts in the computer's time zone, picked from the zones the system knows.
  const sla = fu.main.getByRole('region', { name: 'SLA policies' });
  await sla.getByRole('button', { name: 'Add policy' }).click();
  const localZone = await app.page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  await expect(sla.getByRole('form', { name: 'SLA policy' }).getByLabel('Time zone')).toHaveValue(localZone);
  await sla.getByRole('form', { name: 'SLA policy' }).getByRole('button', { name: 'Cancel' }).click();

  // The catch-all policy: 8 business hours in New York, Saturdays 10-14 too, by call.
  await sla.locator('tbody tr', { hasText: 'Everyone else' }).getByRole('button', { name: 'Edit' }).click();
  const form = sla.getByRole('form', { name: 'SLA policy' });
  await form.getByLabel('Hours to first contact').fill('8');
  await form.getByText('counted in business hours').click();
  await form.getByLabel('Time zone').selectOption('America/New_York');
  await form.getByLabel('Open on Sat').check();
  await form.getByLabel('Sat opens').fill('10:00');
  await form.getByLabel('Sat closes').fill('14:00');
  await form.getByLabel('Required attempts').fill('4');
  await form.getByLabel('Channel').selectOption('call');
  await form.getByLabel('Recommended action').fill('Call and book a discovery meeting');
  await app.screenshot('followup-sla-editor');
  await form.getByRole('button', { name: 'Save policy' }).click();
  await expect(fu.toast).toContainText('Saved policy "Everyone else"');
  await expect(sla.locator('tbody tr', { hasText: 'Everyone else' })).toContainText('8 h business (America/New_York)');
  const saved = (await app.backend.invoke('sla-policies-list', {})).find((p) => p.name === 'Everyone else')!;
  expect(saved).toMatchObject({
    hours: 8,
    businessHours: true,
    timeZone: 'America/New_York',
    attemptsRequired: 4,
    channel: 'call',
    recommendedAction: 'Call and book a discovery meeting',
  });
  expect(saved.schedule.sat).toEqual([{ start: '10:00', end: '14:00' }]);
  expect(saved.schedule.mon).toEqual([{ start: '09:00', end: '17:00' }]);

  // A stage renamed.
  const stages = fu.main.getByRole('region', { name: 'Stages' });
  await stages.getByLabel('Label of stage sal').fill('Accepted');
  await stages.getByRole('button', { name: 'Save stages' }).click();
  await expect(fu.toast).toContainText('Saved stages');
  expect((await app.backend.invoke('stages-list', {})).find((s) => s.key === 'sal')!.label).toBe('Accepted');
});

test('the queue is worked from the keyboard', async ({ app }) => {
  const { ann, wendy, sam } = await seed(app);
  // "Due soon" from the moment a lead becomes MQL (the share of its SLA window left that
  // counts as due soon is nearly all of it), so the test needs no clock but the real one.
  await app.backend.invoke('followup-settings-save', { meOwnerId: ann.id, dueSoonFraction: 0.999999 });
  await app.backend.invoke('lead-assign', { leadIds: [wendy, sam], ownerId: ann.id });
  await app.backend.invoke('stage-change', { leadIds: [wendy, sam], toStage: 'mql' });
  await app.open();
  const fu = new FollowUpPage(app.page);
  await new AppShell(app.page).goTo('Follow-up');
  await expect(fu.queue.locator('tbody tr')).toHaveCount(2);
  const first = fu.queue.locator('tbody tr').nth(0);
  const second = fu.queue.locator('tbody tr').nth(1);
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await app.page.keyboard.press('ArrowDown');
  await expect(second).toHaveAttribute('aria-selected', 'true');
  const name = (await second.locator('.fu-name').innerText()).trim();
  await app.page.keyboard.press('2');
  await expect(fu.toast).toContainText(`Left voicemail — ${name}`);
  await expect(fu.row(name)).toContainText('1/3');
  await app.page.keyboard.press('a');
  await expect(fu.main.getByRole('tab', { name: 'All leads' })).toHaveAttribute('aria-selected', 'true');
  await app.page.keyboard.press('/');
  await expect(fu.main.getByLabel('Search the queue')).toBeFocused();
  await app.page.keyboard.type(name.split(' ')[0]!);
  await expect(fu.queue.locator('tbody tr')).toHaveCount(1);
  await app.page.keyboard.press('Escape');
  await fu.queue.locator('tbody tr').first().click();
  await app.page.keyboard.press('d');
  await expect(fu.panel.getByLabel('Disposition reason')).toBeFocused();
});

test('the Olist closed deals fill in stage history and the funnel matches the files', async ({ app }) => {
  const mqls = app.stage(join(REAL_DATA, 'olist_marketing_qualified_leads.csv'));
  const deals = app.stage(join(REAL_DATA, 'olist_closed_deals_origtimestamps_10cols.csv'));
  await app.backend.invoke('import-run', {
    path: mqls,
    options: { kind: 'leads', mapping: { mql_id: 'key', origin: 'source' } },
  });
  await app.backend.invoke('import-run', {
    path: deals,
    options: { kind: 'leads', mapping: { mql_id: 'key' }, unknownLeads: 'reject' },
  });
  await app.open();
  const shell = new AppShell(app.page);
  const fu = new FollowUpPage(app.page);
  await shell.goTo('Follow-up');
  await fu.showSettings();
  const card = fu.main.getByRole('region', { name: 'Stage history from a column' });
  await card.getByLabel('Date column').selectOption('first_contact_date');
  await card.getByLabel('Stage reached').selectOption('mql');
  await card.getByLabel('Date order').selectOption('dmy');
  await card.getByRole('button', { name: 'Record history' }).click();
  await expect(fu.toast).toContainText('Recorded 8000 moves to MQL');
  await card.getByLabel('Date column').selectOption('won_date');
  await card.getByLabel('Stage reached').selectOption('won');
  await card.getByLabel('Date order').selectOption('auto');
  await card.getByRole('button', { name: 'Record history' }).click();
  await expect(fu.toast).toContainText('Recorded 842 moves to Won');

  await shell.goTo('Reports');
  const reports = new ReportsPage(app.page);
  await reports.show('Funnel');
  expect(await reports.rowCells('Funnel', 'All leads')).toEqual(['All leads', '8,000', '100', '100']);
  expect(await reports.rowCells('Funnel', 'MQL')).toEqual(['Reached MQL (ever)', '8,000', '100', '100']);
  expect(await reports.rowCells('Funnel', 'Won')).toEqual(['Won', '842', '100', '10.5']);
  await reports.main.getByLabel('Source').selectOption('organic_search');
  await expect(reports.table('Funnel').locator('tbody tr').first()).toContainText('2,296');
  await app.screenshot('reports-funnel-olist');
});
