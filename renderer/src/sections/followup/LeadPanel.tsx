/**
 * The selected lead of the queue: log an attempt in one click on an outcome (the channel
 * is preset from the SLA policy), close the follow-up with a disposition, reassign, and
 * the history of attempts and stage changes.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  ATTEMPT_CHANNELS,
  ATTEMPT_CHANNEL_LABELS,
  ATTEMPT_OUTCOMES,
  ATTEMPT_OUTCOME_LABELS,
  type AttemptChannel,
} from '../../../../shared/followup/defaults';
import { SLA_STATUS_LABELS } from '../../../../shared/followup/sla';
import type { DispositionReason, Owner, QueueItem, StageConfig } from '../../../../shared/contract';
import { ApiFailure, call, useApi } from '../../api';
import { formatDateTime } from '../../format';
import { STATUS_CLASS, nextDue } from './labels';

type Props = Readonly<{
  item: QueueItem;
  now: number;
  owners: readonly Owner[];
  stages: readonly StageConfig[];
  reasons: readonly DispositionReason[];
  onMessage: (text: string, kind?: 'ok' | 'error') => void;
  /** Set by the queue's keyboard handler: log this outcome now. */
  pendingOutcome: { outcome: (typeof ATTEMPT_OUTCOMES)[number]; seq: number } | null;
  focusDisposition: number;
}>;

/** A phone number or email as a link that calls or writes (tel:/mailto:), with a copy button. */
function ContactLine({
  kind,
  value,
  onMessage,
}: Readonly<{ kind: 'phone' | 'email'; value: string | null; onMessage: Props['onMessage'] }>) {
  if (!value) return null;
  const href = kind === 'phone' ? `tel:${value.replace(/[^\d+]/g, '')}` : `mailto:${value}`;
  const label = kind === 'phone' ? 'Phone' : 'Email';
  return (
    <div className="fu-contact">
      <span className="fu-contact__kind">{label}</span>
      <a href={href} aria-label={`${kind === 'phone' ? 'Call' : 'Email'} ${value}`}>
        {kind === 'email' && value.includes('@') ? (
          // A long address breaks after the @, not in the middle of a word.
          <>
            {value.slice(0, value.indexOf('@') + 1)}
            <wbr />
            {value.slice(value.indexOf('@') + 1)}
          </>
        ) : (
          value
        )}
      </a>
      <button
        type="button"
        className="btn btn--small btn--ghost"
        aria-label={`Copy ${label.toLowerCase()}`}
        onClick={() =>
          void navigator.clipboard.writeText(value).then(
            () => onMessage(`Copied ${value}`),
            () => onMessage('Could not copy to the clipboard', 'error'),
          )
        }
      >
        Copy
      </button>
    </div>
  );
}

export function LeadPanel({ item, now, owners, stages, reasons, onMessage, pendingOutcome, focusDisposition }: Props) {
  const detail = useApi('followup-lead', { leadId: item.leadId }, { refreshOn: ['followup', 'leads'] });
  const [channel, setChannel] = useState<AttemptChannel>(item.channel);
  const [note, setNote] = useState('');
  const [reasonId, setReasonId] = useState<number | ''>('');
  const [dispNote, setDispNote] = useState('');
  const [busy, setBusy] = useState(false);
  const dispRef = useRef<HTMLSelectElement>(null);
  const stageLabel = useMemo(() => new Map(stages.map((s) => [s.key, s.label])), [stages]);

  const [lastLead, setLastLead] = useState(item.leadId);
  if (lastLead !== item.leadId) {
    setLastLead(item.leadId);
    setChannel(item.channel);
    setNote('');
    setReasonId('');
    setDispNote('');
  }

  async function log(outcome: (typeof ATTEMPT_OUTCOMES)[number]) {
    setBusy(true);
    try {
      await call('attempt-log', { leadId: item.leadId, channel, outcome, ...(note.trim() ? { note } : {}) });
      onMessage(
        `Logged ${ATTEMPT_CHANNEL_LABELS[channel].toLowerCase()}: ${ATTEMPT_OUTCOME_LABELS[outcome]} — ${item.name}`,
      );
      setNote('');
    } catch (e) {
      onMessage(e instanceof ApiFailure ? e.message : String(e), 'error');
    } finally {
      setBusy(false);
    }
  }

  const lastSeq = useRef(pendingOutcome?.seq ?? 0);
  useEffect(() => {
    if (pendingOutcome && pendingOutcome.seq !== lastSeq.current) {
      lastSeq.current = pendingOutcome.seq;
      void log(pendingOutcome.outcome);
    }
  });
  useEffect(() => {
    if (focusDisposition > 0) dispRef.current?.focus();
  }, [focusDisposition]);

  async function dispose() {
    if (reasonId === '') return;
    setBusy(true);
    try {
      const r = await call('disposition-set', {
        leadIds: [item.leadId],
        reasonId,
        ...(dispNote.trim() ? { note: dispNote } : {}),
      });
      const label = reasons.find((x) => x.id === reasonId)?.label ?? '';
      if (r.changed > 0) onMessage(`Closed ${item.name}: ${label}`);
    } catch (e) {
      onMessage(e instanceof ApiFailure ? e.message : String(e), 'error');
    } finally {
      setBusy(false);
    }
  }

  async function reassign(ownerId: number | null) {
    try {
      await call('lead-assign', { leadIds: [item.leadId], ownerId });
      onMessage(`Reassigned ${item.name} to ${owners.find((o) => o.id === ownerId)?.name ?? 'nobody'}`);
    } catch (e) {
      onMessage(e instanceof ApiFailure ? e.message : String(e), 'error');
    }
  }

  async function moveStage(toStage: string) {
    try {
      await call('stage-change', { leadIds: [item.leadId], toStage });
      onMessage(`${item.name} moved to ${stageLabel.get(toStage) ?? toStage}`);
    } catch (e) {
      onMessage(e instanceof ApiFailure ? e.message : String(e), 'error');
    }
  }

  const parents = reasons.filter((r) => r.parentId === null && r.active);
  // Attempts, stage changes and dispositions in one timeline, newest first.
  const history = [
    ...(detail.data?.attempts ?? []).map((a) => ({
      key: `a${a.id}`,
      at: a.attemptedAt,
      order: 0,
      text: `${ATTEMPT_CHANNEL_LABELS[a.channel]}: ${ATTEMPT_OUTCOME_LABELS[a.outcome]}`,
      detail: a.note ? `— ${a.note}` : '',
    })),
    ...(detail.data?.stageChanges ?? []).map((c) => ({
      key: `s${c.id}`,
      at: c.changedAt,
      order: 1,
      text: `${stageLabel.get(c.fromStage ?? '') ?? c.fromStage ?? '—'} → ${stageLabel.get(c.toStage) ?? c.toStage}`,
      detail: `by ${c.actor}${c.reason ? ` (${c.reason})` : ''}`,
    })),
  ].sort((x, y) => y.at - x.at || y.order - x.order);
  const children = (id: number) => reasons.filter((r) => r.parentId === id && r.active);

  return (
    <aside className="fu-panel card" aria-label="Selected lead">
      <div className="fu-panel__head">
        <div>
          <h2>{item.name}</h2>
          <div className="muted">
            {item.company}
            {item.grade ? <span className="badge fu-grade">{item.grade}</span> : null}
          </div>
        </div>
        <span className={`fu-status ${STATUS_CLASS[item.status]}`}>{SLA_STATUS_LABELS[item.status]}</span>
      </div>
      {item.phone || item.email ? (
        <div className="fu-contacts">
          <ContactLine kind="phone" value={item.phone} onMessage={onMessage} />
          <ContactLine kind="email" value={item.email} onMessage={onMessage} />
        </div>
      ) : null}

      <dl className="fu-facts">
        <dt>Next due</dt>
        <dd data-testid="panel-due" data-due={item.nextAt}>
          {nextDue(item, now).text} <span className="muted">({nextDue(item, now).relative})</span>
        </dd>
        <dt>MQL since</dt>
        <dd>{formatDateTime(item.mqlAt)}</dd>
        <dt>Attempts</dt>
        <dd>
          {item.attempts} of {item.attemptsRequired}
          {item.firstContactAt ? <span className="muted"> · first {formatDateTime(item.firstContactAt)}</span> : null}
        </dd>
        <dt>Next</dt>
        <dd className="fu-action">{item.recommendedAction}</dd>
        <dt>Policy</dt>
        <dd>{item.policyName ?? '—'}</dd>
      </dl>

      <section className="fu-log" aria-label="Log an attempt">
        <h3>Log an attempt</h3>
        <div className="fu-seg" role="radiogroup" aria-label="Channel">
          {ATTEMPT_CHANNELS.map((c) => (
            <button
              key={c}
              type="button"
              role="radio"
              aria-checked={channel === c}
              className={`fu-seg__item${channel === c ? ' is-on' : ''}`}
              onClick={() => setChannel(c)}
            >
              {ATTEMPT_CHANNEL_LABELS[c]}
            </button>
          ))}
        </div>
        <div className="fu-outcomes">
          {ATTEMPT_OUTCOMES.map((o, i) => (
            <button
              key={o}
              type="button"
              className="btn btn--small"
              disabled={busy}
              onClick={() => void log(o)}
              title={`Shortcut: ${i + 1}`}
            >
              <kbd>{i + 1}</kbd> {ATTEMPT_OUTCOME_LABELS[o]}
            </button>
          ))}
        </div>
        <input
          className="input fu-note"
          placeholder="Note (optional)"
          aria-label="Attempt note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </section>

      <section className="fu-dispose" aria-label="Disposition">
        <h3>Close follow-up</h3>
        <div className="fu-row">
          <select
            ref={dispRef}
            aria-label="Disposition reason"
            value={reasonId}
            onChange={(e) => setReasonId(e.target.value === '' ? '' : Number(e.target.value))}
          >
            <option value="">Choose a reason…</option>
            {parents.map((p) =>
              children(p.id).length > 0 ? (
                <optgroup key={p.id} label={p.label}>
                  <option value={p.id}>{p.label} (no detail)</option>
                  {children(p.id).map((c) => (
                    <option key={c.id} value={c.id}>
                      {p.label}: {c.label}
                    </option>
                  ))}
                </optgroup>
              ) : (
                <option key={p.id} value={p.id}>
                  {p.label}
                  {p.requiresAttempts ? ` (after ${item.attemptsRequired} attempts)` : ''}
                </option>
              ),
            )}
          </select>
          <button
            type="button"
            className="btn btn--primary btn--small"
            disabled={busy || reasonId === ''}
            onClick={() => void dispose()}
          >
            Close
          </button>
        </div>
        <input
          className="input fu-note"
          placeholder="Why (optional)"
          aria-label="Disposition note"
          value={dispNote}
          onChange={(e) => setDispNote(e.target.value)}
        />
      </section>

      <section className="fu-row fu-row--wrap">
        <label className="fu-inline">
          Owner
          <select
            aria-label="Owner"
            value={item.ownerId ?? ''}
            onChange={(e) => void reassign(e.target.value === '' ? null : Number(e.target.value))}
          >
            <option value="">Unassigned</option>
            {owners
              .filter((o) => o.active || o.id === item.ownerId)
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
          </select>
        </label>
        <label className="fu-inline">
          Stage
          <select aria-label="Stage" value={item.stage} onChange={(e) => void moveStage(e.target.value)}>
            {stages.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </section>

      <section aria-label="History">
        <h3>History</h3>
        <ol className="fu-history">
          {history.map((h) => (
            <li key={h.key}>
              <span className="fu-history__when">{formatDateTime(h.at)}</span>
              {h.text}
              {h.detail ? <span className="muted"> {h.detail}</span> : null}
            </li>
          ))}
        </ol>
      </section>
    </aside>
  );
}
