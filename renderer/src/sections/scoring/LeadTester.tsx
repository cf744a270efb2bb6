/**
 * "Test a lead": pick a lead and read its explanation — the stored score under the
 * published version (the ledger a sales rep sees) next to the score this draft would give,
 * computed instantly in the renderer with the same shared scoring module.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LeadDetail, LeadExplanation, LeadRow } from '../../../../shared/contract';
import type { Activity, ActivityType } from '../../../../shared/domain';
import { scoreLead, type LedgerEntry, type LedgerSummary, type ScoringModel } from '../../../../shared/scoring';
import { call, useApiEvent, errorMessage } from '../../api';
import { formatCount, formatDateTime, plural } from '../../format';
import { IconButton, NumberField, ScIcon } from './controls';
import { SegmentBadge } from './ImpactDialogs';
import { signedPoints } from './words';

type Loaded = Readonly<{ detail: LeadDetail; explanation: LeadExplanation; now: number }>;

function entryText(e: LedgerEntry): string {
  return e.text.replace(/^[+-]?\d+ /, '');
}

function Ledger({ entries, testId }: Readonly<{ entries: readonly LedgerEntry[]; testId: string }>) {
  if (entries.length === 0) return <p className="muted">No rule applies to this lead.</p>;
  return (
    <ul className="sc-ledger" data-testid={testId}>
      {entries.map((e, i) => (
        <li key={i} className={`sc-ledger__row sc-ledger--${e.kind}`}>
          <span className={`sc-points${e.points < 0 ? ' is-neg' : e.points > 0 ? ' is-pos' : ''}`}>
            {signedPoints(e.points)}
          </span>
          <span>{entryText(e)}</span>
        </li>
      ))}
    </ul>
  );
}

function ScoreCard({
  title,
  subtitle,
  score,
  model,
  testId,
  compareTo,
}: Readonly<{
  title: string;
  subtitle: string;
  score: LedgerSummary | null;
  model: ScoringModel;
  testId: string;
  compareTo?: LedgerSummary | null;
}>) {
  const bands = model.segments.bands;
  const idx = (k: string) => bands.findIndex((b) => b.key === k);
  const label = (k: string) => bands.find((b) => b.key === k)?.label ?? k;
  const delta = score && compareTo ? score.total - compareTo.total : 0;
  return (
    <div className="card sc-scorecard" data-testid={testId}>
      <div className="sc-scorecard__head">
        <h3>{title}</h3>
        <span className="muted sc-small">{subtitle}</span>
      </div>
      {score ? (
        <>
          <div className="sc-scorecard__facts">
            <div className="sc-bigscore">
              <span data-testid={`${testId}-total`}>{formatCount(score.total)}</span>
              {compareTo && delta !== 0 ? (
                <span className={`sc-delta ${delta > 0 ? 'is-pos' : 'is-neg'}`}>{signedPoints(delta)}</span>
              ) : null}
            </div>
            <dl className="sc-facts">
              <div>
                <dt>Segment</dt>
                <dd data-testid={`${testId}-segment`}>
                  <SegmentBadge
                    k={score.segment}
                    label={label(score.segment)}
                    tone={idx(score.segment)}
                    count={bands.length}
                  />
                </dd>
              </div>
              <div>
                <dt>Grade</dt>
                <dd data-testid={`${testId}-grade`}>{score.grade}</dd>
              </div>
              <div>
                <dt title="Fit points · engagement points">Fit · Eng.</dt>
                <dd>
                  {score.fit} · {score.engagement}
                </dd>
              </div>
              <div>
                <dt>MQL</dt>
                <dd>{score.isMql ? <span className="badge badge--ok">MQL</span> : 'No'}</dd>
              </div>
            </dl>
          </div>
          {score.suppressedReason ? (
            <div className="sc-callout sc-callout--warn">Suppressed: {score.suppressedReason}</div>
          ) : null}
          <Ledger entries={score.ledger} testId={`${testId}-ledger`} />
        </>
      ) : (
        <p className="muted">Not scored by this model yet.</p>
      )}
    </div>
  );
}

/** A rep's signed adjustments with their reasons; each shows in the ledger and can be removed. */
function Adjustments({
  leadId,
  explanation,
  onChanged,
}: Readonly<{ leadId: number; explanation: LeadExplanation; onChanged: (e: LeadExplanation) => void }>) {
  const [points, setPoints] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<LeadExplanation>) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await fn());
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const valid = points !== null && Number.isInteger(points) && points !== 0 && reason.trim() !== '';
  return (
    <div className="card sc-adjust" data-testid="adjustments">
      <h3>Manual adjustments</h3>
      <p className="muted sc-small">
        A rep&apos;s signed points with a reason. They count under every version of the model and show in the ledger.
      </p>
      {explanation.adjustments.length ? (
        <ul className="sc-adjust__list">
          {explanation.adjustments.map((a) => (
            <li key={a.id}>
              <span className={`sc-points${a.points < 0 ? ' is-neg' : ' is-pos'}`}>{signedPoints(a.points)}</span>
              <span>{a.reason}</span>
              <span className="muted sc-small">
                {a.actor ? `${a.actor} · ` : ''}
                {formatDateTime(a.createdAt)}
              </span>
              <IconButton
                icon="trash"
                label={`Remove adjustment ${a.reason}`}
                danger
                disabled={busy}
                onClick={() => void run(() => call('score-adjustment-delete', { adjustmentId: a.id }))}
              />
            </li>
          ))}
        </ul>
      ) : null}
      <form
        className="sc-adjust__form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!valid || points === null) return;
          void run(() => call('score-adjust', { leadId, points, reason: reason.trim() })).then((ok) => {
            if (ok) {
              setPoints(null);
              setReason('');
            }
          });
        }}
      >
        <NumberField label="Adjustment points" placeholder="±pts" value={points} onChange={setPoints} width={80} />
        <input
          className="input"
          aria-label="Adjustment reason"
          placeholder="Reason, e.g. met at the trade show"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <button type="submit" className="btn" disabled={!valid || busy}>
          Add
        </button>
      </form>
      {error ? <div className="error-state">{error}</div> : null}
    </div>
  );
}

export function LeadTester({
  modelId,
  draft,
  draftValid,
  published,
}: Readonly<{ modelId: number; draft: ScoringModel; draftValid: boolean; published: ScoringModel | null }>) {
  const [search, setSearch] = useState('');
  const [results, setResults] = useState<readonly LeadRow[]>([]);
  const [selected, setSelected] = useState<number | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  // Typing is debounced; a refresh after a data change (a publish's rescore) is not, so the
  // list's scores never lag behind the explanation beside it.
  const searched = useRef(search);
  useEffect(() => {
    let live = true;
    const typed = searched.current !== search;
    searched.current = search;
    const t = setTimeout(
      () => {
        call('leads-query', { search, limit: 8, withTotal: false }).then(
          (p) => live && setResults(p.rows),
          (err: unknown) => live && setError(errorMessage(err)),
        );
      },
      typed ? 200 : 0,
    );
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [search, tick]);

  useEffect(() => {
    if (selected === null) return;
    let live = true;
    Promise.all([call('lead-get', { id: selected }), call('lead-explain', { leadId: selected, modelId })]).then(
      ([detail, explanation]) => live && setLoaded({ detail, explanation, now: Date.now() }),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [selected, modelId, tick]);

  useApiEvent('data-changed', (p) => {
    if (p.tables.some((t) => t === 'scores' || t === 'leads' || t === 'activities')) setTick((t) => t + 1);
  });

  // Stages by their labels, as everywhere else ("MQL", not the key "mql").
  const [stageLabels, setStageLabels] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    let live = true;
    call('stages-list', {}).then(
      (stages) => live && setStageLabels(new Map(stages.map((s) => [s.key, s.label]))),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [tick]);

  const draftScore = useMemo(() => {
    if (!loaded || !draftValid) return null;
    const { detail, explanation, now } = loaded;
    const activities: Activity[] = detail.activities.map((a) => ({
      id: a.id,
      lead_id: detail.lead.id,
      type: a.type as ActivityType,
      asset: a.asset,
      occurred_at: a.occurred_at,
      duration_sec: a.duration_sec,
      label: a.label, // a renamed workspace type by its name in this workspace
    }));
    const adjustments = explanation.adjustments.map((a) => ({
      id: a.id,
      points: a.points,
      reason: a.reason,
      at: a.createdAt,
      by: a.actor,
    }));
    return scoreLead(draft, detail.lead, activities, now, { adjustments });
  }, [loaded, draft, draftValid]);

  const stored = loaded?.explanation.score ?? null;
  const lead = loaded?.detail.lead;
  return (
    <div className="sc-tester" data-testid="lead-tester">
      <div className="card sc-tester__pick">
        <h2>Test a lead</h2>
        <label className="sc-search">
          <ScIcon name="search" />
          <input
            className="input"
            type="search"
            aria-label="Find a lead"
            placeholder="Name, email or company"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <ul className="sc-leadlist" aria-label="Leads">
          {results.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                className={`sc-leadlist__item${r.id === selected ? ' is-on' : ''}`}
                onClick={() => setSelected(r.id)}
              >
                <span className="sc-lead-name">{r.label}</span>
                <span className="muted sc-small">{[r.title, r.company].filter(Boolean).join(' · ') || r.email}</span>
                {r.score_total !== null ? <span className="sc-leadlist__score">{r.score_total}</span> : null}
              </button>
            </li>
          ))}
          {results.length === 0 ? <li className="muted sc-small">No lead matches.</li> : null}
        </ul>
        {error ? <div className="error-state">{error}</div> : null}
      </div>
      <div className="sc-tester__main">
        {!loaded || !lead ? (
          <div className="sc-placeholder">
            <ScIcon name="user" size={28} />
            <p>Pick a lead to read its explanation and see what this draft would give it.</p>
          </div>
        ) : (
          <>
            <div className="sc-tester__lead">
              <h2 data-testid="tester-lead-name">{lead.label}</h2>
              <span className="muted">
                {[lead.title, lead.company, lead.email].filter(Boolean).join(' · ')} · stage{' '}
                {stageLabels.get(lead.stage) ?? lead.stage} ·{' '}
                {plural(loaded.detail.activityCount, 'activity', 'activities')}
              </span>
              {loaded.explanation.frozen ? (
                <span className="badge" title="Closed stage: publishing does not change this lead's score">
                  Frozen
                </span>
              ) : null}
            </div>
            <div className="sc-two">
              <ScoreCard
                title="Published"
                subtitle={
                  stored ? `version ${stored.modelVersion} · scored ${formatDateTime(stored.scoredAt)}` : 'not scored'
                }
                score={stored}
                model={published ?? draft}
                testId="score-published"
              />
              {draftValid ? (
                <ScoreCard
                  title="With this draft"
                  subtitle="computed now, nothing saved"
                  score={draftScore}
                  model={draft}
                  compareTo={stored}
                  testId="score-draft"
                />
              ) : (
                <div className="card sc-scorecard">
                  <h3>With this draft</h3>
                  <p className="muted">Fix the draft&apos;s problems to see the score it would give.</p>
                </div>
              )}
            </div>
            <Adjustments
              leadId={lead.id}
              explanation={loaded.explanation}
              onChanged={(explanation) => setLoaded({ ...loaded, explanation })}
            />
            {loaded.detail.activityCount > loaded.detail.activities.length ? (
              <p className="muted sc-small">
                The draft score uses the latest {formatCount(loaded.detail.activities.length)} of{' '}
                {plural(loaded.detail.activityCount, 'activity', 'activities')}; Preview impact scores them all.
              </p>
            ) : null}
          </>
        )}
      </div>
    </div>
  );
}
