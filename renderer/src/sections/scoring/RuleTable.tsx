/**
 * One rule table (fit, engagement, negative, suppression): a row per rule in the order the
 * model keeps, with its problems on the row, reorder by drag or arrows, and the rule's
 * editor opened in place below its row.
 */
import { useState, type ReactNode } from 'react';
import type { ModelCheck } from '../../../../shared/contract';
import type { ModelIssue } from '../../../../shared/scoring';
import { formatCount } from '../../format';
import { IconButton, Issues, ScIcon } from './controls';
import { issuesUnder, move, removeAt, type IssuePath } from './draft';
import { ruleMatches, ruleWarnings } from './editor-state';

export type RuleColumn<R> = Readonly<{
  header: string;
  cell: (rule: R, index: number) => ReactNode;
  className?: string;
}>;

export function RuleTable<R extends Readonly<{ id: string; name: string }>>({
  title,
  description,
  rules,
  section,
  issues,
  columns,
  expanded,
  onExpand,
  onChange,
  onAdd,
  addLabel,
  renderEditor,
  emptyText,
  testId,
  check,
}: Readonly<{
  title: string;
  description: ReactNode;
  rules: readonly R[];
  section: IssuePath;
  issues: readonly ModelIssue[];
  columns: readonly RuleColumn<R>[];
  expanded: number | null;
  onExpand: (i: number | null) => void;
  onChange: (rules: R[]) => void;
  onAdd: () => void;
  addLabel: string;
  renderEditor: (rule: R, index: number) => ReactNode;
  emptyText: string;
  testId: string;
  /** The workspace check: each row's match count now and its warnings (rules with conditions only). */
  check?: ModelCheck | null;
}>) {
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dragOver, setDragOver] = useState<number | null>(null);
  const reorder = (from: number, to: number) => {
    onChange(move(rules, from, to));
    if (expanded === from) onExpand(to);
    else if (expanded !== null && from < expanded && to >= expanded) onExpand(expanded - 1);
    else if (expanded !== null && from > expanded && to <= expanded) onExpand(expanded + 1);
  };
  const counted = check !== undefined;
  const colCount = columns.length + 3 + (counted ? 1 : 0);
  return (
    <div className="sc-rules card" data-testid={testId}>
      <div className="sc-rules__head">
        <div>
          <h2>{title}</h2>
          <p className="muted">{description}</p>
        </div>
        <button type="button" className="btn" onClick={onAdd}>
          <ScIcon name="plus" /> {addLabel}
        </button>
      </div>
      {rules.length === 0 ? (
        <div className="sc-rules__empty">{emptyText}</div>
      ) : (
        <table className="table sc-table">
          <thead>
            <tr>
              <th className="sc-col-order" aria-label="Order" />
              <th>Rule</th>
              {columns.map((c) => (
                <th key={c.header} className={c.className}>
                  {c.header}
                </th>
              ))}
              {counted ? <th className="sc-col-num">Leads now</th> : null}
              <th className="sc-col-actions" aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {rules.map((r, i) => {
              const rowIssues = issuesUnder(issues, [...section, i]);
              const warnings = ruleWarnings(check ?? null, [...section, i]);
              const matches = ruleMatches(check ?? null, [...section, i]);
              const open = expanded === i;
              return [
                <tr
                  key={`row-${i}`}
                  data-testid="rule-row"
                  className={`sc-rule${open ? ' is-open' : ''}${rowIssues.length ? ' has-issues' : ''}${dragOver === i ? ' is-drop' : ''}`}
                  onDragOver={(e) => {
                    if (dragFrom === null) return;
                    e.preventDefault();
                    setDragOver(i);
                  }}
                  onDrop={(e) => {
                    e.preventDefault();
                    if (dragFrom !== null) reorder(dragFrom, i);
                    setDragFrom(null);
                    setDragOver(null);
                  }}
                >
                  <td className="sc-col-order">
                    <span
                      className="sc-grip"
                      draggable
                      title="Drag to reorder"
                      onDragStart={(e) => {
                        e.dataTransfer.effectAllowed = 'move';
                        e.dataTransfer.setData('text/plain', String(i));
                        setDragFrom(i);
                      }}
                      onDragEnd={() => {
                        setDragFrom(null);
                        setDragOver(null);
                      }}
                    >
                      <ScIcon name="grip" />
                    </span>
                    <span className="sc-order-num">{i + 1}</span>
                  </td>
                  <td className="sc-rule__name">
                    <button
                      type="button"
                      className="sc-link"
                      aria-expanded={open}
                      onClick={() => onExpand(open ? null : i)}
                    >
                      {r.name?.trim() ? r.name : <em className="muted">Unnamed rule</em>}
                    </button>
                    {rowIssues.length ? (
                      <span className="sc-rule__flag" title={rowIssues.map((x) => x.message).join('\n')}>
                        <ScIcon name="alert" size={13} /> {rowIssues.length}
                      </span>
                    ) : null}
                  </td>
                  {columns.map((c) => (
                    <td key={c.header} className={c.className}>
                      {c.cell(r, i)}
                    </td>
                  ))}
                  {counted ? (
                    <td className="sc-col-num">
                      <span
                        className={`sc-matches${matches === 0 ? ' sc-matches--none' : ''}`}
                        data-testid="rule-matches"
                        title="Leads this rule matches now"
                      >
                        {matches !== null ? formatCount(matches) : check ? '—' : '…'}
                      </span>
                    </td>
                  ) : null}
                  <td className="sc-col-actions">
                    <IconButton icon="up" label="Move up" disabled={i === 0} onClick={() => reorder(i, i - 1)} />
                    <IconButton
                      icon="down"
                      label="Move down"
                      disabled={i === rules.length - 1}
                      onClick={() => reorder(i, i + 1)}
                    />
                    <IconButton
                      icon="edit"
                      label={open ? 'Close editor' : 'Edit rule'}
                      onClick={() => onExpand(open ? null : i)}
                    />
                    <IconButton
                      icon="trash"
                      label="Delete rule"
                      danger
                      onClick={() => {
                        onChange(removeAt(rules, i));
                        if (expanded !== null && expanded >= i) onExpand(expanded === i ? null : expanded - 1);
                      }}
                    />
                  </td>
                </tr>,
                warnings.length ? (
                  <tr key={`warnings-${i}`} className="sc-rule__issues-row" data-testid="rule-warnings">
                    <td />
                    <td colSpan={colCount - 1}>
                      <ul className="sc-issues sc-issues--warning">
                        {warnings.map((w) => (
                          <li key={w.message}>
                            <ScIcon name="alert" size={13} />
                            <span>{w.message}</span>
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ) : null,
                !open && rowIssues.length ? (
                  <tr key={`issues-${i}`} className="sc-rule__issues-row">
                    <td />
                    <td colSpan={colCount - 1}>
                      <Issues issues={rowIssues} />
                    </td>
                  </tr>
                ) : null,
                open ? (
                  <tr key={`editor-${i}`} className="sc-rule__editor-row">
                    <td colSpan={colCount}>
                      <div className="sc-editor" data-testid="rule-editor">
                        {renderEditor(r, i)}
                        <div className="sc-editor__foot">
                          <button type="button" className="btn btn--small" onClick={() => onExpand(null)}>
                            Done
                          </button>
                        </div>
                      </div>
                    </td>
                  </tr>
                ) : null,
              ];
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
