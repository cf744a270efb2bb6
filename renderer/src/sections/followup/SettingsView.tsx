/**
 * Follow-up settings: who I am and notifications, owners, routing rules, SLA policies,
 * stage names and order, disposition reasons. Each block saves on its own.
 */
import { useState } from 'react';
import type { DispositionReason, FollowupSettings, Owner } from '../../../../shared/contract';
import { ACCEPT_RULES, ACCEPT_RULE_LABELS, type AcceptRule } from '../../../../shared/followup/defaults';
import { ApiFailure, attempt, call, useApi, type Notify } from '../../api';
import { OwnerSettings } from './OwnerSettings';
import { RoutingSettings } from './RoutingSettings';
import { SlaSettings } from './SlaSettings';

function MeSettings({
  settings,
  owners,
  onMessage,
}: Readonly<{ settings: FollowupSettings; owners: readonly Owner[]; onMessage: Notify }>) {
  return (
    <section className="card fu-card" aria-label="You and notifications">
      <h2>You and notifications</h2>
      <div className="fu-row fu-row--wrap">
        <label className="fu-inline">
          I am
          <select
            aria-label="I am"
            value={settings.meOwnerId ?? ''}
            onChange={(e) =>
              void attempt(
                () =>
                  call('followup-settings-save', { meOwnerId: e.target.value === '' ? null : Number(e.target.value) }),
                onMessage,
                'Saved who you are',
              )
            }
          >
            <option value="">Not one of the owners</option>
            {owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name} ({o.email})
              </option>
            ))}
          </select>
        </label>
        <label className="fu-check">
          <input
            type="checkbox"
            checked={settings.notifyDueSoon}
            onChange={(e) =>
              void attempt(
                () => call('followup-settings-save', { notifyDueSoon: e.target.checked }),
                onMessage,
                'Saved notification setting',
              )
            }
          />
          Desktop notification when one of my leads becomes due soon
        </label>
        <label className="fu-inline">
          Due soon when less than
          <select
            aria-label="Due soon threshold"
            value={String(settings.dueSoonFraction)}
            onChange={(e) =>
              void attempt(() => call('followup-settings-save', { dueSoonFraction: Number(e.target.value) }), onMessage)
            }
          >
            {[0.1, 0.2, 0.25, 0.33, 0.5].map((f) => (
              <option key={f} value={String(f)}>
                {Math.round(f * 100)}%
              </option>
            ))}
          </select>
          of the allowed time is left
        </label>
      </div>
    </section>
  );
}

/** The stage rule for attempts: when logging one accepts an MQL (SAL). */
function AcceptRuleSetting({ settings, onMessage }: Readonly<{ settings: FollowupSettings; onMessage: Notify }>) {
  return (
    <label className="fu-inline fu-stage-rule">
      An attempt moves an MQL to Accepted by sales
      <select
        aria-label="Accept rule"
        value={settings.acceptOn}
        onChange={(e) =>
          void attempt(
            () => call('followup-settings-save', { acceptOn: e.target.value as AcceptRule }),
            onMessage,
            'Saved the stage rule',
          )
        }
      >
        {ACCEPT_RULES.map((r) => (
          <option key={r} value={r}>
            {ACCEPT_RULE_LABELS[r]}
          </option>
        ))}
      </select>
    </label>
  );
}

function StagesSettings({ settings, onMessage }: Readonly<{ settings: FollowupSettings; onMessage: Notify }>) {
  const stages = useApi('stages-list', {}, { refreshOn: ['followup'] });
  const [draft, setDraft] = useState<{ key: string; label: string }[] | null>(null);
  const list = draft ?? (stages.data ?? []).map((s) => ({ key: s.key, label: s.label }));
  const move = (i: number, d: number) => {
    const next = [...list];
    const [x] = next.splice(i, 1);
    next.splice(i + d, 0, x!);
    setDraft(next);
  };
  return (
    <section className="card fu-card" aria-label="Stages">
      <div className="fu-card__head">
        <h2>Stages</h2>
        <button
          type="button"
          className="btn btn--small btn--primary"
          disabled={!draft}
          onClick={() =>
            void attempt(() => call('stages-save', { stages: list }), onMessage, 'Saved stages').then(
              (ok) => ok && setDraft(null),
            )
          }
        >
          Save stages
        </button>
      </div>
      <AcceptRuleSetting settings={settings} onMessage={onMessage} />
      <p className="muted fu-hint">Every attempt, "No answer" included, counts as first contact for the SLA.</p>
      <ol className="fu-stages">
        {list.map((s, i) => (
          <li key={s.key}>
            <input
              className="input"
              aria-label={`Label of stage ${s.key}`}
              value={s.label}
              onChange={(e) => setDraft(list.map((x) => (x.key === s.key ? { ...x, label: e.target.value } : x)))}
            />
            <code>{s.key}</code>
            <button
              type="button"
              className="btn btn--small btn--ghost"
              disabled={i === 0}
              onClick={() => move(i, -1)}
              aria-label={`Move ${s.key} up`}
            >
              ↑
            </button>
            <button
              type="button"
              className="btn btn--small btn--ghost"
              disabled={i === list.length - 1}
              onClick={() => move(i, 1)}
              aria-label={`Move ${s.key} down`}
            >
              ↓
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

function reasonInput(r: DispositionReason) {
  return {
    id: r.id,
    label: r.label,
    parentId: r.parentId,
    toStage: r.toStage,
    requiresAttempts: r.requiresAttempts,
    active: r.active,
  };
}

function DispositionSettings({ onMessage }: Readonly<{ onMessage: Notify }>) {
  const reasons = useApi('disposition-reasons-list', {}, { refreshOn: ['followup'] });
  const stages = useApi('stages-list', {}, { refreshOn: ['followup'] });
  const [label, setLabel] = useState('');
  const [parentId, setParentId] = useState<number | ''>('');
  const [toStage, setToStage] = useState('disqualified');
  const list = reasons.data ?? [];
  const parents = list.filter((r) => r.parentId === null);
  return (
    <section className="card fu-card" aria-label="Disposition reasons">
      <h2>Disposition reasons</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Reason</th>
            <th>Moves the lead to</th>
            <th>Needs the required attempts</th>
            <th>In use</th>
          </tr>
        </thead>
        <tbody>
          {list.map((r) => (
            <tr key={r.id} className={r.active ? '' : 'fu-inactive'}>
              <td className={r.parentId ? 'fu-sub' : ''}>{r.label}</td>
              <td>{stages.data?.find((s) => s.key === r.toStage)?.label ?? r.toStage}</td>
              <td>
                {r.parentId === null ? (
                  <input
                    type="checkbox"
                    aria-label={`${r.label} needs attempts`}
                    checked={r.requiresAttempts}
                    onChange={(e) =>
                      void attempt(
                        () =>
                          call('disposition-reason-save', { ...reasonInput(r), requiresAttempts: e.target.checked }),
                        onMessage,
                      )
                    }
                  />
                ) : null}
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${r.label} in use`}
                  checked={r.active}
                  onChange={(e) =>
                    void attempt(
                      () => call('disposition-reason-save', { ...reasonInput(r), active: e.target.checked }),
                      onMessage,
                    )
                  }
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="fu-form"
        aria-label="New reason"
        onSubmit={(e) => {
          e.preventDefault();
          void attempt(
            () => call('disposition-reason-save', { label, parentId: parentId === '' ? null : parentId, toStage }),
            onMessage,
            `Added "${label}"`,
          ).then((ok) => ok && setLabel(''));
        }}
      >
        <input
          className="input"
          aria-label="Reason label"
          placeholder="New reason"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          required
        />
        <select
          aria-label="Reason parent"
          value={parentId}
          onChange={(e) => setParentId(e.target.value === '' ? '' : Number(e.target.value))}
        >
          <option value="">Top-level reason</option>
          {parents.map((p) => (
            <option key={p.id} value={p.id}>
              Sub-reason of {p.label}
            </option>
          ))}
        </select>
        <select aria-label="Reason stage" value={toStage} onChange={(e) => setToStage(e.target.value)}>
          {(stages.data ?? []).map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
        </select>
        <button type="submit" className="btn btn--small">
          Add reason
        </button>
      </form>
    </section>
  );
}

/** Backfills stage history from a date column of imported CRM exports (won_date, mql_date). */
function HistoryFromColumn({ onMessage }: Readonly<{ onMessage: Notify }>) {
  const columns = useApi('leads-columns', {}, { refreshOn: ['leads', 'imports'] });
  const stages = useApi('stages-list', {}, { refreshOn: ['followup'] });
  const [field, setField] = useState('');
  const [toStage, setToStage] = useState('won');
  const [order, setOrder] = useState<'auto' | 'dmy' | 'mdy' | 'ymd'>('auto');
  const [busy, setBusy] = useState(false);
  const fields = (columns.data?.columns ?? [])
    .filter((c) => c.key.startsWith('custom.'))
    .map((c) => c.key.slice('custom.'.length));
  async function run() {
    setBusy(true);
    try {
      const r = await call('stage-from-field', { field, toStage, dateOrder: order });
      const label = stages.data?.find((s) => s.key === toStage)?.label ?? toStage;
      onMessage(
        `Recorded ${r.changed} moves to ${label} from "${field}" (${r.matched} leads had a value, ${r.unparsable} unreadable dates, ${r.skipped} already there or further along).`,
      );
    } catch (e) {
      onMessage(e instanceof ApiFailure ? e.message : String(e), 'error');
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="card fu-card" aria-label="Stage history from a column">
      <h2>Stage history from a date column</h2>
      <p className="muted fu-help">
        An imported CRM export that says when leads became MQL or were won (e.g. a &quot;won_date&quot; column) can fill
        in the stage history, so the funnel and outcome reports cover the past. No follow-up is opened for past moves.
      </p>
      <div className="fu-form">
        <select aria-label="Date column" value={field} onChange={(e) => setField(e.target.value)}>
          <option value="">Choose a column…</option>
          {fields.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
        <select aria-label="Stage reached" value={toStage} onChange={(e) => setToStage(e.target.value)}>
          {(stages.data ?? []).map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
        </select>
        <select aria-label="Date order" value={order} onChange={(e) => setOrder(e.target.value as typeof order)}>
          <option value="auto">Dates: detect</option>
          <option value="dmy">Day/month/year</option>
          <option value="mdy">Month/day/year</option>
          <option value="ymd">Year-month-day</option>
        </select>
        <button type="button" className="btn btn--small" disabled={!field || busy} onClick={() => void run()}>
          Record history
        </button>
      </div>
    </section>
  );
}

/** MQLs waiting without an owner (none yet, or rules added later): offered to route now. */
function WaitingBanner({ onMessage }: Readonly<{ onMessage: Notify }>) {
  const waiting = useApi('followup-waiting', {}, { refreshOn: ['followup', 'leads'] });
  const n = waiting.data?.unassigned ?? 0;
  if (n === 0) return null;
  return (
    <div className="card fu-waiting" role="status">
      <span>
        <strong>{n.toLocaleString()}</strong> {n === 1 ? 'MQL is' : 'MQLs are'} waiting without an owner.
      </span>
      <button
        type="button"
        className="btn btn--small btn--primary"
        onClick={() =>
          void (async () => {
            try {
              const r = await call('followup-route-waiting', {});
              onMessage(
                r.left === 0
                  ? `Routed ${r.routed.toLocaleString()} leads`
                  : `Routed ${r.routed.toLocaleString()}; ${r.left.toLocaleString()} match no rule with an active owner`,
                r.routed > 0 ? 'ok' : 'error',
              );
            } catch (e) {
              onMessage(e instanceof ApiFailure ? e.message : String(e), 'error');
            }
          })()
        }
      >
        Route them now
      </button>
    </div>
  );
}

export function SettingsView({
  settings,
  owners,
  onMessage,
}: Readonly<{ settings: FollowupSettings; owners: readonly Owner[]; onMessage: Notify }>) {
  return (
    <div className="fu-settings">
      <WaitingBanner onMessage={onMessage} />
      <MeSettings settings={settings} owners={owners} onMessage={onMessage} />
      <OwnerSettings owners={owners} onMessage={onMessage} />
      <RoutingSettings owners={owners} onMessage={onMessage} />
      <SlaSettings onMessage={onMessage} />
      <StagesSettings settings={settings} onMessage={onMessage} />
      <DispositionSettings onMessage={onMessage} />
      <HistoryFromColumn onMessage={onMessage} />
    </div>
  );
}
