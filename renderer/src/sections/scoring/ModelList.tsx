/** The workspace's scoring models: primary first, with version, draft and coverage at a glance. */
import type { ModelSummary } from '../../../../shared/contract';
import { formatCount } from '../../format';
import { ScIcon } from './controls';

export function ModelList({
  models,
  selectedId,
  onSelect,
  onNew,
  onImport,
}: Readonly<{
  models: readonly ModelSummary[];
  selectedId: number | null;
  onSelect: (id: number) => void;
  onNew: () => void;
  onImport: () => void;
}>) {
  return (
    <aside className="sc-models" aria-label="Scoring models">
      <div className="sc-models__head">
        <h2>Models</h2>
        <span className="muted sc-small">{models.length}</span>
      </div>
      <ul className="sc-models__list">
        {models.map((m) => (
          <li key={m.id}>
            <button
              type="button"
              className={`sc-model${m.id === selectedId ? ' is-on' : ''}`}
              aria-current={m.id === selectedId ? 'true' : undefined}
              data-testid="model-item"
              onClick={() => onSelect(m.id)}
            >
              <span className="sc-model__name">
                {m.isPrimary ? (
                  <span className="sc-model__star" title="Primary model: drives segment, grade and the MQL queue">
                    <ScIcon name="star" size={13} />
                  </span>
                ) : null}
                {m.name}
              </span>
              <span className="sc-model__meta">
                {m.publishedVersion ? `v${m.publishedVersion}` : 'not published'}
                {' · '}
                {formatCount(m.scoredLeads)} leads
              </span>
              <span className="sc-model__tags">
                {m.isPrimary ? <span className="badge badge--ok">Primary</span> : null}
                {m.hasDraft ? <span className="badge badge--warm">Draft</span> : null}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="sc-models__foot">
        <button type="button" className="btn btn--small" onClick={onNew}>
          New model
        </button>
        <button type="button" className="btn btn--small" onClick={onImport}>
          Import…
        </button>
      </div>
    </aside>
  );
}
