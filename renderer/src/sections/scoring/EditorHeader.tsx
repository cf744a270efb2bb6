/**
 * The model editor's head: the model's name, primary and version badges, the draft's save
 * state, and the actions (preview, publish, and the menu: export/import JSON, duplicate,
 * make primary, discard draft, delete).
 */
import type { ModelDetail } from '../../../../shared/contract';
import { MenuButton, ScIcon } from './controls';
import { saveStateWords, type SaveState } from './editor-state';

export type EditorHeaderActions = Readonly<{
  preview: () => void;
  publish: () => void;
  exportJson: () => void;
  importJson: () => void;
  duplicate: () => void;
  makePrimary: () => void;
  discardDraft: () => void;
  askDelete: () => void;
}>;

export function EditorHeader({
  title,
  detail,
  publishedVersion,
  saveState,
  valid,
  differs,
  actions,
}: Readonly<{
  title: string;
  detail: ModelDetail;
  publishedVersion: number | null;
  saveState: SaveState;
  valid: boolean;
  differs: boolean;
  actions: EditorHeaderActions;
}>) {
  const unchanged = !differs && publishedVersion !== null;
  return (
    <div className="sc-editor-head">
      <div className="sc-editor-head__title">
        <h2 data-testid="model-title">{title}</h2>
        {detail.isPrimary ? (
          <span className="badge badge--ok">
            <ScIcon name="star" size={11} /> Primary
          </span>
        ) : null}
        <span className="badge">{publishedVersion ? `v${publishedVersion} published` : 'Never published'}</span>
        <span className={`sc-save sc-save--${saveState}`} data-testid="save-state">
          {saveStateWords(saveState, publishedVersion)}
        </span>
      </div>
      <div className="sc-editor-head__actions">
        <button
          type="button"
          className="btn"
          disabled={!valid}
          title={valid ? 'Score the workspace with this draft, without saving scores' : 'Fix the problems first'}
          onClick={actions.preview}
        >
          <ScIcon name="play" size={14} /> Preview impact
        </button>
        <button
          type="button"
          className="btn btn--primary"
          disabled={!valid || unchanged}
          title={
            !valid
              ? 'Fix the problems first'
              : unchanged
                ? 'Nothing changed since the published version'
                : 'Publish as a new version and rescore'
          }
          onClick={actions.publish}
        >
          Publish…
        </button>
        <MenuButton
          label="More model actions"
          items={[
            { label: 'Export JSON…', onSelect: actions.exportJson },
            { label: 'Import JSON into draft…', onSelect: actions.importJson },
            { label: 'Duplicate model', onSelect: actions.duplicate },
            {
              label: 'Make primary',
              disabled: detail.isPrimary || publishedVersion === null,
              onSelect: actions.makePrimary,
            },
            {
              label: 'Discard draft',
              disabled: saveState === 'clean' || publishedVersion === null,
              onSelect: actions.discardDraft,
            },
            { label: 'Delete model', danger: true, disabled: detail.isPrimary, onSelect: actions.askDelete },
          ]}
        />
      </div>
    </div>
  );
}
