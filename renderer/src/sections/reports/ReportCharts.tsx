/** One chart per report (recharts), drawn from the report's data. */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  LabelList,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type {
  DispositionsReport,
  FunnelReport,
  GradesReport,
  OutcomesReport,
  SlaReport,
} from '../../../../shared/contract';

const COLORS = {
  accent: '#4f46e5',
  met: '#18a058',
  breached: '#9333ea',
  overdue: '#e5484d',
  waiting: '#3b82f6',
  soft: '#a5b4fc',
};

function ChartBox({ height = 280, children }: Readonly<{ height?: number; children: React.ReactElement }>) {
  return (
    <div className="rp-chart" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </div>
  );
}

export function FunnelChart({ data }: Readonly<{ data: FunnelReport }>) {
  const rows = data.steps.map((s) => ({
    label: s.label,
    count: s.count,
    text:
      s.conversionPct === null || s.key === 'names'
        ? s.count.toLocaleString()
        : `${s.count.toLocaleString()} (${s.conversionPct}%)`,
  }));
  return (
    <ChartBox height={300}>
      <BarChart data={rows} layout="vertical" margin={{ left: 20, right: 80, top: 8, bottom: 8 }}>
        <CartesianGrid horizontal={false} stroke="#e2e5ea" />
        <XAxis type="number" allowDecimals={false} />
        <YAxis type="category" dataKey="label" width={190} />
        <Tooltip />
        <Bar dataKey="count" name="Leads" fill={COLORS.accent} radius={[0, 4, 4, 0]} isAnimationActive={false}>
          {rows.map((_, i) => (
            <Cell key={i} fill={i === rows.length - 1 ? COLORS.met : COLORS.accent} fillOpacity={1 - i * 0.1} />
          ))}
          <LabelList dataKey="text" position="right" />
        </Bar>
      </BarChart>
    </ChartBox>
  );
}

export function GradeGrid({ data }: Readonly<{ data: GradesReport }>) {
  const max = Math.max(1, ...data.cells.map((c) => c.count));
  return (
    <div className="rp-grid-wrap">
      <table className="rp-grid" aria-label="Leads per grade">
        <thead>
          <tr>
            <th>Fit \ Engagement</th>
            {data.engagements.map((e) => (
              <th key={e}>{e}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.fits.map((f) => (
            <tr key={f}>
              <th>{f}</th>
              {data.engagements.map((e) => {
                const c = data.cells.find((x) => x.fit === f && x.engagement === e);
                const n = c?.count ?? 0;
                const a = n === 0 ? 0 : 0.12 + 0.88 * (n / max);
                return (
                  <td
                    key={e}
                    data-grade={`${f}${e}`}
                    style={{ background: `rgba(79, 70, 229, ${a})`, color: a > 0.55 ? '#fff' : undefined }}
                  >
                    <div className="rp-grid__grade">
                      {f}
                      {e}
                    </div>
                    <div className="rp-grid__n">{n.toLocaleString()}</div>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="rp-grid-side">
        <ChartBox height={260}>
          <BarChart data={[...data.segments]} margin={{ left: 0, right: 10, top: 8, bottom: 8 }}>
            <CartesianGrid vertical={false} stroke="#e2e5ea" />
            <XAxis dataKey="segment" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Bar dataKey="count" name="Leads" fill={COLORS.accent} radius={[4, 4, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ChartBox>
        <p className="muted rp-note">
          {data.total.toLocaleString()} leads · {data.ungraded.toLocaleString()} without a grade
        </p>
      </div>
    </div>
  );
}

export function SlaChart({ data }: Readonly<{ data: SlaReport }>) {
  const bars = (rows: SlaReport['byOwner']) => (
    <BarChart data={[...rows]} margin={{ left: 0, right: 10, top: 8, bottom: 8 }}>
      <CartesianGrid vertical={false} stroke="#e2e5ea" />
      <XAxis dataKey="label" />
      <YAxis allowDecimals={false} />
      <Tooltip />
      <Legend />
      <Bar dataKey="met" name="Met" stackId="s" fill={COLORS.met} isAnimationActive={false} />
      <Bar dataKey="breached" name="Breached" stackId="s" fill={COLORS.breached} isAnimationActive={false} />
      <Bar dataKey="overdue" name="Overdue" stackId="s" fill={COLORS.overdue} isAnimationActive={false} />
      <Bar dataKey="waiting" name="Waiting" stackId="s" fill={COLORS.waiting} isAnimationActive={false} />
    </BarChart>
  );
  return (
    <div className="rp-two">
      <div>
        <h3>Per owner</h3>
        <ChartBox>{bars(data.byOwner)}</ChartBox>
      </div>
      <div>
        <h3>Per grade</h3>
        <ChartBox>{bars(data.byGrade)}</ChartBox>
      </div>
    </div>
  );
}

export function OutcomesChart({ data }: Readonly<{ data: OutcomesReport }>) {
  const pct = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 10 : 0);
  const bars = (rows: OutcomesReport['byGrade']) => (
    <BarChart
      data={rows.map((r) => ({
        key: r.key,
        mql: pct(r.mql, r.leads),
        opportunity: pct(r.opportunity, r.leads),
        won: pct(r.won, r.leads),
      }))}
      margin={{ left: 0, right: 10, top: 8, bottom: 8 }}
    >
      <CartesianGrid vertical={false} stroke="#e2e5ea" />
      <XAxis dataKey="key" />
      <YAxis unit="%" />
      <Tooltip />
      <Legend />
      <Bar dataKey="mql" name="Became MQL %" fill={COLORS.soft} isAnimationActive={false} />
      <Bar dataKey="opportunity" name="Reached opportunity %" fill={COLORS.accent} isAnimationActive={false} />
      <Bar dataKey="won" name="Won %" fill={COLORS.met} isAnimationActive={false} />
    </BarChart>
  );
  return (
    <div className="rp-two">
      <div>
        <h3>Conversion per grade (share of the grade's leads)</h3>
        <ChartBox>{bars(data.byGrade)}</ChartBox>
      </div>
      <div>
        <h3>Conversion per segment</h3>
        <ChartBox>{bars(data.bySegment)}</ChartBox>
      </div>
    </div>
  );
}

export function DispositionsChart({ data }: Readonly<{ data: DispositionsReport }>) {
  const rows = data.rows.map((r) => ({ label: r.parent ? `${r.parent}: ${r.label}` : r.label, count: r.count }));
  return (
    <ChartBox height={Math.max(160, rows.length * 38 + 40)}>
      <BarChart data={rows} layout="vertical" margin={{ left: 20, right: 40, top: 8, bottom: 8 }}>
        <CartesianGrid horizontal={false} stroke="#e2e5ea" />
        <XAxis type="number" allowDecimals={false} />
        <YAxis type="category" dataKey="label" width={230} />
        <Tooltip />
        <Bar dataKey="count" name="Leads" fill={COLORS.overdue} radius={[0, 4, 4, 0]} isAnimationActive={false}>
          <LabelList dataKey="count" position="right" />
        </Bar>
      </BarChart>
    </ChartBox>
  );
}
