/**
 * The real public datasets import with the exact row counts of ../shared/data/real/SOURCES.md.
 *
 * Keys: X Education leads are keyed by "Prospect ID", Olist MQLs and closed deals by
 * mql_id (so deals update the MQL they belong to). Hillstrom customers have no email and no
 * id: each row is one customer, so they are keyed by file row number (key "Row of
 * hillstrom_email_campaign.csv"), which keeps a re-import of the same file idempotent.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_DATA, tempBackend } from '../helpers';
import { customSlots, decodeCustom } from '../../../electron/backend/services/leads/custom-store';

const R = (f: string) => join(REAL_DATA, f);

describe('real datasets', () => {
  it('X Education: 9,240 leads keyed by Prospect ID, "Select" treated as blank', async () => {
    const b = tempBackend();
    const info = await b.invoke('import-inspect', { path: R('xeducation_leads.csv') });
    expect(info.headers).toHaveLength(38);
    expect(info.mapping['Prospect ID']).toBe('key');
    const s = await b.invoke('import-run', {
      path: R('xeducation_leads.csv'),
      options: { kind: 'leads', blankPlaceholders: true, mapping: { ...info.mapping } },
    });
    expect(s).toMatchObject({ rowsTotal: 9240, inserted: 9240, updated: 0, errors: 0, skipped: 0 });
    const db = b.context.db();
    expect(
      db
        .prepare(
          "SELECT count(*) FROM lead_keys k JOIN lead_key_names n ON n.id = k.key_id WHERE n.name = 'Prospect ID'",
        )
        .pluck()
        .get(),
    ).toBe(9240);
    expect(db.prepare('SELECT count(*) FROM leads WHERE custom LIKE \'%"Select"%\'').pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM leads WHERE city = 'Select'").pluck().get()).toBe(0);
    const lead = db
      .prepare(
        `SELECT l.source, l.country, l.custom FROM leads l JOIN lead_keys k ON k.lead_id = l.id
         WHERE k.key_value = '7927b2df-8bba-4d29-b9a2-b6e0beafe620'`,
      )
      .get() as { source: string; country: string | null; custom: string };
    expect(lead.source).toBe('Olark Chat');
    // Custom values are stored typed (shared/custom-fields.ts): numbers as numbers.
    expect(decodeCustom(customSlots(db), lead.custom)).toMatchObject({ 'Lead Number': 660737, Converted: 0 });
  });

  it('Olist: 8,000 MQLs keyed by mql_id, then 842 closed deals update them', async () => {
    const b = tempBackend();
    const mql = await b.invoke('import-run', {
      path: R('olist_marketing_qualified_leads.csv'),
      options: { kind: 'leads' },
    });
    expect(mql).toMatchObject({ rowsTotal: 8000, inserted: 8000, errors: 0 });
    const deals = await b.invoke('import-run', {
      path: R('olist_closed_deals_allcols_excelmangled.csv'),
      options: { kind: 'leads', mapping: { mql_id: 'key', business_segment: 'industry' } },
    });
    expect(deals).toMatchObject({ rowsTotal: 842, inserted: 0, updated: 842, errors: 0 });
    const db = b.context.db();
    expect(db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(8000);
    // 841: one deal has a blank business_segment.
    expect(db.prepare('SELECT count(*) FROM leads WHERE industry IS NOT NULL').pluck().get()).toBe(841);
  });

  it('Hillstrom: 64,000 customers without email, keyed by row number; a re-import changes nothing', async () => {
    const events: string[] = [];
    const b = tempBackend({ emit: (name) => events.push(name) });
    const path = R('hillstrom_email_campaign.csv');
    await expect(b.invoke('import-run', { path, options: { kind: 'leads' } })).rejects.toMatchObject({
      code: 'IMPORT_BAD_MAPPING',
    });
    const s = await b.invoke('import-run', { path, options: { kind: 'leads', rowKey: true } });
    expect(s).toMatchObject({ rowsTotal: 64000, inserted: 64000, errors: 0, rescored: 64000 });
    const db = b.context.db();
    // Every lead is scored in the import's own pass (score-in-pass.ts): no rescore after it.
    expect(events).not.toContain('rescore-finished');
    expect(db.prepare('SELECT count(*) FROM leads WHERE scored_at IS NOT NULL').pluck().get()).toBe(64000);
    expect(db.prepare('SELECT count(*) FROM lead_scores').pluck().get()).toBe(64000);
    expect(
      db
        .prepare(
          'SELECT key_value FROM lead_keys k JOIN lead_key_names n ON n.id = k.key_id WHERE n.name = ? ORDER BY lead_id LIMIT 1',
        )
        .pluck()
        .get('Row of hillstrom_email_campaign.csv'),
    ).toBe('2');
    const again = await b.invoke('import-run', { path, options: { kind: 'leads', rowKey: true } });
    expect(again).toMatchObject({ rowsTotal: 64000, inserted: 0, unchanged: 64000 });
    expect(db.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(64000);
  }, 180_000);
});
