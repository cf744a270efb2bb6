/**
 * Follow-up: configurable stage names and order, routing rules (first match wins, round
 * robin within a role or team), SLA policies per grade/segment, contact attempts,
 * disposition reasons (a two-level list) and the dispositions taken, and one follow-up
 * state row per lead (SLA start, due time, first contact, open/closed).
 *
 * leads.sla_due_at mirrors the pending first-contact due time so the grid can sort and
 * filter a million leads by it without a join; it is NULL once the lead was contacted or
 * its follow-up closed.
 */
import { DEFAULT_STAGES } from '../../../../shared/domain';
import {
  DEFAULT_DISPOSITIONS,
  DEFAULT_ROUTING_RULES,
  DEFAULT_SLA_POLICIES,
} from '../../../../shared/followup/defaults';
import type { Migration } from '../migrate';

export const migration0050Followup: Migration = {
  version: 50,
  name: 'followup',
  up: (db) => {
    db.exec(`
      CREATE TABLE stage_config (
        key TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        position INTEGER NOT NULL,
        closed INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE routing_rules (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        position INTEGER NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        grades TEXT NOT NULL DEFAULT '[]',
        segments TEXT NOT NULL DEFAULT '[]',
        conditions TEXT NOT NULL DEFAULT '[]',
        target_kind TEXT NOT NULL CHECK (target_kind IN ('owner', 'role', 'team')),
        target_owner_id INTEGER REFERENCES owners(id) ON DELETE SET NULL,
        target_group TEXT,
        last_owner_id INTEGER,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE sla_policies (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        position INTEGER NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        grades TEXT NOT NULL DEFAULT '[]',
        segments TEXT NOT NULL DEFAULT '[]',
        hours REAL NOT NULL,
        business_hours INTEGER NOT NULL DEFAULT 0,
        schedule TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        attempts_required INTEGER NOT NULL,
        attempt_spacing_hours REAL NOT NULL,
        channel TEXT NOT NULL,
        recommended_action TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE disposition_reasons (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL,
        parent_id INTEGER REFERENCES disposition_reasons(id) ON DELETE CASCADE,
        to_stage TEXT NOT NULL,
        requires_attempts INTEGER NOT NULL DEFAULT 0,
        position INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
      ) STRICT;

      CREATE TABLE lead_followup (
        lead_id INTEGER PRIMARY KEY REFERENCES leads(id) ON DELETE CASCADE,
        mql_at INTEGER NOT NULL,
        policy_id INTEGER REFERENCES sla_policies(id) ON DELETE SET NULL,
        due_at INTEGER NOT NULL,
        first_contact_at INTEGER,
        last_attempt_at INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        reached INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        closed_at INTEGER,
        disposition_id INTEGER,
        routed_rule_id INTEGER,
        notified_at INTEGER
      ) STRICT;
      CREATE INDEX lead_followup_open ON lead_followup(status, due_at);

      CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        owner_id INTEGER REFERENCES owners(id) ON DELETE SET NULL,
        channel TEXT NOT NULL,
        outcome TEXT NOT NULL,
        note TEXT,
        attempted_at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX attempts_by_lead ON attempts(lead_id, attempted_at);

      CREATE TABLE dispositions (
        id INTEGER PRIMARY KEY,
        lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
        reason_id INTEGER NOT NULL REFERENCES disposition_reasons(id),
        note TEXT,
        from_stage TEXT,
        to_stage TEXT NOT NULL,
        decided_at INTEGER NOT NULL,
        actor TEXT NOT NULL
      ) STRICT;
      CREATE INDEX dispositions_by_lead ON dispositions(lead_id, decided_at);
      CREATE INDEX dispositions_by_reason ON dispositions(reason_id);

      ALTER TABLE leads ADD COLUMN sla_due_at INTEGER;
      CREATE INDEX leads_sla_due_at ON leads(sla_due_at) WHERE sla_due_at IS NOT NULL;
      CREATE INDEX leads_owner_stage ON leads(owner_id, stage);
      CREATE INDEX stage_changes_by_stage ON stage_changes(to_stage, changed_at);
    `);

    const stage = db.prepare('INSERT INTO stage_config (key, label, position, closed) VALUES (?, ?, ?, ?)');
    DEFAULT_STAGES.forEach((s, i) => stage.run(s.key, s.label, (i + 1) * 10, s.closed ? 1 : 0));

    const rule = db.prepare(
      `INSERT INTO routing_rules (name, position, grades, segments, target_kind, target_group, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 0)`,
    );
    DEFAULT_ROUTING_RULES.forEach((r, i) =>
      rule.run(r.name, (i + 1) * 10, JSON.stringify(r.grades), JSON.stringify(r.segments), r.targetKind, r.targetValue),
    );

    const policy = db.prepare(
      `INSERT INTO sla_policies (name, position, grades, segments, hours, business_hours, schedule, time_zone,
         attempts_required, attempt_spacing_hours, channel, recommended_action, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
    );
    DEFAULT_SLA_POLICIES.forEach((p, i) =>
      policy.run(
        p.name,
        (i + 1) * 10,
        JSON.stringify(p.grades),
        JSON.stringify(p.segments),
        p.hours,
        p.businessHours ? 1 : 0,
        JSON.stringify(p.schedule),
        p.timeZone,
        p.attemptsRequired,
        p.attemptSpacingHours,
        p.channel,
        p.recommendedAction,
      ),
    );

    const reason = db.prepare(
      `INSERT INTO disposition_reasons (key, label, parent_id, to_stage, requires_attempts, position)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    DEFAULT_DISPOSITIONS.forEach((d, i) => {
      const parent = reason.run(d.key, d.label, null, d.toStage, d.requiresAttempts ? 1 : 0, (i + 1) * 10);
      d.children?.forEach((c, j) =>
        reason.run(c.key, c.label, Number(parent.lastInsertRowid), d.toStage, 0, (j + 1) * 10),
      );
    });
  },
};
