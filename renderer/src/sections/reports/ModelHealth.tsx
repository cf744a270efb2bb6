/**
 * Reports > Model: how well a model's scores match what really happened to the closed
 * leads: ROC AUC with its interval, conversion by score decile (lift), segment and grade,
 * and a verdict per rule. The figures come from the report-model handler, the same
 * computation as `leadbench report model`.
 */
import type { ModelHealthReport } from '../../../../shared/contract';
import { CLOSED_GRADES } from '../../../../shared/followup/definitions';
import type { GroupRow, RuleHealth } from '../../../../shared/learn/health';
import { useApi } from '../../api';
import { EmptyState, ErrorState } from '../../components/EmptyState';
import type { SectionId } from '../../sections';
import { formatCount } from '../../format';

const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`);

function GroupTable({
  title,
  rows,
  label = (k) => k,
}: Readonly<{ title: string; rows: readonly GroupRow[]; label?: (key: string) => string }>) {
  return (
    <div className="card rp-card">
      <h3>{title}</h3>
      <table className="table rp-table" aria-label={title}>
        <thead>
          <tr>
            <th />
            <th className="rp-num">Closed leads</th>
            <th className="rp-num">Won</th>
            <th className="rp-num">Converted</th>
            <th className="rp-num">95% interval</th>
            <th className="rp-num">Lift</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.key}>
              <td>{label(g.key)}</td>
              <td className="rp-num">{formatCount(g.leads)}</td>
              <td className="rp-num">{formatCount(g.won)}</td>
              <td className="rp-num">{pct(g.rate)}</td>
              <td className="rp-num">
                {pct(g.low)}–{pct(g.high)}
              </td>
              <td className="rp-num">{g.lift.toFixed(2)}×</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Conversion per score decile as bars, best scores first: a model that ranks well slopes down. */
function LiftChart({ rows, overall }: Readonly<{ rows: readonly GroupRow[]; overall: number | null }>) {
  return (
    <div className="card rp-card">
      <h3>Conversion by score decile (lift) — overall {pct(overall)}</h3>
      <div className="mh-lift" role="img" aria-label="Conversion by score decile">
        {rows.map((g) => (
          <div
            key={g.key}
            className="mh-lift-col"
            title={`${g.key}: ${pct(g.rate)} of ${formatCount(g.leads)} converted (lift ${g.lift.toFixed(2)}×)`}
          >
            <span className="mh-lift-value">{pct(g.rate)}</span>
            <div className="mh-lift-area">
              <div
                className={`mh-lift-bar${overall !== null && g.rate < overall ? ' is-below' : ''}`}
                style={{ height: `${Math.max(1, g.rate * 100)}%` }}
              />
            </div>
            <span className="mh-lift-key">{g.key}</span>
          </div>
        ))}
      </div>
    </div>
  );
}

function RulesTable({ rules }: Readonly<{ rules: readonly RuleHealth[] }>) {
  return (
    <div className="card rp-card">
      <h3>Rules against outcomes</h3>
      <table className="table rp-table" aria-label="Rules against outcomes">
        <thead>
          <tr>
            <th>Rule</th>
            <th className="rp-num">Points</th>
            <th className="rp-num">Leads matched</th>
            <th className="rp-num">Converted with</th>
            <th className="rp-num">Without</th>
            <th>Verdict</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.id} className={`mh-verdict--${r.verdict.replace(/ /g, '-')}`}>
              <td title={r.text}>{r.name}</td>
              <td className="rp-num">{r.points > 0 ? `+${r.points}` : r.points}</td>
              <td className="rp-num">{formatCount(r.matched)}</td>
              <td className="rp-num" title={`95% interval ${pct(r.withInterval[0])}–${pct(r.withInterval[1])}`}>
                {pct(r.rateWith)}
              </td>
              <td className="rp-num">{pct(r.rateWithout)}</td>
              <td>
                <span className="mh-verdict">{r.verdict}</span>
                {r.suggestedPoints !== null && (r.verdict === 'over-valued' || r.verdict === 'under-valued')
                  ? ` → suggest ${r.suggestedPoints > 0 ? '+' : ''}${r.suggestedPoints}`
                  : ''}
                {r.overlapsWith ? <span className="mh-overlap"> · overlaps with {r.overlapsWith}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ModelHealthSummary({ report }: Readonly<{ report: ModelHealthReport }>) {
  const h = report.health;
  return (
    <div className="rp-kpis" aria-label="Model health summary">
      <div
        className="rp-kpi"
        title="Chance that a won lead scores above a lost one (ties count half); 0.5 is a coin toss."
      >
        <span>ROC AUC</span>
        <strong data-testid="model-auc">{h.auc.auc === null ? '—' : h.auc.auc.toFixed(2)}</strong>
        {h.auc.auc !== null ? (
          <small>
            95% {h.auc.low!.toFixed(2)}–{h.auc.high!.toFixed(2)}
          </small>
        ) : null}
      </div>
      <div className="rp-kpi">
        <span>Closed leads</span>
        <strong data-testid="model-closed">{formatCount(h.closed)}</strong>
      </div>
      <div className="rp-kpi">
        <span>Won</span>
        <strong>
          {formatCount(h.won)} ({pct(h.overallRate)})
        </strong>
      </div>
      <div className="rp-kpi">
        <span>Model</span>
        <strong>
          {report.modelName}
          {report.version !== null ? ` v${report.version}` : ''}
        </strong>
      </div>
    </div>
  );
}

export function ModelHealthView({
  modelId,
  from,
  to,
  onNavigate,
}: Readonly<{
  modelId?: number | undefined;
  from?: number | undefined;
  to?: number | undefined;
  onNavigate: (id: SectionId) => void;
}>) {
  const args = {
    ...(modelId !== undefined ? { modelId } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
  };
  const state = useApi('report-model', args, { refreshOn: ['leads', 'scores', 'models', 'followup', 'imports'] });
  if (state.error) return <ErrorState message={state.error.message} onRetry={state.reload} />;
  if (!state.data) return <p className="muted">Scoring the closed leads…</p>;
  const r = state.data;
  const h = r.health;
  if (h.closed === 0)
    return (
      <EmptyState
        icon="reports"
        title="No closed leads yet"
        actions={
          <>
            <button type="button" className="btn btn--primary" onClick={() => onNavigate('import')}>
              Import with an outcome…
            </button>
            <button type="button" className="btn" onClick={() => onNavigate('leads')}>
              Mark leads in Leads
            </button>
          </>
        }
      >
        <p>
          Model health compares scores with what happened. Import a file with an outcome column (the wizard&apos;s
          Outcome step), or mark leads Won or Lost from Leads or the Follow-up queue.
        </p>
      </EmptyState>
    );
  return (
    <>
      <ModelHealthSummary report={r} />
      {h.notes.map((n) => (
        <p key={n} className="mh-note" role="note">
          {n}
        </p>
      ))}
      <LiftChart rows={h.deciles} overall={h.overallRate} />
      <div className="rp-two">
        <GroupTable title="By segment" rows={h.bySegment} label={(k) => r.segmentLabels[k] ?? k} />
        <GroupTable title="By grade" rows={h.byGrade} />
      </div>
      <p className="muted" data-testid="model-health-grades-caption">
        {CLOSED_GRADES.caption}
      </p>
      <RulesTable rules={h.rules} />
    </>
  );
}
