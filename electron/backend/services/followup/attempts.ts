/**
 * Contact attempts and dispositions. Every attempt ("No answer" included) is a contact
 * attempt: the first one is what the SLA measures, and each counts toward the attempts a
 * policy requires before a lead may be closed as "could not reach". Whether an attempt
 * also moves an MQL to "accepted by sales" is the workspace's stage rule (settings
 * acceptOn; by default only when the lead was reached). A disposition closes the follow-up with a reason from the
 * configurable list and moves the lead to the reason's stage.
 */
import type Database from 'better-sqlite3';
import { stmt } from '../../db/statements';
import {
  REACHED_OUTCOMES,
  attemptAccepts,
  type AttemptChannel,
  type AttemptOutcome,
} from '../../../../shared/followup/defaults';
import type { Attempt, StageChange } from '../../../../shared/followup/types';
import { AppError } from '../../errors';
import { readSettings } from './config';
import { changeStage } from './stages';
import { closeFollowup } from './state';

export type AttemptInput = Readonly<{
  leadId: number;
  channel: AttemptChannel;
  outcome: AttemptOutcome;
  note?: string | null | undefined;
  /** When it happened; defaults to now. */
  at?: number | undefined;
}>;

export type Actor = Readonly<{ name: string; ownerId: number | null }>;

export const ACCEPT_REASON = 'first contact attempt';

export function logAttempt(db: Database.Database, input: AttemptInput, actor: Actor, now: number): Attempt {
  const lead = stmt(db, 'SELECT id, stage, owner_id FROM leads WHERE id = ?').get(input.leadId) as
    { id: number; stage: string; owner_id: number | null } | undefined;
  if (!lead) throw new AppError('NOT_FOUND', `Lead ${input.leadId} does not exist.`);
  const at = input.at ?? now;
  if (at > now + 60_000) throw new AppError('VALIDATION', 'An attempt cannot be logged in the future.');
  const ownerId = actor.ownerId ?? lead.owner_id;
  const reached = REACHED_OUTCOMES.includes(input.outcome) ? 1 : 0;
  return db.transaction(() => {
    const info = stmt(
      db,
      `INSERT INTO attempts (lead_id, owner_id, channel, outcome, note, attempted_at, actor, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(lead.id, ownerId, input.channel, input.outcome, input.note?.trim() || null, at, actor.name, now);
    const updated = stmt(
      db,
      `UPDATE lead_followup SET attempts = attempts + 1,
           first_contact_at = min(coalesce(first_contact_at, @at), @at),
           last_attempt_at = max(coalesce(last_attempt_at, @at), @at),
           reached = max(reached, @reached)
         WHERE lead_id = @id AND status = 'open'`,
    ).run({ at, reached, id: lead.id });
    if (updated.changes > 0) stmt(db, 'UPDATE leads SET sla_due_at = NULL WHERE id = ?').run(lead.id);
    if (lead.stage === 'mql' && attemptAccepts(readSettings(db).acceptOn, input.outcome)) {
      changeStage(db, [lead.id], 'sal', actor.name, ACCEPT_REASON, now);
    }
    stmt(db, 'UPDATE leads SET updated_at = ? WHERE id = ?').run(now, lead.id);
    return {
      id: Number(info.lastInsertRowid),
      leadId: lead.id,
      ownerId,
      channel: input.channel,
      outcome: input.outcome,
      note: input.note?.trim() || null,
      attemptedAt: at,
      actor: actor.name,
    };
  })();
}

export function listAttempts(db: Database.Database, leadId: number): Attempt[] {
  const rows = stmt(db, 'SELECT * FROM attempts WHERE lead_id = ? ORDER BY attempted_at DESC, id DESC').all(leadId) as {
    id: number;
    lead_id: number;
    owner_id: number | null;
    channel: AttemptChannel;
    outcome: AttemptOutcome;
    note: string | null;
    attempted_at: number;
    actor: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    leadId: r.lead_id,
    ownerId: r.owner_id,
    channel: r.channel,
    outcome: r.outcome,
    note: r.note,
    attemptedAt: r.attempted_at,
    actor: r.actor,
  }));
}

export function listStageChanges(db: Database.Database, leadId: number): StageChange[] {
  const rows = stmt(db, 'SELECT * FROM stage_changes WHERE lead_id = ? ORDER BY changed_at DESC, id DESC').all(
    leadId,
  ) as {
    id: number;
    lead_id: number;
    from_stage: string | null;
    to_stage: string;
    changed_at: number;
    actor: string;
    reason: string | null;
  }[];
  return rows.map((r) => ({
    id: r.id,
    leadId: r.lead_id,
    fromStage: r.from_stage,
    toStage: r.to_stage,
    changedAt: r.changed_at,
    actor: r.actor,
    reason: r.reason,
  }));
}

export type DispositionResult = Readonly<{ changed: number; refused: readonly { leadId: number; reason: string }[] }>;

type ReasonRow = {
  id: number;
  key: string;
  label: string;
  parent_label: string | null;
  to_stage: string;
  requires_attempts: number;
  active: number;
};

/**
 * Closes the follow-up of each lead with a reason and moves it to the reason's stage.
 * A reason that requires attempts refuses leads with fewer than their policy asks for
 * (listed in `refused`; the others are still dispositioned).
 */
export function setDisposition(
  db: Database.Database,
  leadIds: readonly number[],
  reasonId: number,
  note: string | null,
  actor: Actor,
  now: number,
): DispositionResult {
  const reason = stmt(
    db,
    `SELECT r.id, r.key, r.label, p.label AS parent_label, r.to_stage, max(r.requires_attempts, coalesce(p.requires_attempts, 0)) AS requires_attempts, r.active
       FROM disposition_reasons r LEFT JOIN disposition_reasons p ON p.id = r.parent_id WHERE r.id = ?`,
  ).get(reasonId) as ReasonRow | undefined;
  if (!reason) throw new AppError('NOT_FOUND', `Disposition reason ${reasonId} does not exist.`);
  if (reason.active !== 1) throw new AppError('VALIDATION', `The reason "${reason.label}" is no longer in use.`);
  const label = reason.parent_label ? `${reason.parent_label}: ${reason.label}` : reason.label;
  const state = stmt(
    db,
    `SELECT l.id, l.stage, f.attempts, coalesce(p.attempts_required, 3) AS required
     FROM leads l LEFT JOIN lead_followup f ON f.lead_id = l.id LEFT JOIN sla_policies p ON p.id = f.policy_id
     WHERE l.id = ?`,
  );
  const insert = stmt(
    db,
    `INSERT INTO dispositions (lead_id, reason_id, note, from_stage, to_stage, decided_at, actor)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const setId = stmt(db, 'UPDATE lead_followup SET disposition_id = ? WHERE lead_id = ?');
  const refused: { leadId: number; reason: string }[] = [];
  let changed = 0;
  db.transaction(() => {
    for (const id of leadIds) {
      const s = state.get(id) as { id: number; stage: string; attempts: number | null; required: number } | undefined;
      if (!s) {
        refused.push({ leadId: id, reason: 'no such lead' });
        continue;
      }
      const attempts = s.attempts ?? 0;
      if (reason.requires_attempts === 1 && attempts < s.required) {
        refused.push({
          leadId: id,
          reason: `"${label}" needs ${s.required} attempts first (${attempts} logged)`,
        });
        continue;
      }
      const info = insert.run(id, reason.id, note?.trim() || null, s.stage, reason.to_stage, now, actor.name);
      changeStage(db, [id], reason.to_stage, actor.name, `disposition: ${label}`, now);
      closeFollowup(db, id, now, null);
      setId.run(Number(info.lastInsertRowid), id);
      changed++;
    }
  })();
  if (changed === 0 && refused.length > 0) {
    throw new AppError(
      'VALIDATION',
      refused.length === 1
        ? `Not dispositioned: ${refused[0]!.reason}.`
        : `None of the ${refused.length} leads could be dispositioned: ${refused[0]!.reason}.`,
      { refused },
    );
  }
  return { changed, refused };
}
