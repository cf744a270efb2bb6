/**
 * Learning treats a workspace activity type (a file's own word, "ws:SMS Sent") as an
 * engagement feature like a built-in type: here leads we texted before they closed converted
 * far more often, so the suggested model has engagement rules on "ws:SMS Sent", named by the
 * type's label, and the held-out AUC shows the signal. A workspace type with no signal
 * ("ws:Olark Chat Conversation", on every other lead alike) weighs far less. Real CSV files
 * through the CLI, as a user runs it.
 */
import { describe, expect, it } from 'vitest';
import type { LearnReport } from '../../../shared/contract';
import { mulberry32 } from '../../support/seeded-random';
import { cli, tempDir } from '../helpers';
import { importClosedLeads } from './closed-workspace';

const LEADS = 400;
const DAY = 86_400_000;
const CLOSED = Date.UTC(2026, 2, 1);
const day = (t: number): string => new Date(t).toISOString().slice(0, 10);

async function textedWorkspace(): Promise<string> {
  const dir = tempDir();
  const rnd = mulberry32(13);
  const leads = ['Email,Result,Decided'];
  const activities = ['Email,Activity,Date'];
  for (let i = 0; i < LEADS; i++) {
    const email = `lead${i}@example.com`;
    const texted = rnd() < 0.5;
    const won = rnd() < (texted ? 0.75 : 0.2);
    leads.push(`${email},${won ? 'Won' : 'Lost'},${day(CLOSED)}`);
    activities.push(`${email},Page View,${day(CLOSED - 20 * DAY)}`);
    if (texted) activities.push(`${email},SMS Sent,${day(CLOSED - 12 * DAY)}`);
    if (i % 2 === 0) activities.push(`${email},Olark Chat Conversation,${day(CLOSED - 15 * DAY)}`);
  }
  return importClosedLeads(dir, leads, activities);
}

describe('learning from workspace activity types', () => {
  it('learns engagement rules on a workspace type that predicts the outcome', async () => {
    const db = await textedWorkspace();
    const r = await cli('learn', '--db', db, '--json');
    expect(r.err).toBe('');
    const report = JSON.parse(r.out) as LearnReport;
    const rulesOn = (type: string) => report.model.engagement.filter((x) => x.match.types?.includes(type as never));
    const sms = rulesOn('ws:SMS Sent');
    expect(sms.length).toBeGreaterThan(0);
    expect(sms.every((x) => x.points > 0)).toBe(true);
    expect(sms.some((x) => x.name.toLowerCase().includes('sms sent'))).toBe(true);
    // Ids are handles to type in a model file: no spaces or colons from the type's key, none repeated.
    const ids = [...report.model.fit, ...report.model.engagement].map((x) => x.id);
    expect(ids.filter((id) => !/^[a-z0-9-]+$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(sms.map((x) => x.id)).toContain('learned-ws-sms-sent-first');
    expect(report.reasons.some((x) => x.text.toLowerCase().includes('sms sent'))).toBe(true);
    // The type with no signal is learned too (it is a feature), but weighs far less.
    const weight = (type: string) => rulesOn(type).reduce((sum, x) => sum + Math.abs(x.points), 0);
    expect(weight('ws:SMS Sent')).toBeGreaterThan(2 * weight('ws:Olark Chat Conversation'));
    expect(report.suggestedAuc.auc!).toBeGreaterThan(0.7);
  }, 120_000);
});
