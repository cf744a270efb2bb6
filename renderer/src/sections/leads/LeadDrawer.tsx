/**
 * The lead page, as a drawer beside the grid: every field (custom ones too) editable with
 * validation (the same zod schema the backend enforces, so errors show before saving), the
 * score with its ledger in plain words, score history, the activity timeline newest first
 * with the import each came from, stage history and notes.
 */
import { useEffect, useState } from 'react';
import type { LeadDetail, LeadFieldChanges, LeadGridMeta } from '../../../../shared/contract';
import { leadFieldChangesSchema } from '../../../../shared/contract/leads';
import { LEAD_FIELDS } from '../../../../shared/domain';
import { valueText } from '../../../../shared/custom-fields';
import { ApiFailure, call, useApi, errorMessage } from '../../api';
import { formatDate, formatDateTime } from '../../format';
import { ActivityTimeline } from './ActivityTimeline';
import { segmentClass } from './cells';

type Draft = Record<string, string>;

function draftOf(d: LeadDetail): Draft {
  const out: Draft = {};
  for (const f of LEAD_FIELDS) {
    const v = (d.lead as unknown as Record<string, unknown>)[f.key];
    out[f.key] = v == null ? '' : String(v);
  }
  out.stage = d.lead.stage;
  out.owner_id = d.lead.owner_id == null ? '' : String(d.lead.owner_id);
  out.tags = d.lead.tags.join(', ');
  for (const [k, v] of Object.entries(d.lead.custom)) out[`custom.${k}`] = valueText(v, d.customTypes[k]);
  return out;
}

/** The changed fields of a draft, shaped for lead-update. */
function changesOf(d: LeadDetail, draft: Draft) {
  const before = draftOf(d);
  const fields: Record<string, unknown> = {};
  const custom: Record<string, string | null> = {};
  let tags: string[] | undefined;
  for (const [k, v] of Object.entries(draft)) {
    if (before[k] === v) continue;
    if (k.startsWith('custom.')) custom[k.slice(7)] = v === '' ? null : v;
    else if (k === 'tags')
      tags = v
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
    else if (k === 'company_size') fields[k] = v.trim() === '' ? null : Number(v);
    else if (k === 'owner_id') fields[k] = v === '' ? null : Number(v);
    else if (k === 'stage') fields[k] = v;
    else fields[k] = v.trim() === '' ? null : v;
  }
  return { fields, custom, tags };
}

function ScoreHistoryChart({ points }: Readonly<{ points: LeadDetail['scoreHistory'] }>) {
  if (points.length < 2) return null;
  const w = 320;
  const h = 70;
  const xs = points.map((p) => p.at);
  const ys = points.map((p) => p.total);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const y0 = Math.min(0, ...ys);
  const y1 = Math.max(1, ...ys);
  const px = (x: number) => (x1 === x0 ? w / 2 : ((x - x0) / (x1 - x0)) * (w - 10) + 5);
  const py = (y: number) => h - 5 - ((y - y0) / (y1 - y0)) * (h - 10);
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${px(p.at).toFixed(1)},${py(p.total).toFixed(1)}`).join(' ');
  return (
    <svg className="lg-spark" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label="Score over time">
      <path d={d} fill="none" stroke="var(--accent)" strokeWidth="2" />
      {points.map((p, i) => (
        <circle key={i} cx={px(p.at)} cy={py(p.total)} r="3" fill="var(--accent)">
          <title>{`${formatDateTime(p.at)}: ${p.total} (${p.grade ?? ''} ${p.segment ?? ''})`}</title>
        </circle>
      ))}
    </svg>
  );
}

export function LeadDrawer({
  leadId,
  meta,
  onClose,
}: Readonly<{ leadId: number; meta: LeadGridMeta | undefined; onClose: () => void }>) {
  const detail = useApi('lead-get', { id: leadId }, { refreshOn: ['leads', 'scores', 'activities'] });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [note, setNote] = useState('');
  const [newField, setNewField] = useState('');
  const d = detail.data;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement))
        onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const current = d && draft === null ? draftOf(d) : draft;
  const dirty = d && current ? JSON.stringify(current) !== JSON.stringify(draftOf(d)) : false;

  function set(key: string, value: string) {
    setDraft({ ...(current ?? {}), [key]: value });
    setSaved(false);
    setErrors((e) => {
      const next = { ...e };
      delete next[key];
      return next;
    });
  }

  async function save() {
    if (!d || !current) return;
    const ch = changesOf(d, current);
    const parsed = leadFieldChangesSchema.safeParse(ch.fields);
    if (!parsed.success) {
      const errs: Record<string, string> = {};
      for (const i of parsed.error.issues) errs[String(i.path[0] ?? '')] = i.message;
      setErrors(errs);
      return;
    }
    setSaving(true);
    setFormError(null);
    try {
      await call('lead-update', {
        id: d.lead.id,
        fields: parsed.data as LeadFieldChanges,
        custom: ch.custom,
        ...(ch.tags ? { tags: ch.tags } : {}),
      });
      setDraft(null);
      setSaved(true);
      detail.reload();
    } catch (err) {
      const field = err instanceof ApiFailure ? (err.details as { field?: string } | undefined)?.field : undefined;
      if (field) setErrors({ [field]: errorMessage(err) });
      else setFormError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }

  async function addNote() {
    if (!d || !note.trim()) return;
    await call('lead-note-add', { leadId: d.lead.id, body: note.trim() });
    setNote('');
    detail.reload();
  }

  const field = (key: string, label: string, type = 'text') => (
    <label key={key} className="lg-field">
      <span>{label}</span>
      <input
        className={`input${errors[key] ? ' is-invalid' : ''}`}
        type={type}
        name={key}
        aria-label={label}
        aria-invalid={Boolean(errors[key])}
        value={current?.[key] ?? ''}
        onChange={(e) => set(key, e.target.value)}
      />
      {errors[key] ? <span className="field-error">{errors[key]}</span> : null}
    </label>
  );

  return (
    <aside className="lg-drawer" role="dialog" aria-label="Lead details" data-testid="lead-drawer">
      <header className="lg-drawer__head">
        <div>
          <h2>{d ? d.lead.label : 'Loading…'}</h2>
          {d ? (
            <p className="muted">{[d.lead.title, d.lead.company].filter(Boolean).join(' at ') || d.lead.email}</p>
          ) : null}
        </div>
        <button type="button" className="btn btn--small btn--ghost" aria-label="Close lead" onClick={onClose}>
          ✕
        </button>
      </header>
      {detail.error ? (
        <div className="error-state" role="alert">
          {detail.error.message}
        </div>
      ) : null}
      {d && current ? (
        <div className="lg-drawer__body">
          <section className="lg-card" aria-label="Score">
            <div className="lg-score">
              <span className="lg-score__total" data-testid="lead-score">
                {d.lead.score_total ?? '–'}
              </span>
              <div>
                <div>
                  {d.lead.grade ? <span className="lg-grade">{d.lead.grade}</span> : null}{' '}
                  {d.lead.segment ? <span className={segmentClass(d.lead.segment)}>{d.lead.segment}</span> : null}{' '}
                  {d.lead.is_mql ? <span className="badge badge--ok">MQL</span> : null}
                </div>
                <div className="muted">
                  fit {d.lead.score_fit ?? '–'} · engagement {d.lead.score_engagement ?? '–'}
                </div>
              </div>
            </div>
            {d.lead.suppressed_reason ? <p className="lg-suppressed">Suppressed: {d.lead.suppressed_reason}</p> : null}
            <h3>Why this score</h3>
            {d.ledgerSummary ? <p className="muted">{d.ledgerSummary}</p> : null}
            {d.ledger.length ? (
              <ul className="lg-ledger" aria-label="Score explanation">
                {d.ledger.map((l, i) => (
                  <li key={i} className={l.points < 0 ? 'is-negative' : l.points > 0 ? 'is-positive' : ''}>
                    {l.text}
                  </li>
                ))}
              </ul>
            ) : d.ledgerSummary ? (
              // Scored, but no rule gave or took points: not "unscored".
              <p className="muted">No rule of the model matches this lead, so every part of its score is 0.</p>
            ) : (
              <p className="muted">Not scored yet. Publish a scoring model (Scoring section) to score leads.</p>
            )}
            {d.scoreHistory.length ? (
              <>
                <h3>Score history</h3>
                <ScoreHistoryChart points={d.scoreHistory} />
                <ol className="lg-list" aria-label="Score history">
                  {[...d.scoreHistory]
                    .reverse()
                    .slice(0, 8)
                    .map((h, i) => (
                      <li key={i}>
                        <span className="muted">{formatDateTime(h.at)}</span> score {h.total} · {h.grade} · {h.segment}
                      </li>
                    ))}
                </ol>
              </>
            ) : null}
          </section>

          <section className="lg-card" aria-label="Fields">
            <h3>Details</h3>
            <div className="lg-fields">
              {LEAD_FIELDS.map((f) => field(f.key, f.label, f.kind === 'number' ? 'number' : 'text'))}
              <label className="lg-field">
                <span>Stage</span>
                <select aria-label="Stage" value={current.stage} onChange={(e) => set('stage', e.target.value)}>
                  {(meta?.stages ?? []).map((s) => (
                    <option key={s.key} value={s.key}>
                      {s.label}
                    </option>
                  ))}
                </select>
                {errors.stage ? <span className="field-error">{errors.stage}</span> : null}
              </label>
              <label className="lg-field">
                <span>Owner</span>
                <select aria-label="Owner" value={current.owner_id} onChange={(e) => set('owner_id', e.target.value)}>
                  <option value="">(no owner)</option>
                  {(meta?.owners ?? []).map((o) => (
                    <option key={o.id} value={o.id} disabled={!o.active && String(o.id) !== current.owner_id}>
                      {o.name}
                    </option>
                  ))}
                </select>
                {errors.owner_id ? <span className="field-error">{errors.owner_id}</span> : null}
              </label>
              {field('tags', 'Tags (comma separated)')}
            </div>
            <h3>Custom fields</h3>
            <div className="lg-fields">
              {Object.keys(current)
                .filter((k) => k.startsWith('custom.'))
                .map((k) => field(k, k.slice(7)))}
              <div className="lg-field lg-field--add">
                <input
                  className="input"
                  placeholder="New field name"
                  aria-label="New custom field"
                  value={newField}
                  onChange={(e) => setNewField(e.target.value)}
                />
                <button
                  type="button"
                  className="btn btn--small"
                  disabled={!newField.trim() || `custom.${newField.trim()}` in current}
                  onClick={() => {
                    set(`custom.${newField.trim()}`, '');
                    setNewField('');
                  }}
                >
                  Add field
                </button>
              </div>
            </div>
            {formError ? (
              <div className="field-error" role="alert">
                {formError}
              </div>
            ) : null}
            <div className="lg-drawer__actions">
              {saved && !dirty ? (
                <span className="lg-saved" role="status">
                  Saved
                </span>
              ) : null}
              <button
                type="button"
                className="btn"
                disabled={!dirty || saving}
                onClick={() => {
                  setDraft(null);
                  setErrors({});
                }}
              >
                Discard
              </button>
              <button
                type="button"
                className="btn btn--primary"
                disabled={!dirty || saving}
                onClick={() => void save()}
              >
                {saving ? 'Saving…' : 'Save changes'}
              </button>
            </div>
          </section>

          <ActivityTimeline leadId={d.lead.id} first={d.activities} total={d.activityCount} />

          <section className="lg-card" aria-label="Stage history">
            <h3>Stage history</h3>
            {d.stageHistory.length === 0 ? <p className="muted">Still in its first stage.</p> : null}
            <ol className="lg-list">
              {d.stageHistory.map((s) => (
                <li key={s.id}>
                  <span className="muted">{formatDateTime(s.changed_at)}</span> {s.from_stage ?? '—'} →{' '}
                  <strong>{s.to_stage}</strong>{' '}
                  <span className="muted">
                    by {s.actor}
                    {s.reason ? ` (${s.reason})` : ''}
                  </span>
                </li>
              ))}
            </ol>
          </section>

          <section className="lg-card" aria-label="Notes">
            <h3>Notes</h3>
            <textarea
              className="input lg-note"
              aria-label="New note"
              placeholder="Write a note…"
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
            <button type="button" className="btn btn--small" disabled={!note.trim()} onClick={() => void addNote()}>
              Add note
            </button>
            <ul className="lg-list">
              {d.notes.map((n) => (
                <li key={n.id} className="lg-notes__item">
                  <div className="muted">{formatDate(n.created_at)}</div>
                  <div className="lg-notes__body">{n.body}</div>
                  <button
                    type="button"
                    className="btn btn--small btn--ghost"
                    onClick={() => void call('lead-note-delete', { id: n.id }).then(detail.reload)}
                  >
                    Delete
                  </button>
                </li>
              ))}
            </ul>
          </section>
        </div>
      ) : !detail.error ? (
        <div className="lg-drawer__body muted">Loading the lead…</div>
      ) : null}
    </aside>
  );
}
