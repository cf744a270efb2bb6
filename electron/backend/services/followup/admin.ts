/**
 * Editing follow-up configuration: owners, routing rules, SLA policies, stage names and
 * order, disposition reasons. Validation that the schemas cannot express (unknown time
 * zones, schedules without open hours, targets that do not exist) lives here; an SLA
 * policy edit re-plans the due time of leads still waiting for first contact.
 */
import type Database from 'better-sqlite3';
import { isValidTimeZone, scheduleProblems } from '../../../../shared/followup/sla';
import type { DispositionReason, Owner, RoutingRule, SlaPolicy, StageConfig } from '../../../../shared/followup/types';
import { AppError } from '../../errors';
import { listDispositionReasons, listPolicies, listRoutingRules, listStages } from './config';
import { recomputeOpenDueTimes } from './state';

// ---- owners ----------------------------------------------------------------------------

export function listOwners(db: Database.Database): Owner[] {
  const rows = db
    .prepare(
      `SELECT o.id, o.name, o.email, o.role, o.team, o.active,
         (SELECT count(*) FROM leads l JOIN lead_followup f ON f.lead_id = l.id
          WHERE l.owner_id = o.id AND f.status = 'open') AS open_leads
       FROM owners o ORDER BY o.active DESC, o.name COLLATE NOCASE, o.id`,
    )
    .all() as {
    id: number;
    name: string;
    email: string;
    role: string;
    team: string | null;
    active: number;
    open_leads: number;
  }[];
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    role: r.role,
    team: r.team,
    active: r.active === 1,
    openLeads: r.open_leads,
  }));
}

export type OwnerInput = Readonly<{
  id?: number | undefined;
  name: string;
  email: string;
  role: string;
  team?: string | null | undefined;
  active?: boolean | undefined;
}>;

export function saveOwner(db: Database.Database, o: OwnerInput, now: number): Owner {
  const email = o.email.trim();
  const clash = db
    .prepare('SELECT id FROM owners WHERE email = ? COLLATE NOCASE AND id IS NOT ?')
    .get(email, o.id ?? null);
  if (clash) throw new AppError('VALIDATION', `Another owner already uses ${email}.`);
  let id = o.id;
  if (id === undefined) {
    id = Number(
      db
        .prepare('INSERT INTO owners (name, email, role, team, active, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(o.name.trim(), email, o.role, o.team?.trim() || null, o.active === false ? 0 : 1, now).lastInsertRowid,
    );
  } else {
    const r = db
      .prepare('UPDATE owners SET name = ?, email = ?, role = ?, team = ?, active = ? WHERE id = ?')
      .run(o.name.trim(), email, o.role, o.team?.trim() || null, o.active === false ? 0 : 1, id);
    if (r.changes === 0) throw new AppError('NOT_FOUND', `Owner ${id} does not exist.`);
  }
  return listOwners(db).find((x) => x.id === id)!;
}

/** Deletes an owner; their leads become unassigned and rules that named them stop matching. */
export function deleteOwner(db: Database.Database, id: number): void {
  db.transaction(() => {
    db.prepare('UPDATE leads SET owner_id = NULL WHERE owner_id = ?').run(id);
    const r = db.prepare('DELETE FROM owners WHERE id = ?').run(id);
    if (r.changes === 0) throw new AppError('NOT_FOUND', `Owner ${id} does not exist.`);
  })();
}

// ---- ordering helper -------------------------------------------------------------------

function reorder(db: Database.Database, table: 'routing_rules' | 'sla_policies', ids: readonly number[]): void {
  const existing = (db.prepare(`SELECT id FROM ${table}`).all() as { id: number }[])
    .map((r) => r.id)
    .sort((a, b) => a - b);
  const given = [...ids].sort((a, b) => a - b);
  if (existing.length !== given.length || existing.some((v, i) => v !== given[i])) {
    throw new AppError('VALIDATION', 'The new order must list every entry exactly once.');
  }
  const upd = db.prepare(`UPDATE ${table} SET position = ? WHERE id = ?`);
  db.transaction(() => ids.forEach((id, i) => upd.run((i + 1) * 10, id)))();
}

function nextPosition(db: Database.Database, table: 'routing_rules' | 'sla_policies'): number {
  const r = db.prepare(`SELECT coalesce(max(position), 0) AS p FROM ${table}`).get() as { p: number };
  return r.p + 10;
}

/** A rule or policy that matches every lead ("Everyone else"): nothing after it ever fires. */
function isCatchAll(m: Readonly<{ enabled: boolean; grades: readonly string[]; segments: readonly string[] }>) {
  const conditions = (m as { conditions?: readonly unknown[] }).conditions ?? [];
  return m.enabled && m.grades.length === 0 && m.segments.length === 0 && conditions.length === 0;
}

/**
 * Puts a newly added entry just above the first catch-all, where it can fire (first match
 * wins); with no catch-all it stays last.
 */
function placeAboveCatchAll(
  db: Database.Database,
  table: 'routing_rules' | 'sla_policies',
  entries: readonly Readonly<{
    id: number;
    enabled: boolean;
    grades: readonly string[];
    segments: readonly string[];
  }>[],
  newId: number,
): void {
  const others = entries.filter((e) => e.id !== newId);
  const at = others.findIndex(isCatchAll);
  if (at < 0) return;
  const ids = others.map((e) => e.id);
  ids.splice(at, 0, newId);
  reorder(db, table, ids);
}

// ---- routing rules ---------------------------------------------------------------------

/** A rule as saved: new (no id) or an existing one; its place changes only by reordering. */
export type RoutingRuleInput = Omit<RoutingRule, 'id' | 'position'> & Readonly<{ id?: number | undefined }>;

export function saveRoutingRule(db: Database.Database, r: RoutingRuleInput, now: number): RoutingRule {
  if (r.targetKind === 'owner') {
    if (r.targetOwnerId === null || !db.prepare('SELECT 1 FROM owners WHERE id = ?').get(r.targetOwnerId)) {
      throw new AppError('VALIDATION', 'Choose the owner this rule assigns to.');
    }
  } else if (!r.targetGroup || r.targetGroup.trim() === '') {
    throw new AppError('VALIDATION', `Choose the ${r.targetKind} whose members share these leads.`);
  }
  const values = [
    r.name.trim(),
    r.enabled ? 1 : 0,
    JSON.stringify(r.grades),
    JSON.stringify(r.segments),
    JSON.stringify(r.conditions),
    r.targetKind,
    r.targetKind === 'owner' ? r.targetOwnerId : null,
    r.targetKind === 'owner' ? null : r.targetGroup!.trim(),
    now,
  ];
  let id = r.id;
  if (id === undefined) {
    id = Number(
      db
        .prepare(
          `INSERT INTO routing_rules (name, enabled, grades, segments, conditions, target_kind, target_owner_id,
             target_group, updated_at, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(...values, nextPosition(db, 'routing_rules')).lastInsertRowid,
    );
    if (!isCatchAll(r)) placeAboveCatchAll(db, 'routing_rules', listRoutingRules(db), id);
  } else {
    const res = db
      .prepare(
        `UPDATE routing_rules SET name = ?, enabled = ?, grades = ?, segments = ?, conditions = ?, target_kind = ?,
           target_owner_id = ?, target_group = ?, updated_at = ? WHERE id = ?`,
      )
      .run(...values, id);
    if (res.changes === 0) throw new AppError('NOT_FOUND', `Routing rule ${id} does not exist.`);
  }
  return listRoutingRules(db).find((x) => x.id === id)!;
}

export function deleteRoutingRule(db: Database.Database, id: number): void {
  if (db.prepare('DELETE FROM routing_rules WHERE id = ?').run(id).changes === 0) {
    throw new AppError('NOT_FOUND', `Routing rule ${id} does not exist.`);
  }
}

export function reorderRoutingRules(db: Database.Database, ids: readonly number[]): RoutingRule[] {
  reorder(db, 'routing_rules', ids);
  return listRoutingRules(db);
}

// ---- SLA policies ----------------------------------------------------------------------

/** A policy as saved: new (no id) or an existing one; its place changes only by reordering. */
export type SlaPolicyInput = Omit<SlaPolicy, 'id' | 'position'> & Readonly<{ id?: number | undefined }>;

export function validatePolicy(p: SlaPolicyInput): void {
  if (!isValidTimeZone(p.timeZone)) throw new AppError('VALIDATION', `Unknown time zone "${p.timeZone}".`);
  if (p.businessHours) {
    const problems = scheduleProblems(p.schedule);
    if (problems.length > 0) throw new AppError('VALIDATION', `Business hours: ${problems.join('; ')}.`);
  }
}

export function saveSlaPolicy(db: Database.Database, p: SlaPolicyInput, now: number): SlaPolicy {
  validatePolicy(p);
  const values = [
    p.name.trim(),
    p.enabled ? 1 : 0,
    JSON.stringify(p.grades),
    JSON.stringify(p.segments),
    p.hours,
    p.businessHours ? 1 : 0,
    JSON.stringify(p.schedule),
    p.timeZone,
    p.attemptsRequired,
    p.attemptSpacingHours,
    p.channel,
    p.recommendedAction.trim(),
    now,
  ];
  let id = p.id;
  db.transaction(() => {
    if (id === undefined) {
      id = Number(
        db
          .prepare(
            `INSERT INTO sla_policies (name, enabled, grades, segments, hours, business_hours, schedule, time_zone,
               attempts_required, attempt_spacing_hours, channel, recommended_action, updated_at, position)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(...values, nextPosition(db, 'sla_policies')).lastInsertRowid,
      );
      if (!isCatchAll(p)) placeAboveCatchAll(db, 'sla_policies', listPolicies(db), id);
    } else {
      const res = db
        .prepare(
          `UPDATE sla_policies SET name = ?, enabled = ?, grades = ?, segments = ?, hours = ?, business_hours = ?,
             schedule = ?, time_zone = ?, attempts_required = ?, attempt_spacing_hours = ?, channel = ?,
             recommended_action = ?, updated_at = ? WHERE id = ?`,
        )
        .run(...values, id);
      if (res.changes === 0) throw new AppError('NOT_FOUND', `SLA policy ${id} does not exist.`);
    }
    recomputeOpenDueTimes(db);
  })();
  return listPolicies(db).find((x) => x.id === id)!;
}

export function deleteSlaPolicy(db: Database.Database, id: number): void {
  db.transaction(() => {
    if (db.prepare('DELETE FROM sla_policies WHERE id = ?').run(id).changes === 0) {
      throw new AppError('NOT_FOUND', `SLA policy ${id} does not exist.`);
    }
    recomputeOpenDueTimes(db);
  })();
}

export function reorderSlaPolicies(db: Database.Database, ids: readonly number[]): SlaPolicy[] {
  db.transaction(() => {
    reorder(db, 'sla_policies', ids);
    recomputeOpenDueTimes(db);
  })();
  return listPolicies(db);
}

/** Sets the time zone of every policy and re-plans leads still waiting for contact. */
export function setPoliciesZone(db: Database.Database, timeZone: string, now: number): SlaPolicy[] {
  if (!isValidTimeZone(timeZone)) throw new AppError('VALIDATION', `Unknown time zone "${timeZone}".`);
  db.transaction(() => {
    db.prepare('UPDATE sla_policies SET time_zone = ?, updated_at = ?').run(timeZone, now);
    recomputeOpenDueTimes(db);
  })();
  return listPolicies(db);
}

// ---- stages ----------------------------------------------------------------------------

/** Renames and reorders the stages; every configured key must be listed once. */
export function saveStages(db: Database.Database, stages: readonly { key: string; label: string }[]): StageConfig[] {
  const current = listStages(db);
  const keys = new Set(current.map((s) => s.key));
  const given = new Set(stages.map((s) => s.key));
  if (given.size !== stages.length || given.size !== keys.size || [...keys].some((k) => !given.has(k))) {
    throw new AppError('VALIDATION', `List every stage exactly once: ${[...keys].join(', ')}.`);
  }
  const upd = db.prepare('UPDATE stage_config SET label = ?, position = ? WHERE key = ?');
  db.transaction(() => stages.forEach((s, i) => upd.run(s.label.trim(), (i + 1) * 10, s.key)))();
  return listStages(db);
}

// ---- disposition reasons ---------------------------------------------------------------

export type DispositionReasonInput = Readonly<{
  id?: number | undefined;
  label: string;
  parentId: number | null;
  toStage: string;
  requiresAttempts: boolean;
  active: boolean;
}>;

function slug(label: string): string {
  return (
    label
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'reason'
  );
}

export function saveDispositionReason(db: Database.Database, r: DispositionReasonInput): DispositionReason {
  if (!db.prepare('SELECT 1 FROM stage_config WHERE key = ?').get(r.toStage)) {
    throw new AppError('VALIDATION', `Unknown stage "${r.toStage}".`);
  }
  if (r.parentId !== null) {
    const parent = db.prepare('SELECT parent_id FROM disposition_reasons WHERE id = ?').get(r.parentId) as
      { parent_id: number | null } | undefined;
    if (!parent) throw new AppError('VALIDATION', `Parent reason ${r.parentId} does not exist.`);
    if (parent.parent_id !== null) throw new AppError('VALIDATION', 'Sub-reasons cannot have sub-reasons.');
    if (r.id !== undefined && r.parentId === r.id)
      throw new AppError('VALIDATION', 'A reason cannot be its own parent.');
  }
  let id = r.id;
  if (id === undefined) {
    let key = slug(r.label);
    for (let n = 2; db.prepare('SELECT 1 FROM disposition_reasons WHERE key = ?').get(key); n++)
      key = `${slug(r.label)}_${n}`;
    const pos = db
      .prepare('SELECT coalesce(max(position), 0) + 10 AS p FROM disposition_reasons WHERE parent_id IS ?')
      .get(r.parentId) as { p: number };
    id = Number(
      db
        .prepare(
          `INSERT INTO disposition_reasons (key, label, parent_id, to_stage, requires_attempts, position, active)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(key, r.label.trim(), r.parentId, r.toStage, r.requiresAttempts ? 1 : 0, pos.p, r.active ? 1 : 0)
        .lastInsertRowid,
    );
  } else {
    const res = db
      .prepare(
        'UPDATE disposition_reasons SET label = ?, parent_id = ?, to_stage = ?, requires_attempts = ?, active = ? WHERE id = ?',
      )
      .run(r.label.trim(), r.parentId, r.toStage, r.requiresAttempts ? 1 : 0, r.active ? 1 : 0, id);
    if (res.changes === 0) throw new AppError('NOT_FOUND', `Disposition reason ${id} does not exist.`);
  }
  return listDispositionReasons(db).find((x) => x.id === id)!;
}
