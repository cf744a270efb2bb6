/**
 * Model-wide settings: decay (half-life, window, inactivity penalty, per-group
 * overrides), grade bands with the A1-D4 grid, segments on total score or on grades, the
 * MQL threshold, and which leads the model applies to.
 */
import {
  ALL_GRADES,
  ENGAGEMENT_GRADES,
  FIT_GRADES,
  type Decay,
  type DecaySettings,
  type Grade,
  type ModelIssue,
  type ScoringModel,
  type SegmentBand,
} from '../../../../shared/scoring';
import { ConditionBuilder } from './ConditionBuilder';
import { Field, IconButton, Issues, NumberField, Segmented, TextField } from './controls';
import { issuesAt, issuesUnder, replaceAt } from './draft';
import type { FieldOption } from './words';

type Props = Readonly<{
  model: ScoringModel;
  issues: readonly ModelIssue[];
  onChange: (m: ScoringModel) => void;
}>;

/** The share of engagement points left after `days`, as a small chart. */
function DecayCurve({ halfLife, windowDays }: Readonly<{ halfLife: number | null; windowDays: number | null }>) {
  const span = Math.max(30, Math.min(730, windowDays ? windowDays * 1.25 : halfLife ? halfLife * 4 : 365));
  const x0 = 34;
  const w = 300;
  const h = 110;
  const top = 8;
  const pts: string[] = [];
  for (let i = 0; i <= 64; i++) {
    const d = (span * i) / 64;
    let f = halfLife && halfLife > 0 ? Math.pow(0.5, d / halfLife) : 1;
    if (windowDays && d > windowDays) f = 0;
    pts.push(`${(x0 + (i / 64) * w).toFixed(1)},${(h - f * (h - top)).toFixed(1)}`);
  }
  const winX = windowDays ? x0 + (Math.min(windowDays, span) / span) * w : null;
  return (
    <figure className="sc-curve" aria-label="Share of engagement points kept by activity age">
      <svg viewBox={`0 0 ${x0 + w + 4} ${h + 18}`} width={x0 + w + 4} height={h + 18} role="img">
        <line x1={x0} y1={h} x2={x0 + w} y2={h} className="sc-curve__axis" />
        <line x1={x0} y1={top} x2={x0 + w} y2={top} className="sc-curve__grid" />
        {winX !== null ? (
          <>
            <line x1={winX} y1={top} x2={winX} y2={h} className="sc-curve__window" />
            <text x={winX - 4} y={top + 12} textAnchor="end" className="sc-curve__label">
              window
            </text>
          </>
        ) : null}
        <polyline points={pts.join(' ')} className="sc-curve__line" />
        <text x={x0 - 6} y={top + 4} textAnchor="end" className="sc-curve__label">
          100%
        </text>
        <text x={x0 - 6} y={h + 3} textAnchor="end" className="sc-curve__label">
          0%
        </text>
        <text x={x0} y={h + 14} className="sc-curve__label">
          today
        </text>
        <text x={x0 + w} y={h + 14} textAnchor="end" className="sc-curve__label">
          {Math.round(span)} days ago
        </text>
      </svg>
      <figcaption className="muted">Share of an activity&apos;s points kept, by its age</figcaption>
    </figure>
  );
}

function OptionalDays({
  label,
  value,
  onChange,
  issues,
  text,
  defaultDays,
}: Readonly<{
  label: string;
  value: number | null | undefined;
  onChange: (v: number | null) => void;
  issues: readonly ModelIssue[];
  text: [string, string];
  defaultDays: number;
}>) {
  const on = value != null;
  return (
    <div className="sc-optrow">
      <label className="sc-check">
        <input type="checkbox" checked={on} onChange={(e) => onChange(e.target.checked ? defaultDays : null)} />
        {text[0]}
      </label>
      <NumberField
        label={label}
        value={value}
        disabled={!on}
        required
        min={1}
        invalid={issues.length > 0}
        onChange={(v) => on && onChange(v)}
      />
      <span className="muted">{text[1]}</span>
      <Issues issues={issues} />
    </div>
  );
}

export function DecayPanel({ model, issues, onChange }: Props) {
  const decay = model.decay;
  const set = (d: Decay) => onChange({ ...model, decay: d });
  const inactivity = decay.inactivity ?? null;
  const groupNames = [
    ...new Set([
      ...[...model.engagement, ...model.negative].flatMap((r) => ('group' in r && r.group ? [r.group] : [])),
      ...Object.keys(decay.groups ?? {}),
    ]),
  ].filter((g) => g !== 'default');
  const setGroup = (g: string, s: DecaySettings | null) => {
    const groups = { ...(decay.groups ?? {}) };
    if (s) groups[g] = s;
    else delete groups[g];
    set({ ...decay, groups });
  };
  return (
    <div className="sc-stack">
      <div className="card sc-settings">
        <div className="sc-settings__main">
          <h2>Decay of engagement</h2>
          <p className="muted">
            Interest fades: older activity counts for less, or not at all.
            {model.fieldEngagement?.length
              ? ' Rules on lead fields (time on the website, visits) do not decay: a lead field has no date.'
              : ''}
          </p>
          <OptionalDays
            label="Half-life in days"
            value={decay.halfLifeDays}
            defaultDays={30}
            text={['Halve activity points every', 'days of age']}
            issues={issuesAt(issues, ['decay', 'halfLifeDays'])}
            onChange={(halfLifeDays) => set({ ...decay, halfLifeDays })}
          />
          <OptionalDays
            label="Window in days"
            value={decay.windowDays}
            defaultDays={180}
            text={['Only count activity from the last', 'days']}
            issues={issuesAt(issues, ['decay', 'windowDays'])}
            onChange={(windowDays) => set({ ...decay, windowDays })}
          />
        </div>
        <DecayCurve halfLife={decay.halfLifeDays ?? null} windowDays={decay.windowDays ?? null} />
      </div>
      <div className="card">
        <h2>Inactivity penalty</h2>
        <p className="muted">Takes points away from leads that have gone quiet.</p>
        <div className="sc-optrow">
          <label className="sc-check">
            <input
              type="checkbox"
              checked={inactivity !== null}
              onChange={(e) =>
                set({
                  ...decay,
                  inactivity: e.target.checked ? { afterDays: 90, points: -10, everyDays: 30, maxPoints: 50 } : null,
                })
              }
            />
            Subtract
          </label>
          <NumberField
            label="Penalty points"
            disabled={inactivity === null}
            required
            value={inactivity ? Math.abs(inactivity.points) : null}
            invalid={issuesAt(issues, ['decay', 'inactivity', 'points']).length > 0}
            onChange={(v) =>
              inactivity && set({ ...decay, inactivity: { ...inactivity, points: v == null ? NaN : -Math.abs(v) } })
            }
          />
          <span className="muted">points after</span>
          <NumberField
            label="Inactive days"
            disabled={inactivity === null}
            required
            value={inactivity?.afterDays}
            invalid={issuesAt(issues, ['decay', 'inactivity', 'afterDays']).length > 0}
            onChange={(v) => inactivity && set({ ...decay, inactivity: { ...inactivity, afterDays: v as number } })}
          />
          <span className="muted">days without any activity, again every</span>
          <NumberField
            label="Repeat every days"
            disabled={inactivity === null}
            placeholder="once"
            value={inactivity?.everyDays}
            onChange={(v) => inactivity && set({ ...decay, inactivity: { ...inactivity, everyDays: v } })}
          />
          <span className="muted">days, at most</span>
          <NumberField
            label="Largest total penalty"
            disabled={inactivity === null}
            placeholder="no limit"
            value={inactivity?.maxPoints}
            onChange={(v) => inactivity && set({ ...decay, inactivity: { ...inactivity, maxPoints: v } })}
          />
          <span className="muted">points in total.</span>
        </div>
        <Issues issues={issuesUnder(issues, ['decay', 'inactivity'])} />
      </div>
      <div className="card">
        <h2>Per-group decay</h2>
        <p className="muted">
          Engagement and negative rules can name a decay group (in the rule editor). A group can decay on its own terms;
          the rest follow the settings above.
        </p>
        {groupNames.length === 0 ? (
          <p className="sc-rules__empty">No rule uses a decay group yet.</p>
        ) : (
          <table className="table sc-table">
            <thead>
              <tr>
                <th>Group</th>
                <th>Rules</th>
                <th>Half-life (days)</th>
                <th>Window (days)</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {groupNames.map((g) => {
                const s = decay.groups?.[g] ?? null;
                const rules = [...model.engagement, ...model.negative].filter((r) => 'group' in r && r.group === g);
                return (
                  <tr key={g}>
                    <td>
                      <strong>{g}</strong>
                      <Issues issues={issuesUnder(issues, ['decay', 'groups', g])} />
                    </td>
                    <td className="muted">{rules.map((r) => r.name).join(', ') || 'none'}</td>
                    <td>
                      {s ? (
                        <NumberField
                          label={`Half-life of ${g}`}
                          placeholder="none"
                          value={s.halfLifeDays}
                          onChange={(halfLifeDays) => setGroup(g, { ...s, halfLifeDays })}
                        />
                      ) : (
                        <span className="muted">model setting</span>
                      )}
                    </td>
                    <td>
                      {s ? (
                        <NumberField
                          label={`Window of ${g}`}
                          placeholder="all"
                          value={s.windowDays}
                          onChange={(windowDays) => setGroup(g, { ...s, windowDays })}
                        />
                      ) : (
                        <span className="muted">model setting</span>
                      )}
                    </td>
                    <td className="sc-col-actions">
                      <button
                        type="button"
                        className="btn btn--small"
                        onClick={() =>
                          setGroup(
                            g,
                            s
                              ? null
                              : { halfLifeDays: decay.halfLifeDays ?? null, windowDays: decay.windowDays ?? null },
                          )
                        }
                      >
                        {s ? 'Use model setting' : 'Override'}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

/** Tone of a segment badge: the first band is hot, the last cold, the ones between warm. */
export function segmentTone(index: number, count: number): 'hot' | 'warm' | 'cold' {
  if (index <= 0) return 'hot';
  if (index >= count - 1) return 'cold';
  return 'warm';
}

export function BandsPanel({ model, issues, onChange }: Props) {
  const g = model.grades;
  const seg = model.segments;
  const bands = seg.bands;
  const setBands = (next: SegmentBand[]) => onChange({ ...model, segments: { ...seg, bands: next } });
  const bandOfGrade = (grade: Grade): number => {
    if (seg.basis !== 'grade') return -1;
    const i = bands.findIndex((b, j) => j < bands.length - 1 && (b.grades ?? []).includes(grade));
    return i >= 0 ? i : bands.length - 1;
  };
  /** Puts a grade in one band (the last band needs no list: it catches the rest). */
  const assignGrade = (grade: Grade, band: number) => {
    setBands(
      bands.map((b, j) => {
        const rest = (b.grades ?? []).filter((x) => x !== grade);
        const grades = j === band && j < bands.length - 1 ? [...rest, grade] : rest;
        return { ...b, grades: ALL_GRADES.filter((g) => grades.includes(g)) };
      }),
    );
  };
  const fitIssues = issuesUnder(issues, ['grades', 'fit']);
  const engIssues = issuesUnder(issues, ['grades', 'engagement']);
  return (
    <div className="sc-stack">
      <div className="sc-two">
        <div className="card">
          <h2>Fit grade</h2>
          <p className="muted">From fit points: A is the best fit.</p>
          <div className="sc-bands">
            {(['A', 'B', 'C'] as const).map((k) => (
              <label key={k} className="sc-band">
                <span className={`sc-grade sc-grade--${k}`}>{k}</span>
                <span className="muted">at least</span>
                <NumberField
                  label={`Fit grade ${k} from`}
                  required
                  invalid={fitIssues.length > 0}
                  value={g.fit[k]}
                  onChange={(v) => onChange({ ...model, grades: { ...g, fit: { ...g.fit, [k]: v } } })}
                />
                <span className="muted">fit points</span>
              </label>
            ))}
            <div className="sc-band">
              <span className="sc-grade sc-grade--D">D</span>
              <span className="muted">everything below</span>
            </div>
          </div>
          <Issues issues={fitIssues} />
        </div>
        <div className="card">
          <h2>Engagement grade</h2>
          <p className="muted">From engagement points: 1 is the most engaged.</p>
          <div className="sc-bands">
            {(['1', '2', '3'] as const).map((k) => (
              <label key={k} className="sc-band">
                <span className="sc-grade">{k}</span>
                <span className="muted">at least</span>
                <NumberField
                  label={`Engagement grade ${k} from`}
                  required
                  invalid={engIssues.length > 0}
                  value={g.engagement[k]}
                  onChange={(v) => onChange({ ...model, grades: { ...g, engagement: { ...g.engagement, [k]: v } } })}
                />
                <span className="muted">engagement points</span>
              </label>
            ))}
            <div className="sc-band">
              <span className="sc-grade">4</span>
              <span className="muted">everything below</span>
            </div>
          </div>
          <Issues issues={engIssues} />
        </div>
      </div>
      <div className="card" data-testid="segments-card">
        <div className="sc-rules__head">
          <div>
            <h2>Segments</h2>
            <p className="muted">3 to 5 bands, hottest first. The last band catches every other lead.</p>
          </div>
          <Segmented
            label="Segments by"
            value={seg.basis}
            options={[
              { value: 'total', label: 'By total score' },
              { value: 'grade', label: 'By grade' },
            ]}
            onChange={(basis) =>
              onChange({
                ...model,
                segments: {
                  basis,
                  bands: bands.map((b) =>
                    basis === 'grade' ? { ...b, grades: b.grades ?? [] } : { ...b, min: b.min ?? null },
                  ),
                },
              })
            }
          />
        </div>
        <Issues issues={issuesAt(issues, ['segments', 'bands'])} full />
        <div className="sc-segments">
          <table className="table sc-table">
            <thead>
              <tr>
                <th>Key</th>
                <th>Label</th>
                <th>{seg.basis === 'total' ? 'Lowest total score' : 'Grades'}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {bands.map((b, i) => {
                const last = i === bands.length - 1;
                const mine = issuesUnder(issues, ['segments', 'bands', i]);
                return (
                  <tr key={i} data-testid="segment-row">
                    <td>
                      <TextField
                        label={`Segment ${i + 1} key`}
                        mono
                        width={100}
                        invalid={issuesAt(issues, ['segments', 'bands', i, 'key']).length > 0}
                        value={b.key}
                        onChange={(key) => setBands(replaceAt(bands, i, (x) => ({ ...x, key })))}
                      />
                    </td>
                    <td>
                      <span className="sc-inline">
                        <span className={`sc-dot sc-dot--${segmentTone(i, bands.length)}`} />
                        <TextField
                          label={`Segment ${i + 1} label`}
                          width={140}
                          invalid={issuesAt(issues, ['segments', 'bands', i, 'label']).length > 0}
                          value={b.label}
                          onChange={(label) => setBands(replaceAt(bands, i, (x) => ({ ...x, label })))}
                        />
                      </span>
                      <Issues issues={mine} />
                    </td>
                    <td>
                      {last ? (
                        <span className="muted">every other lead</span>
                      ) : seg.basis === 'total' ? (
                        <span className="sc-inline">
                          <span className="muted">≥</span>
                          <NumberField
                            label={`Segment ${i + 1} lowest total`}
                            invalid={issuesAt(issues, ['segments', 'bands', i, 'min']).length > 0}
                            value={b.min}
                            onChange={(min) => setBands(replaceAt(bands, i, (x) => ({ ...x, min })))}
                          />
                        </span>
                      ) : (
                        <span className="sc-words">{(b.grades ?? []).join(', ') || 'pick grades in the grid'}</span>
                      )}
                    </td>
                    <td className="sc-col-actions">
                      <IconButton
                        icon="trash"
                        label={`Remove segment ${b.label || i + 1}`}
                        danger
                        disabled={bands.length <= 3}
                        onClick={() => setBands(bands.filter((_, j) => j !== i))}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {seg.basis === 'total' ? (
            <div className="sc-scale" aria-label="Score bands">
              {bands.map((b, i) => {
                const upper = i > 0 ? bands[i - 1]?.min : null;
                const last = i === bands.length - 1;
                const range = last
                  ? upper != null
                    ? `below ${upper}`
                    : 'the rest'
                  : upper != null && b.min != null
                    ? `${b.min} to ${upper - 1}`
                    : b.min != null
                      ? `${b.min} and up`
                      : '—';
                return (
                  <div key={i} className={`sc-scale__row sc-tone--${segmentTone(i, bands.length)}`}>
                    <span className={`sc-dot sc-dot--${segmentTone(i, bands.length)}`} />
                    <strong>{b.label || b.key}</strong>
                    <span className="sc-scale__range">{range}</span>
                  </div>
                );
              })}
            </div>
          ) : (
            <div className="sc-gradegrid" aria-label="Grades">
              <div className="sc-gradegrid__corner">Fit \ Eng.</div>
              {ENGAGEMENT_GRADES.map((e) => (
                <div key={e} className="sc-gradegrid__head">
                  {e}
                </div>
              ))}
              {FIT_GRADES.map((f) => [
                <div key={`h${f}`} className="sc-gradegrid__head">
                  {f}
                </div>,
                ...ENGAGEMENT_GRADES.map((e) => {
                  const grade = `${f}${e}` as Grade;
                  const band = bandOfGrade(grade);
                  const tone = band >= 0 ? segmentTone(band, bands.length) : 'none';
                  return (
                    <label key={grade} className={`sc-gradegrid__cell sc-tone--${tone}`}>
                      <span className="sc-gradegrid__grade">{grade}</span>
                      <select
                        aria-label={`Segment of grade ${grade}`}
                        value={band}
                        onChange={(ev) => assignGrade(grade, Number(ev.target.value))}
                      >
                        {bands.map((b, j) => (
                          <option key={j} value={j}>
                            {b.label || b.key}
                          </option>
                        ))}
                      </select>
                    </label>
                  );
                }),
              ])}
            </div>
          )}
        </div>
        <div>
          <button
            type="button"
            className="btn btn--small"
            disabled={bands.length >= 5}
            onClick={() => {
              const next = [...bands];
              const n = bands.length + 1;
              const lastBand = next.pop();
              next.push(
                seg.basis === 'total'
                  ? { key: `band${n}`, label: `Band ${n}`, min: (bands.at(-2)?.min ?? 10) - 10 }
                  : { key: `band${n}`, label: `Band ${n}`, grades: [] },
              );
              if (lastBand) next.push(lastBand);
              setBands(next);
            }}
          >
            + Add segment
          </button>
        </div>
      </div>
      <div className="card" data-testid="mql-card">
        <h2>MQL threshold</h2>
        <p className="muted">The tipping score: leads at or above it become marketing-qualified (unless suppressed).</p>
        <div className="sc-optrow">
          <span>A lead is an MQL at</span>
          <NumberField
            label="MQL threshold"
            required
            invalid={issuesAt(issues, ['mql', 'threshold']).length > 0}
            value={model.mql.threshold}
            onChange={(threshold) => onChange({ ...model, mql: { ...model.mql, threshold: threshold as number } })}
          />
          <span>points or more, with a fit grade of</span>
          <select
            aria-label="Minimum fit grade"
            value={model.mql.minFitGrade ?? ''}
            onChange={(e) =>
              onChange({
                ...model,
                mql: { ...model.mql, minFitGrade: e.target.value === '' ? null : (e.target.value as 'A') },
              })
            }
          >
            <option value="">any</option>
            {FIT_GRADES.map((f) => (
              <option key={f} value={f}>
                {f} or better
              </option>
            ))}
          </select>
        </div>
        <Issues issues={issuesUnder(issues, ['mql'])} />
      </div>
    </div>
  );
}

export function SettingsPanel({
  model,
  issues,
  onChange,
  fields,
}: Props & Readonly<{ fields: readonly FieldOption[] }>) {
  const applies = model.appliesTo ?? null;
  return (
    <div className="sc-stack">
      <div className="card">
        <h2>About this model</h2>
        <div className="sc-form">
          <Field label="Name" issues={issuesAt(issues, ['name'])}>
            <TextField
              label="Model name"
              width={320}
              value={model.name}
              onChange={(name) => onChange({ ...model, name })}
            />
          </Field>
          <Field label="Description" wide>
            <textarea
              className="input sc-textarea"
              aria-label="Description"
              rows={3}
              value={model.description ?? ''}
              onChange={(e) => onChange({ ...model, description: e.target.value })}
            />
          </Field>
        </div>
      </div>
      <div className="card">
        <h2>Applies to</h2>
        <p className="muted">
          Several models can score the same workspace (personas, product lines). Each lead is scored by every model that
          applies to it; the primary model drives its segment, grade and the MQL queue.
        </p>
        <Segmented
          label="Applies to"
          value={applies ? 'some' : 'all'}
          options={[
            { value: 'all', label: 'Every lead' },
            { value: 'some', label: 'Only leads that match…' },
          ]}
          onChange={(v) =>
            onChange({ ...model, appliesTo: v === 'all' ? null : { field: 'country', op: 'in', values: [] } })
          }
        />
        {applies ? (
          <div className="sc-applies">
            <ConditionBuilder
              condition={applies}
              path={['appliesTo']}
              issues={issues}
              fields={fields}
              onChange={(appliesTo) => onChange({ ...model, appliesTo })}
            />
          </div>
        ) : null}
      </div>
    </div>
  );
}
