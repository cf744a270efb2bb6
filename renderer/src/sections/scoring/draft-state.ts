/**
 * The model editor's draft as one piece of state: the draft being edited, the version it
 * was published as, how far the draft is saved, and the last preview (offered to the
 * publish dialog). Every change goes through draftReducer, so what an edit, a reload or a
 * publish does to the whole is in one place (useModelDraft.ts holds it for ModelEditor).
 */
import type { ModelDetail, ModelPreview } from '../../../../shared/contract';
import type { ScoringModel } from '../../../../shared/scoring';
import { normalizeDraft } from './draft';
import type { SaveState } from './editor-state';

export type DraftState = Readonly<{
  draft: ScoringModel;
  published: ScoringModel | null;
  publishedVersion: number | null;
  versionCount: number;
  saveState: SaveState;
  /** The preview last run on this draft, shown again when publishing it; null after any change of base. */
  lastPreview: ModelPreview | null;
}>;

export type DraftAction =
  /** The user changed the draft: it waits to be saved. */
  | Readonly<{ type: 'edit'; draft: ScoringModel }>
  /** The model as the backend has it now (opened, reloaded, discarded, imported). */
  | Readonly<{ type: 'reset'; detail: ModelDetail }>
  /** The draft was published as `version`: it is the published model now, with no draft left. */
  | Readonly<{ type: 'published'; version: number }>
  /** The autosave's progress; a function sees the state as it is when applied. */
  | Readonly<{ type: 'save-state'; next: SaveState | ((prev: SaveState) => SaveState) }>
  | Readonly<{ type: 'previewed'; preview: ModelPreview }>;

/** The state of a model as the backend sent it: its draft when it has one, else its published model. */
export function draftStateOf(detail: ModelDetail): DraftState {
  return {
    draft: normalizeDraft(detail.draft ?? detail.published, detail.name),
    published: detail.published,
    publishedVersion: detail.publishedVersion,
    versionCount: detail.versionCount,
    saveState: detail.draft !== null ? 'saved' : 'clean',
    lastPreview: null,
  };
}

export function draftReducer(state: DraftState, action: DraftAction): DraftState {
  switch (action.type) {
    case 'edit':
      return { ...state, draft: action.draft, saveState: 'pending' };
    case 'reset':
      return draftStateOf(action.detail);
    case 'published':
      return {
        ...state,
        published: state.draft,
        publishedVersion: action.version,
        versionCount: Math.max(state.versionCount, action.version),
        saveState: 'clean',
        lastPreview: null,
      };
    case 'save-state': {
      const next = typeof action.next === 'function' ? action.next(state.saveState) : action.next;
      return next === state.saveState ? state : { ...state, saveState: next };
    }
    case 'previewed':
      return { ...state, lastPreview: action.preview };
  }
}

/** Whether the draft differs from the published model (always, when nothing is published). */
export function draftDiffers(state: Pick<DraftState, 'draft' | 'published'>, modelName: string): boolean {
  return (
    state.published === null ||
    JSON.stringify(state.draft) !== JSON.stringify(normalizeDraft(state.published, modelName))
  );
}
