/**
 * The impact preview's "against outcomes": the draft and the published primary model, each
 * scoring the same closed leads now (their stored scores stay frozen), side by side: ROC
 * AUC with its interval and conversion by grade. Same computation as Reports > Model.
 */
import { useEffect, useState } from 'react';
import type { ModelHealthReport } from '../../../../shared/contract';
import type { ScoringModel } from '../../../../shared/scoring';
import { call, errorMessage } from '../../api';
import { formatCount } from '../../format';

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const auc = (r: ModelHealthReport): string =>
  r.health.auc.auc === null
    ? '—'
    : `${r.health.auc.auc.toFixed(2)} (95% ${r.health.auc.low!.toFixed(2)}–${r.health.auc.high!.toFixed(2)})`;

export function OutcomeBacktest({ draft }: Readonly<{ draft: ScoringModel }>) {
  // The draft as it was when the preview opened (like the preview itself).
  const [model] = useState(draft);
  const [result, setResult] = useState<{ draft: ModelHealthReport; published: ModelHealthReport } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    Promise.all([call('report-model', { definition: model }), call('report-model', {})]).then(
      ([d, p]) => live && setResult({ draft: d, published: p }),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [model]);
  if (error) return <p className="muted">Against outcomes: {error}</p>;
  if (!result) return <p className="muted">Scoring the closed leads against their outcomes…</p>;
  const { draft: d, published: p } = result;
  if (d.health.closed === 0)
    return <p className="muted">Against outcomes: no closed leads yet (mark leads Won or Lost to backtest a draft).</p>;
  const grades = [...new Set([...d.health.byGrade, ...p.health.byGrade].map((g) => g.key))].sort();
  const cell = (r: ModelHealthReport, key: string): string => {
    const g = r.health.byGrade.find((x) => x.key === key);
    return g ? `${pct(g.rate)} of ${formatCount(g.leads)}` : '—';
  };
  return (
    <div className="sc-backtest" data-testid="backtest">
      <h3>Against outcomes ({formatCount(d.health.closed)} closed leads)</h3>
      <div className="sg-compare">
        <div>
          <span>This draft: AUC</span>
          <strong data-testid="backtest-draft-auc">{auc(d)}</strong>
        </div>
        <div>
          <span>
            Published ({p.modelName}
            {p.version !== null ? ` v${p.version}` : ''}): AUC
          </span>
          <strong data-testid="backtest-published-auc">{auc(p)}</strong>
        </div>
      </div>
      <table className="table sc-backtest__table" aria-label="Conversion by grade">
        <thead>
          <tr>
            <th>Grade</th>
            <th>Converted, this draft</th>
            <th>Converted, published</th>
          </tr>
        </thead>
        <tbody>
          {grades.map((g) => (
            <tr key={g}>
              <td>{g}</td>
              <td>{cell(d, g)}</td>
              <td>{cell(p, g)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
