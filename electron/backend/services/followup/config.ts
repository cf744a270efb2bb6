/**
 * Reading follow-up configuration rows (stages, policies, routing rules, disposition
 * reasons, settings) into the shared shapes. JSON columns are parsed defensively: a row
 * edited by hand into nonsense reads as "no condition" rather than crashing the queue.
 */
import type Database from 'better-sqlite3';
import { DEFAULT_DUE_SOON_FRACTION, DEFAULT_SCHEDULE, type WeeklySchedule } from '../../../../shared/followup/sla';
import {
  ACCEPT_RULES,
  DEFAULT_ACCEPT_RULE,
  type AcceptRule,
  type AttemptChannel,
} from '../../../../shared/followup/defaults';
import type {
  DispositionReason,
  FieldCondition,
  FollowupSettings,
  RoutingRule,
  RoutingTargetKind,
  SlaPolicy,
  StageConfig,
} from '../../../../shared/followup/types';

function parseJson<T>(text: string | null, fallback: T): T {
  if (text == null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function stringList(text: string): string[] {
  const v = parseJson<unknown>(text, []);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function listStages(db: Database.Database): StageConfig[] {
  const rows = db.prepare('SELECT key, label, position, closed FROM stage_config ORDER BY position, key').all() as {
    key: string;
    label: string;
    position: number;
    closed: number;
  }[];
  return rows.map((r) => ({ ...r, closed: r.closed === 1 }));
}

export type PolicyRow = {
  id: number;
  name: string;
  position: number;
  enabled: number;
  grades: string;
  segments: string;
  hours: number;
  business_hours: number;
  schedule: string;
  time_zone: string;
  attempts_required: number;
  attempt_spacing_hours: number;
  channel: string;
  recommended_action: string;
};

export function policyFromRow(r: PolicyRow): SlaPolicy {
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    enabled: r.enabled === 1,
    grades: stringList(r.grades),
    segments: stringList(r.segments),
    hours: r.hours,
    businessHours: r.business_hours === 1,
    schedule: parseJson<WeeklySchedule>(r.schedule, DEFAULT_SCHEDULE),
    timeZone: r.time_zone,
    attemptsRequired: r.attempts_required,
    attemptSpacingHours: r.attempt_spacing_hours,
    channel: r.channel as AttemptChannel,
    recommendedAction: r.recommended_action,
  };
}

export function listPolicies(db: Database.Database): SlaPolicy[] {
  const rows = db.prepare('SELECT * FROM sla_policies ORDER BY position, id').all() as PolicyRow[];
  return rows.map(policyFromRow);
}

type RuleRow = {
  id: number;
  name: string;
  position: number;
  enabled: number;
  grades: string;
  segments: string;
  conditions: string;
  target_kind: string;
  target_owner_id: number | null;
  target_group: string | null;
};

export function listRoutingRules(db: Database.Database): RoutingRule[] {
  const rows = db.prepare('SELECT * FROM routing_rules ORDER BY position, id').all() as RuleRow[];
  return rows.map((r) => {
    const conditions = parseJson<unknown>(r.conditions, []);
    return {
      id: r.id,
      name: r.name,
      position: r.position,
      enabled: r.enabled === 1,
      grades: stringList(r.grades),
      segments: stringList(r.segments),
      conditions: Array.isArray(conditions) ? (conditions as FieldCondition[]) : [],
      targetKind: r.target_kind as RoutingTargetKind,
      targetOwnerId: r.target_owner_id,
      targetGroup: r.target_group,
    };
  });
}

export function listDispositionReasons(db: Database.Database): DispositionReason[] {
  const rows = db
    .prepare(
      `SELECT id, key, label, parent_id, to_stage, requires_attempts, position, active
       FROM disposition_reasons ORDER BY coalesce(parent_id, id), parent_id IS NOT NULL, position, id`,
    )
    .all() as {
    id: number;
    key: string;
    label: string;
    parent_id: number | null;
    to_stage: string;
    requires_attempts: number;
    position: number;
    active: number;
  }[];
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    label: r.label,
    parentId: r.parent_id,
    toStage: r.to_stage,
    requiresAttempts: r.requires_attempts === 1,
    position: r.position,
    active: r.active === 1,
  }));
}

const SETTING_KEYS = {
  meOwnerId: 'followup.me_owner_id',
  notifyDueSoon: 'followup.notify_due_soon',
  dueSoonFraction: 'followup.due_soon_fraction',
  acceptOn: 'followup.accept_on',
} as const;

function meta(db: Database.Database, key: string): string | null {
  const row = db.prepare('SELECT value FROM workspace_meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function readSettings(db: Database.Database): FollowupSettings {
  const me = meta(db, SETTING_KEYS.meOwnerId);
  const notify = meta(db, SETTING_KEYS.notifyDueSoon);
  const fraction = Number(meta(db, SETTING_KEYS.dueSoonFraction));
  const accept = meta(db, SETTING_KEYS.acceptOn);
  const meId = me === null ? null : Number(me);
  return {
    meOwnerId: meId !== null && Number.isInteger(meId) ? meId : null,
    notifyDueSoon: notify === null ? true : notify === '1',
    dueSoonFraction: Number.isFinite(fraction) && fraction > 0 && fraction < 1 ? fraction : DEFAULT_DUE_SOON_FRACTION,
    acceptOn: ACCEPT_RULES.includes(accept as AcceptRule) ? (accept as AcceptRule) : DEFAULT_ACCEPT_RULE,
  };
}

export function writeSettings(db: Database.Database, patch: Partial<FollowupSettings>): FollowupSettings {
  const put = db.prepare(
    'INSERT INTO workspace_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const del = db.prepare('DELETE FROM workspace_meta WHERE key = ?');
  db.transaction(() => {
    if (patch.meOwnerId !== undefined) {
      if (patch.meOwnerId === null) del.run(SETTING_KEYS.meOwnerId);
      else put.run(SETTING_KEYS.meOwnerId, String(patch.meOwnerId));
    }
    if (patch.notifyDueSoon !== undefined) put.run(SETTING_KEYS.notifyDueSoon, patch.notifyDueSoon ? '1' : '0');
    if (patch.dueSoonFraction !== undefined) put.run(SETTING_KEYS.dueSoonFraction, String(patch.dueSoonFraction));
    if (patch.acceptOn !== undefined) put.run(SETTING_KEYS.acceptOn, patch.acceptOn);
  })();
  return readSettings(db);
}
