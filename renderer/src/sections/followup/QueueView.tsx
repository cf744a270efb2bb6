/**
 * The follow-up queue: my leads or everyone's, soonest due first, status colours, the
 * recommended next action and attempts so far. Keyboard: ↑/↓ (or k/j) move, 1–6 log an
 * outcome for the selected lead, d jumps to the disposition, a toggles mine/all,
 * / searches.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { ATTEMPT_OUTCOMES } from '../../../../shared/followup/defaults';
import { QUEUE_STATUSES, SLA_STATUS_LABELS, type SlaStatus } from '../../../../shared/followup/sla';
import type { FollowupSettings, Owner } from '../../../../shared/contract';
import { useApi } from '../../api';
import { EmptyState, ErrorState } from '../../components/EmptyState';
import { plural } from '../../format';
import type { SectionId } from '../../sections';
import { LeadPanel } from './LeadPanel';
import { STATUS_CLASS, nextDue, typingInField } from './labels';

type Props = Readonly<{
  settings: FollowupSettings;
  owners: readonly Owner[];
  onOpenSettings: () => void;
  onMessage: (text: string, kind?: 'ok' | 'error') => void;
  onNavigate: (id: SectionId) => void;
}>;

const REFRESH_MS = 60_000;

export function QueueView({ settings, owners, onOpenSettings, onMessage, onNavigate }: Props) {
  const me = settings.meOwnerId;
  const [scope, setScope] = useState<'mine' | 'all'>(me !== null ? 'mine' : 'all');
  const effectiveScope = me === null ? 'all' : scope;
  const [statuses, setStatuses] = useState<SlaStatus[]>([]);
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const [pendingOutcome, setPendingOutcome] = useState<{
    outcome: (typeof ATTEMPT_OUTCOMES)[number];
    seq: number;
  } | null>(null);
  const [focusDisposition, setFocusDisposition] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);

  const queue = useApi(
    'followup-queue',
    { scope: effectiveScope, statuses, ...(search.trim() ? { search } : {}), limit: 500 },
    { refreshOn: ['followup', 'leads'] },
  );
  const stages = useApi('stages-list', {}, { refreshOn: ['followup'] });
  const reasons = useApi('disposition-reasons-list', {}, { refreshOn: ['followup'] });

  const reload = queue.reload;
  useEffect(() => {
    const t = window.setInterval(reload, REFRESH_MS);
    return () => window.clearInterval(t);
  }, [reload]);

  const items = useMemo(() => queue.data?.items ?? [], [queue.data]);
  const current = items.find((i) => i.leadId === selected) ?? items[0] ?? null;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typingInField(e)) return;
      const idx = current ? items.findIndex((i) => i.leadId === current.leadId) : -1;
      if (e.key === 'ArrowDown' || e.key === 'j') {
        const next = items[Math.min(items.length - 1, idx + 1)];
        if (next) setSelected(next.leadId);
      } else if (e.key === 'ArrowUp' || e.key === 'k') {
        const prev = items[Math.max(0, idx - 1)];
        if (prev) setSelected(prev.leadId);
      } else if (/^[1-6]$/.test(e.key) && current) {
        setPendingOutcome((p) => ({ outcome: ATTEMPT_OUTCOMES[Number(e.key) - 1]!, seq: (p?.seq ?? 0) + 1 }));
      } else if (e.key === 'd' && current) {
        setFocusDisposition((n) => n + 1);
      } else if (e.key === 'a' && me !== null) {
        setScope((s) => (s === 'mine' ? 'all' : 'mine'));
      } else if (e.key === '/') {
        searchRef.current?.focus();
      } else {
        return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, current, me]);

  useEffect(() => {
    if (!current) return;
    document.querySelector(`[data-lead-row="${current.leadId}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  const counts = queue.data?.counts;
  const now = queue.data?.now ?? 0;
  const meName = owners.find((o) => o.id === me)?.name;

  return (
    <div className="fu-queue">
      <div className="fu-toolbar">
        <div className="fu-seg" role="tablist" aria-label="Whose leads">
          <button
            type="button"
            role="tab"
            aria-selected={effectiveScope === 'mine'}
            className={`fu-seg__item${effectiveScope === 'mine' ? ' is-on' : ''}`}
            disabled={me === null}
            title={me === null ? 'Choose who you are in Settings' : `Leads of ${meName ?? 'me'}`}
            onClick={() => setScope('mine')}
          >
            My leads
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={effectiveScope === 'all'}
            className={`fu-seg__item${effectiveScope === 'all' ? ' is-on' : ''}`}
            onClick={() => setScope('all')}
          >
            All leads
          </button>
        </div>
        <div className="fu-chips" aria-label="Status filter">
          {QUEUE_STATUSES.map((s) => {
            const on = statuses.includes(s);
            return (
              <button
                key={s}
                type="button"
                aria-pressed={on}
                className={`fu-chip ${STATUS_CLASS[s]}${on ? ' is-on' : ''}`}
                onClick={() => setStatuses((cur) => (on ? cur.filter((x) => x !== s) : [...cur, s]))}
              >
                {SLA_STATUS_LABELS[s]} <span className="fu-chip__n">{counts?.[s] ?? 0}</span>
              </button>
            );
          })}
        </div>
        <input
          ref={searchRef}
          className="input fu-search"
          type="search"
          placeholder="Search leads  ( / )"
          aria-label="Search the queue"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>

      {me === null ? (
        <div className="fu-hint" role="note">
          Tell Leadbench who you are to see <strong>your</strong> leads and get due-soon notifications.{' '}
          <button type="button" className="btn btn--small" onClick={onOpenSettings}>
            Choose in Settings
          </button>
        </div>
      ) : null}

      {queue.error ? <ErrorState message={queue.error.message} onRetry={queue.reload} /> : null}

      {queue.data && items.length === 0 ? (
        <QueueEmpty
          filtered={statuses.length > 0 || search.trim() !== ''}
          mine={effectiveScope === 'mine'}
          onClearFilters={() => {
            setStatuses([]);
            setSearch('');
          }}
          onShowAll={() => setScope('all')}
          onNavigate={onNavigate}
        />
      ) : null}

      {items.length > 0 ? (
        <div className="fu-split">
          <div className="fu-table-wrap card">
            <table className="table fu-table" aria-label="Follow-up queue">
              <thead>
                <tr>
                  <th>Next due</th>
                  <th>Lead</th>
                  {effectiveScope === 'all' ? <th>Owner</th> : null}
                  <th>Attempts</th>
                  <th>Next action</th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr
                    key={i.leadId}
                    data-lead-row={i.leadId}
                    data-due={i.dueAt}
                    data-next={i.nextAt}
                    aria-selected={current?.leadId === i.leadId}
                    className={current?.leadId === i.leadId ? 'is-selected' : ''}
                    onClick={() => setSelected(i.leadId)}
                  >
                    {/* The SLA status sits under its due time: one column fewer beside the panel at 1280 px. */}
                    <td className="fu-due">
                      <div>{nextDue(i, now).text}</div>
                      <div className="fu-due__state">
                        <span className="muted">{nextDue(i, now).relative}</span>
                        <span className={`fu-status ${STATUS_CLASS[i.status]}`}>{SLA_STATUS_LABELS[i.status]}</span>
                      </div>
                    </td>
                    <td className="fu-lead">
                      {/* The grade sits with the name: one column fewer beside the panel at 1280 px. */}
                      <div className="fu-lead__title">
                        <span className="fu-name" title={i.name}>
                          {i.name}
                        </span>
                        {i.grade ? <span className="badge fu-grade">{i.grade}</span> : null}
                      </div>
                      <div className="muted">{i.company ?? i.email ?? ''}</div>
                    </td>
                    {effectiveScope === 'all' ? (
                      <td>{i.ownerName ?? <span className="muted">Unassigned</span>}</td>
                    ) : null}
                    <td>
                      {i.attempts}/{i.attemptsRequired}
                    </td>
                    <td className="fu-action">{i.recommendedAction}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="fu-foot muted">
              {plural(queue.data?.total ?? 0, 'lead')}
              {queue.data && queue.data.total > items.length ? ` (first ${items.length} shown)` : ''} · ↑↓ move · 1–6
              log outcome · d disposition · a mine/all · / search
            </div>
          </div>
          {current ? (
            <LeadPanel
              item={current}
              now={now}
              owners={owners}
              stages={stages.data ?? []}
              reasons={reasons.data ?? []}
              onMessage={onMessage}
              pendingOutcome={pendingOutcome}
              focusDisposition={focusDisposition}
            />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** An empty queue says why (filters, only my leads, or no MQL yet) and offers the next step. */
function QueueEmpty({
  filtered,
  mine,
  onClearFilters,
  onShowAll,
  onNavigate,
}: Readonly<{
  filtered: boolean;
  mine: boolean;
  onClearFilters: () => void;
  onShowAll: () => void;
  onNavigate: (id: SectionId) => void;
}>) {
  if (filtered) {
    return (
      <EmptyState
        icon="followup"
        title="No lead matches"
        actions={
          <button type="button" className="btn" onClick={onClearFilters}>
            Clear the search and status filter
          </button>
        }
      >
        <p>No lead in this queue has that status or matches the search.</p>
      </EmptyState>
    );
  }
  return (
    <EmptyState
      icon="followup"
      title="Nothing to follow up"
      actions={
        <>
          {mine ? (
            <button type="button" className="btn btn--primary" onClick={onShowAll}>
              Show all leads
            </button>
          ) : null}
          <button type="button" className={mine ? 'btn' : 'btn btn--primary'} onClick={() => onNavigate('leads')}>
            Open Leads
          </button>
          <button type="button" className="btn" onClick={() => onNavigate('scoring')}>
            See the MQL threshold in Scoring
          </button>
        </>
      }
    >
      <p>
        {mine ? 'No lead in the queue is yours. ' : null}Leads enter this queue when they become MQL: their score passes
        the model&apos;s MQL threshold, or someone moves them to MQL (Leads, bulk actions). Their SLA clock starts and
        routing gives them an owner.
      </p>
    </EmptyState>
  );
}
