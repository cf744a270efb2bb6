/**
 * Reports: the funnel, leads per grade and segment, SLA compliance, outcomes by grade and
 * segment, disposition reasons. Each shows a chart and the table behind it, shares one
 * filter (date range, source, campaign, import, owner, model) and exports to CSV.
 */
import { useState } from 'react';
import type {
  HandlerArgs,
  HandlerResult,
  ReportFilter,
  ReportKind,
  ReportTable,
  SlaReport,
} from '../../../shared/contract';
import {
  DATE_BASES,
  DATE_BASIS_HELP,
  DATE_BASIS_LABELS,
  DEFAULT_DATE_BASIS,
  FUNNEL_HELP,
  SLA_COMPLIANCE_HELP,
  SLA_MET,
  type DateBasis,
} from '../../../shared/followup/definitions';
import { REPORT_KINDS, REPORT_LABELS } from '../../../shared/followup/reports';
import { ApiFailure, call, shell, useApi } from '../api';
import { EmptyState, ErrorState } from '../components/EmptyState';
import type { SectionId } from '../sections';
import { SectionHeader } from '../components/SectionHeader';
import { ModelHealthView } from './reports/ModelHealth';
import { DispositionsChart, FunnelChart, GradeGrid, OutcomesChart, SlaChart } from './reports/ReportCharts';
import './reports/reports.css';

const TAB_LABELS: Readonly<Record<ReportKind, string>> = {
  funnel: 'Funnel',
  grades: 'Grades & segments',
  sla: 'SLA compliance',
  outcomes: 'Outcomes',
  dispositions: 'Disposition reasons',
};

/** What the figures of each report mean (definitions.ts), under the tabs. */
const REPORT_HELP: Readonly<Record<ReportKind, string>> = {
  funnel: FUNNEL_HELP,
  grades: 'Leads per grade (fit A–D by engagement 1–4) and per segment, by their current scores.',
  sla: `${SLA_MET.help} Compliance = ${SLA_COMPLIANCE_HELP}`,
  outcomes: `Per grade and segment: leads that reached each step (${FUNNEL_HELP.split('. ')[0]!.toLowerCase()}).`,
  dispositions: 'The reasons given when follow-up was closed, with the stage each reason moves leads to.',
};

const REFRESH = ['followup', 'leads', 'scores', 'imports'] as const;

function dayStart(value: string): number | undefined {
  if (!value) return undefined;
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y!, m! - 1, d!).getTime();
}

function TableView({ table, label }: Readonly<{ table: ReportTable; label: string }>) {
  // Number columns are right-aligned, their "—" placeholders included (the table says which).
  const { numeric } = table;
  return (
    <div className="rp-table-wrap">
      <table className="table rp-table" aria-label={`${label} table`}>
        <thead>
          <tr>
            {table.columns.map((c, j) => (
              <th key={c} className={numeric[j] ? 'rp-num' : ''}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r, i) => (
            <tr key={i}>
              {r.map((v, j) => (
                <td key={j} className={numeric[j] ? 'rp-num' : ''}>
                  {v === null ? '—' : typeof v === 'number' ? v.toLocaleString() : v}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type ReportHandler = 'report-funnel' | 'report-grades' | 'report-sla' | 'report-outcomes' | 'report-dispositions';

/** Fetches one report (only the one on screen) and renders its chart, or the empty state. */
function ReportView<K extends ReportHandler>({
  name,
  filter,
  label,
  render,
  whenEmpty,
}: Readonly<{
  name: K;
  filter: ReportFilter;
  label: string;
  render: (data: HandlerResult<K>['data']) => { chart: React.ReactNode; empty: boolean; extra?: React.ReactNode };
  /** The empty state: what is missing and the step that fills the report. */
  whenEmpty: React.ReactNode;
}>) {
  const state = useApi(name, { filter } as HandlerArgs<K>, { key: JSON.stringify(filter), refreshOn: REFRESH });
  if (state.error) return <ErrorState message={state.error.message} onRetry={state.reload} />;
  if (!state.data) return <p className="muted">Loading…</p>;
  const { chart, empty, extra } = render(state.data.data);
  if (empty) return whenEmpty;
  return (
    <>
      {extra}
      <div className="card rp-card">{chart}</div>
      <div className="card rp-card">
        <TableView table={state.data.table} label={label} />
      </div>
    </>
  );
}

function SlaKpis({ data }: Readonly<{ data: SlaReport }>) {
  const o = data.overall;
  return (
    <div className="rp-kpis" aria-label="SLA summary">
      <div className="rp-kpi" title={SLA_COMPLIANCE_HELP}>
        <span>Compliance</span>
        <strong data-testid="sla-compliance">{o.compliancePct === null ? '—' : `${o.compliancePct}%`}</strong>
      </div>
      <div className="rp-kpi" title={SLA_MET.help}>
        <span>Met</span>
        <strong data-testid="sla-met">{o.met}</strong>
      </div>
      <div className="rp-kpi">
        <span>Breached</span>
        <strong data-testid="sla-breached">{o.breached}</strong>
      </div>
      <div className="rp-kpi">
        <span>Overdue</span>
        <strong data-testid="sla-overdue">{o.overdue}</strong>
      </div>
      <div className="rp-kpi" title="Follow-up closed before its due time without any attempt: neither met nor missed.">
        <span>Closed, no attempt</span>
        <strong data-testid="sla-no-attempt">{o.closedNoAttempt}</strong>
      </div>
      <div className="rp-kpi">
        <span>Median to first contact</span>
        <strong>
          {o.medianMinutesToFirstContact === null ? '—' : `${Math.round(o.medianMinutesToFirstContact)} min`}
        </strong>
      </div>
    </div>
  );
}

/** Why a report with no filter can be empty, and where the step that fills it is taken. */
const EMPTY_REPORTS: Readonly<
  Record<ReportKind, { title: string; text: string; action: { label: string; section: SectionId } }>
> = {
  funnel: {
    title: 'No leads in the funnel yet',
    text: 'Import a spreadsheet of leads to see how many reach each step.',
    action: { label: 'Import leads…', section: 'import' },
  },
  grades: {
    title: 'No graded leads yet',
    text: 'Grades come from the scoring model: publish one, or import leads for it to score.',
    action: { label: 'Open Scoring', section: 'scoring' },
  },
  sla: {
    title: 'No SLA clock has started yet',
    text: "A lead's SLA clock starts when it becomes MQL in the app (its score passes the threshold, or someone moves it to MQL). Those leads are worked from the Follow-up queue.",
    action: { label: 'Open the Follow-up queue', section: 'followup' },
  },
  outcomes: {
    title: 'No outcomes yet',
    text: 'Mark leads Won or Lost, or import a file with an outcome column, to compare grades and segments with what happened.',
    action: { label: 'Import with an outcome…', section: 'import' },
  },
  dispositions: {
    title: 'No follow-up closed with a reason yet',
    text: "Reasons are counted here when a lead's follow-up is closed from the Follow-up panel (not interested, no budget, …).",
    action: { label: 'Open the Follow-up queue', section: 'followup' },
  },
};

function EmptyReport({
  kind,
  filtered,
  onClearFilters,
  onNavigate,
}: Readonly<{ kind: ReportKind; filtered: boolean; onClearFilters: () => void; onNavigate: (id: SectionId) => void }>) {
  if (filtered) {
    return (
      <EmptyState
        icon="reports"
        title="No lead matches these filters"
        actions={
          <button type="button" className="btn" onClick={onClearFilters}>
            Clear filters
          </button>
        }
      >
        <p>Widen the period or clear a filter to see this report.</p>
      </EmptyState>
    );
  }
  const hint = EMPTY_REPORTS[kind];
  return (
    <EmptyState
      icon="reports"
      title={hint.title}
      actions={
        <button type="button" className="btn btn--primary" onClick={() => onNavigate(hint.action.section)}>
          {hint.action.label}
        </button>
      }
    >
      <p>{hint.text}</p>
    </EmptyState>
  );
}

function ReportBody({
  kind,
  filter,
  whenEmpty,
}: Readonly<{ kind: ReportKind; filter: ReportFilter; whenEmpty: React.ReactNode }>) {
  const label = REPORT_LABELS[kind];
  switch (kind) {
    case 'funnel':
      return (
        <ReportView
          key="funnel"
          name="report-funnel"
          filter={filter}
          label={label}
          whenEmpty={whenEmpty}
          render={(d) => ({ chart: <FunnelChart data={d} />, empty: d.steps[0]!.count === 0 })}
        />
      );
    case 'grades':
      return (
        <ReportView
          key="grades"
          name="report-grades"
          filter={filter}
          label={label}
          whenEmpty={whenEmpty}
          render={(d) => ({ chart: <GradeGrid data={d} />, empty: d.total === 0 })}
        />
      );
    case 'sla':
      return (
        <ReportView
          key="sla"
          name="report-sla"
          filter={filter}
          label={label}
          whenEmpty={whenEmpty}
          render={(d) => ({ chart: <SlaChart data={d} />, empty: d.overall.total === 0, extra: <SlaKpis data={d} /> })}
        />
      );
    case 'outcomes':
      return (
        <ReportView
          key="outcomes"
          name="report-outcomes"
          filter={filter}
          label={label}
          whenEmpty={whenEmpty}
          render={(d) => ({ chart: <OutcomesChart data={d} />, empty: d.byGrade.length === 0 })}
        />
      );
    case 'dispositions':
      return (
        <ReportView
          key="dispositions"
          name="report-dispositions"
          filter={filter}
          label={label}
          whenEmpty={whenEmpty}
          render={(d) => ({ chart: <DispositionsChart data={d} />, empty: d.total === 0 })}
        />
      );
  }
}

/** The follow-up reports, then model health (a tab of its own: it reads outcomes, not the funnel filter). */
type Tab = ReportKind | 'model';
const TABS: readonly Tab[] = [...REPORT_KINDS, 'model'];
const MODEL_HELP =
  'Closed leads (won, lost, disqualified) scored by the model as it is now, each as it stood when it closed ' +
  '(only the activity before), against what happened: the period is when they closed. Their stored scores are not changed.';

/** An empty workspace has nothing to report: point to the Import section instead. */
function NoLeadsYet({ onNavigate }: Readonly<{ onNavigate: (id: SectionId) => void }>) {
  return (
    <section className="section rp-section">
      <SectionHeader title="Reports" subtitle="Is the model ranking leads well, and is sales following up in time?" />
      <EmptyState
        icon="reports"
        title="No leads to report on yet"
        actions={
          <button type="button" className="btn btn--primary" onClick={() => onNavigate('import')}>
            Import leads…
          </button>
        }
      >
        <p>
          Import a spreadsheet of leads (and, if you have them, their outcomes) to see the funnel, SLA compliance and
          model health.
        </p>
      </EmptyState>
    </section>
  );
}

export function ReportsSection({
  leadCount,
  onNavigate,
}: Readonly<{ leadCount: number | undefined; onNavigate: (id: SectionId) => void }>) {
  if (leadCount === 0) return <NoLeadsYet onNavigate={onNavigate} />;
  return <Reports onNavigate={onNavigate} />;
}

function Reports({ onNavigate }: Readonly<{ onNavigate: (id: SectionId) => void }>) {
  const [kind, setKind] = useState<Tab>('funnel');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [source, setSource] = useState('');
  const [campaign, setCampaign] = useState('');
  const [importId, setImportId] = useState('');
  const [ownerId, setOwnerId] = useState('');
  const [modelId, setModelId] = useState('');
  const [dateBasis, setDateBasis] = useState<DateBasis>(DEFAULT_DATE_BASIS);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const options = useApi('report-filter-options', {}, { refreshOn: REFRESH });

  const toStart = dayStart(to);
  const filter: ReportFilter = Object.fromEntries(
    Object.entries({
      from: dayStart(from),
      to: toStart === undefined ? undefined : toStart + 86_400_000,
      source: source || undefined,
      campaign: campaign || undefined,
      importId: importId ? Number(importId) : undefined,
      ownerId: ownerId ? Number(ownerId) : undefined,
      modelId: modelId ? Number(modelId) : undefined,
      dateBasis: (from || to) && dateBasis !== DEFAULT_DATE_BASIS ? dateBasis : undefined,
    }).filter(([, v]) => v !== undefined),
  );

  async function exportCsv() {
    if (kind === 'model') return;
    setMessage(null);
    const path = await shell().saveFileDialog({
      title: `Export ${REPORT_LABELS[kind]}`,
      defaultPath: `leadbench-${kind}.csv`,
      filters: [{ name: 'CSV', extensions: ['csv'] }],
    });
    if (!path) return;
    try {
      const r = await call('report-export', { report: kind, filter, path });
      setMessage({ text: `Exported ${r.rows} rows to ${r.path}`, error: false });
    } catch (e) {
      setMessage({ text: e instanceof ApiFailure ? e.message : String(e), error: true });
    }
  }

  function clearFilters() {
    setFrom('');
    setTo('');
    setSource('');
    setCampaign('');
    setImportId('');
    setOwnerId('');
    setModelId('');
  }

  const o = options.data;
  const active = Object.keys(filter).length;
  return (
    <section className="section rp-section">
      <SectionHeader
        title="Reports"
        subtitle="Is the model ranking leads well, and is sales following up in time?"
        actions={
          kind === 'model' ? null : (
            <button type="button" className="btn" onClick={() => void exportCsv()}>
              Export CSV…
            </button>
          )
        }
      />
      <div className="rp-filters" aria-label="Report filters">
        <label title={DATE_BASIS_HELP[dateBasis]}>
          Period by
          <select aria-label="Period by" value={dateBasis} onChange={(e) => setDateBasis(e.target.value as DateBasis)}>
            {DATE_BASES.map((b) => (
              <option key={b} value={b}>
                {DATE_BASIS_LABELS[b]}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input
            className="input"
            type="date"
            aria-label="From date"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
        <label>
          To
          <input
            className="input"
            type="date"
            aria-label="To date"
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </label>
        <label>
          Source
          <select aria-label="Source" value={source} onChange={(e) => setSource(e.target.value)}>
            <option value="">All</option>
            {o?.sources.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Campaign
          <select aria-label="Campaign" value={campaign} onChange={(e) => setCampaign(e.target.value)}>
            <option value="">All</option>
            {o?.campaigns.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Import
          <select aria-label="Import" value={importId} onChange={(e) => setImportId(e.target.value)}>
            <option value="">All</option>
            {o?.imports.map((i) => (
              <option key={i.id} value={i.id}>
                {i.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Owner
          <select aria-label="Owner" value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
            <option value="">All</option>
            {o?.owners.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Model
          <select aria-label="Model" value={modelId} onChange={(e) => setModelId(e.target.value)}>
            <option value="">Primary</option>
            {o?.models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
                {m.primary ? ' (primary)' : ''}
              </option>
            ))}
          </select>
        </label>
        {active > 0 ? (
          <button type="button" className="btn btn--small btn--ghost" onClick={clearFilters}>
            Clear filters
          </button>
        ) : null}
      </div>
      <div className="rp-tabs" role="tablist" aria-label="Report">
        {TABS.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={kind === k}
            className={`rp-tab${kind === k ? ' is-on' : ''}`}
            onClick={() => setKind(k)}
          >
            {k === 'model' ? 'Model' : TAB_LABELS[k]}
          </button>
        ))}
      </div>
      <p className="muted rp-note">
        {kind === 'model' ? MODEL_HELP : REPORT_HELP[kind]}{' '}
        {from || to ? (kind === 'model' ? null : DATE_BASIS_HELP[dateBasis]) : null}
      </p>
      {message ? (
        <div className={message.error ? 'error-state' : 'rp-ok'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </div>
      ) : null}
      {kind === 'model' ? (
        <ModelHealthView modelId={filter.modelId} from={filter.from} to={filter.to} onNavigate={onNavigate} />
      ) : (
        <ReportBody
          kind={kind}
          filter={filter}
          whenEmpty={
            <EmptyReport kind={kind} filtered={active > 0} onClearFilters={clearFilters} onNavigate={onNavigate} />
          }
        />
      )}
    </section>
  );
}
