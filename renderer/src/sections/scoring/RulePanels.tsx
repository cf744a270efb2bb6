/**
 * The four rule tabs of the model editor: fit (profile), engagement (behaviour), negative
 * and suppression. Each edits its slice of the draft and shows the validator's issues on
 * the row and next to the offending control.
 */
import type {
  CountingOptions,
  EngagementRule,
  FitRule,
  ModelIssue,
  NegativeRule,
  ScoringModel,
  SuppressionRule,
} from '../../../../shared/scoring';
import type { ModelCheck } from '../../../../shared/contract';
import { CountingEditor, ActivityMatchEditor, PointsField } from './ActivityEditors';
import { ConditionBuilder } from './ConditionBuilder';
import { FieldEngagementTable } from './FieldEngagementPanel';
import { Field, LineList, Segmented, TextField } from './controls';
import { issuesAt, newRuleId, replaceAt, type IssuePath } from './draft';
import { RuleTable } from './RuleTable';
import { useActivityTypeLabels } from './activity-type-labels';
import { describeCondition, describeMatch, signedPoints, type FieldOption } from './words';

export type PanelProps = Readonly<{
  model: ScoringModel;
  /** The draft checked against the workspace (match counts, warnings); null until it arrives. */
  check: ModelCheck | null;
  issues: readonly ModelIssue[];
  fields: readonly FieldOption[];
  onChange: (m: ScoringModel) => void;
  expanded: number | null;
  onExpand: (i: number | null) => void;
}>;

function NameField({
  value,
  path,
  issues,
  onChange,
}: Readonly<{ value: string; path: IssuePath; issues: readonly ModelIssue[]; onChange: (v: string) => void }>) {
  const mine = [...issuesAt(issues, [...path, 'name']), ...issuesAt(issues, [...path, 'id'])];
  return (
    <Field label="Name" issues={mine}>
      <TextField label="Rule name" value={value} width={280} invalid={mine.length > 0} onChange={onChange} />
    </Field>
  );
}

function Points({ n }: Readonly<{ n: number }>) {
  return <span className={`sc-points${n < 0 ? ' is-neg' : n > 0 ? ' is-pos' : ''}`}>{signedPoints(n)}</span>;
}

function countingWords(r: CountingOptions): string {
  const parts = [r.frequency === 'first' ? 'First time' : r.countRepeats ? 'Every time' : 'Once per asset'];
  if (r.cap) parts.push(`cap ${r.cap}`);
  if (r.windowCap) parts.push(`≤${r.windowCap.points} per ${r.windowCap.days} d`);
  if (r.group && r.group !== 'default') parts.push(`group ${r.group}`);
  return parts.join(' · ');
}

function decayGroups(model: ScoringModel): string[] {
  const set = new Set<string>(['default', ...Object.keys(model.decay.groups ?? {})]);
  for (const r of [...model.engagement, ...model.negative]) if ('group' in r && r.group) set.add(r.group);
  return [...set];
}

export function FitPanel({ model, check, issues, fields, onChange, expanded, onExpand }: PanelProps) {
  const setRules = (fit: FitRule[]) => onChange({ ...model, fit });
  const edit = (i: number, fn: (r: FitRule) => FitRule) => setRules(replaceAt(model.fit, i, fn));
  return (
    <RuleTable<FitRule>
      testId="fit-rules"
      title="Fit rules"
      description="Points for who the lead is: title, company, industry, country, custom columns. Every matching rule adds its points."
      rules={model.fit}
      section={['fit']}
      check={check}
      issues={issues}
      expanded={expanded}
      onExpand={onExpand}
      onChange={setRules}
      addLabel="Add fit rule"
      emptyText="No fit rules: every lead gets 0 fit points."
      onAdd={() => {
        const name = 'New fit rule';
        setRules([
          ...model.fit,
          { id: newRuleId(model, 'fit', name), name, when: { field: 'title', op: 'contains', value: '' }, points: 10 },
        ]);
        onExpand(model.fit.length);
      }}
      columns={[
        { header: 'When', cell: (r) => <span className="sc-words">{describeCondition(r.when)}</span> },
        { header: 'Points', cell: (r) => <Points n={r.points} />, className: 'sc-col-num' },
      ]}
      renderEditor={(r, i) => (
        <div className="sc-form">
          <NameField
            value={r.name}
            path={['fit', i]}
            issues={issues}
            onChange={(name) => edit(i, (x) => ({ ...x, name }))}
          />
          <PointsField
            value={r.points}
            path={['fit', i]}
            issues={issues}
            onChange={(points) => edit(i, (x) => ({ ...x, points }))}
          />
          <Field label="When the lead…" wide>
            <ConditionBuilder
              condition={r.when}
              path={['fit', i, 'when']}
              issues={issues}
              fields={fields}
              onChange={(when) => edit(i, (x) => ({ ...x, when }))}
            />
          </Field>
        </div>
      )}
    />
  );
}

/**
 * The engagement tab: rules on activities, then rules on lead fields. One expanded index
 * spans both (activity rules first), as editor-state's issueTarget counts them.
 */
export function EngagementPanel(props: PanelProps) {
  const { model, expanded, onExpand } = props;
  const n = model.engagement.length;
  return (
    <div className="sc-stack">
      <ActivityEngagementTable {...props} expanded={expanded !== null && expanded < n ? expanded : null} />
      <FieldEngagementTable
        {...props}
        expanded={expanded !== null && expanded >= n ? expanded - n : null}
        onExpand={(i) => onExpand(i === null ? null : n + i)}
      />
    </div>
  );
}

function ActivityEngagementTable({ model, check, issues, onChange, expanded, onExpand }: PanelProps) {
  const labels = useActivityTypeLabels();
  const setRules = (engagement: EngagementRule[]) => onChange({ ...model, engagement });
  const edit = (i: number, fn: (r: EngagementRule) => EngagementRule) => setRules(replaceAt(model.engagement, i, fn));
  const groups = decayGroups(model);
  return (
    <RuleTable<EngagementRule>
      testId="engagement-rules"
      title="Engagement rules"
      description="Points for what the lead does: page visits, downloads, videos, webinars, forms, email. Old activity decays (Decay tab)."
      rules={model.engagement}
      section={['engagement']}
      check={check}
      issues={issues}
      expanded={expanded}
      onExpand={onExpand}
      onChange={setRules}
      addLabel="Add engagement rule"
      emptyText="No engagement rules: activity does not change the score."
      onAdd={() => {
        const name = 'New engagement rule';
        setRules([
          ...model.engagement,
          {
            id: newRuleId(model, 'eng', name),
            name,
            match: { types: ['page_visit'], asset: { op: 'contains', value: '' } },
            points: 10,
            frequency: 'first',
          },
        ]);
        onExpand(model.engagement.length);
      }}
      columns={[
        { header: 'Activity', cell: (r) => <span className="sc-words">{describeMatch(r.match, labels)}</span> },
        { header: 'Counts', cell: (r) => <span className="muted">{countingWords(r)}</span> },
        { header: 'Points', cell: (r) => <Points n={r.points} />, className: 'sc-col-num' },
      ]}
      renderEditor={(r, i) => (
        <div className="sc-form">
          <NameField
            value={r.name}
            path={['engagement', i]}
            issues={issues}
            onChange={(name) => edit(i, (x) => ({ ...x, name }))}
          />
          <PointsField
            value={r.points}
            path={['engagement', i]}
            issues={issues}
            onChange={(points) => edit(i, (x) => ({ ...x, points }))}
          />
          <ActivityMatchEditor
            match={r.match}
            path={['engagement', i, 'match']}
            issues={issues}
            onChange={(match) => edit(i, (x) => ({ ...x, match }))}
          />
          <CountingEditor<EngagementRule>
            rule={r}
            path={['engagement', i]}
            issues={issues}
            groups={groups}
            onChange={(next) => edit(i, () => next)}
          />
        </div>
      )}
    />
  );
}

export function NegativePanel({ model, check, issues, fields, onChange, expanded, onExpand }: PanelProps) {
  const labels = useActivityTypeLabels();
  const setRules = (negative: NegativeRule[]) => onChange({ ...model, negative });
  const edit = (i: number, fn: (r: NegativeRule) => NegativeRule) => setRules(replaceAt(model.negative, i, fn));
  const groups = decayGroups(model);
  return (
    <RuleTable<NegativeRule>
      testId="negative-rules"
      title="Negative rules"
      description="Points taken away, for a profile (free email address) or a behaviour (careers page, unsubscribe)."
      rules={model.negative}
      section={['negative']}
      check={check}
      issues={issues}
      expanded={expanded}
      onExpand={onExpand}
      onChange={setRules}
      addLabel="Add negative rule"
      emptyText="No negative rules."
      onAdd={() => {
        const name = 'New negative rule';
        setRules([
          ...model.negative,
          {
            id: newRuleId(model, 'neg', name),
            name,
            on: 'activity',
            match: { types: ['page_visit'], asset: { op: 'contains', value: '' } },
            points: -10,
            frequency: 'first',
          },
        ]);
        onExpand(model.negative.length);
      }}
      columns={[
        {
          header: 'On',
          cell: (r) => <span className="badge">{r.on === 'profile' ? 'Profile' : 'Behaviour'}</span>,
        },
        {
          header: 'When',
          cell: (r) => (
            <span className="sc-words">
              {r.on === 'profile' ? describeCondition(r.when) : describeMatch(r.match, labels)}
            </span>
          ),
        },
        { header: 'Points', cell: (r) => <Points n={r.points} />, className: 'sc-col-num' },
      ]}
      renderEditor={(r, i) => (
        <div className="sc-form">
          <NameField
            value={r.name}
            path={['negative', i]}
            issues={issues}
            onChange={(name) => edit(i, (x) => ({ ...x, name }))}
          />
          <PointsField
            negative
            value={r.points}
            path={['negative', i]}
            issues={issues}
            onChange={(points) => edit(i, (x) => ({ ...x, points }))}
          />
          <Field label="Applies to">
            <Segmented
              label="Applies to"
              value={r.on === 'profile' ? 'profile' : 'activity'}
              options={[
                { value: 'activity', label: 'Behaviour' },
                { value: 'profile', label: 'Profile' },
              ]}
              onChange={(on) =>
                edit(i, (x) =>
                  on === 'profile'
                    ? {
                        id: x.id,
                        name: x.name,
                        points: x.points,
                        on: 'profile',
                        when: { field: 'email_domain', op: 'in', values: [] },
                      }
                    : {
                        id: x.id,
                        name: x.name,
                        points: x.points,
                        on: 'activity',
                        match: { types: ['page_visit'] },
                        frequency: 'first',
                      },
                )
              }
            />
          </Field>
          {r.on === 'profile' ? (
            <Field label="When the lead…" wide>
              <ConditionBuilder
                condition={r.when}
                path={['negative', i, 'when']}
                issues={issues}
                fields={fields}
                onChange={(when) => edit(i, (x) => ({ ...x, when }) as NegativeRule)}
              />
            </Field>
          ) : (
            <>
              <ActivityMatchEditor
                match={r.match}
                path={['negative', i, 'match']}
                issues={issues}
                onChange={(match) => edit(i, (x) => ({ ...x, match }) as NegativeRule)}
              />
              <CountingEditor<NegativeRule & CountingOptions>
                rule={r}
                path={['negative', i]}
                issues={issues}
                groups={groups}
                onChange={(next) => edit(i, () => next)}
              />
            </>
          )}
        </div>
      )}
    />
  );
}

export function SuppressionPanel({ model, check, issues, fields, onChange, expanded, onExpand }: PanelProps) {
  const sup = model.suppression;
  const setRules = (rules: SuppressionRule[]) => onChange({ ...model, suppression: { ...sup, rules } });
  const edit = (i: number, fn: (r: SuppressionRule) => SuppressionRule) => setRules(replaceAt(sup.rules, i, fn));
  return (
    <div className="sc-stack">
      <RuleTable<SuppressionRule>
        testId="suppression-rules"
        title="Suppression rules"
        description="A suppressed lead keeps its data and shows why, but never reaches a hot segment or the MQL queue: competitors, students, job seekers, press."
        rules={sup.rules}
        section={['suppression', 'rules']}
        check={check}
        issues={issues}
        expanded={expanded}
        onExpand={onExpand}
        onChange={setRules}
        addLabel="Add suppression rule"
        emptyText="No suppression rules."
        onAdd={() => {
          const name = 'New suppression rule';
          setRules([
            ...sup.rules,
            {
              id: newRuleId(model, 'sup', name),
              name,
              when: { field: 'title', op: 'contains', value: '' },
              reason: '',
            },
          ]);
          onExpand(sup.rules.length);
        }}
        columns={[
          { header: 'When', cell: (r) => <span className="sc-words">{describeCondition(r.when)}</span> },
          { header: 'Reason shown', cell: (r) => <span className="muted">{r.reason || r.name}</span> },
        ]}
        renderEditor={(r, i) => (
          <div className="sc-form">
            <NameField
              value={r.name}
              path={['suppression', 'rules', i]}
              issues={issues}
              onChange={(name) => edit(i, (x) => ({ ...x, name }))}
            />
            <Field label="Reason shown on the lead" hint="Defaults to the rule name.">
              <TextField
                label="Reason"
                width={260}
                value={r.reason ?? ''}
                onChange={(reason) => edit(i, (x) => ({ ...x, reason }))}
              />
            </Field>
            <Field label="When the lead…" wide>
              <ConditionBuilder
                condition={r.when}
                path={['suppression', 'rules', i, 'when']}
                issues={issues}
                fields={fields}
                onChange={(when) => edit(i, (x) => ({ ...x, when }))}
              />
            </Field>
          </div>
        )}
      />
      <div className="sc-two">
        <div className="card sc-list-card">
          <h2>Suppressed email addresses</h2>
          <p className="muted">One per line. Matched without regard to case.</p>
          <LineList
            label="Suppressed email addresses"
            placeholder={'press@example.com\njobs@example.org'}
            values={sup.emails}
            onChange={(emails) => onChange({ ...model, suppression: { ...sup, emails } })}
          />
          <span className="sc-count">{sup.emails.length} addresses</span>
        </div>
        <div className="card sc-list-card">
          <h2>Suppressed domains</h2>
          <p className="muted">Competitors, partners, your own company. One per line.</p>
          <LineList
            label="Suppressed domains"
            placeholder={'competitor.com\nourcompany.com'}
            values={sup.domains}
            onChange={(domains) => onChange({ ...model, suppression: { ...sup, domains } })}
          />
          <span className="sc-count">{sup.domains.length} domains</span>
        </div>
      </div>
    </div>
  );
}
