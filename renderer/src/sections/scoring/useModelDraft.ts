/**
 * The model editor's draft state (draft-state.ts) held for a component: the state, its
 * validation (the same validator the backend runs), whether it differs from the published
 * model, and the changes a component makes to it.
 */
import { useCallback, useMemo, useReducer } from 'react';
import type { ModelDetail, ModelPreview } from '../../../../shared/contract';
import { validateModel, type ModelIssue, type ScoringModel } from '../../../../shared/scoring';
import { draftDiffers, draftReducer, draftStateOf, type DraftState } from './draft-state';
import type { SaveState } from './editor-state';

export type ModelDraft = DraftState &
  Readonly<{
    valid: boolean;
    issues: readonly ModelIssue[];
    differs: boolean;
    edit: (draft: ScoringModel) => void;
    reset: (detail: ModelDetail) => void;
    markPublished: (version: number) => void;
    setSaveState: (next: SaveState | ((prev: SaveState) => SaveState)) => void;
    previewed: (preview: ModelPreview) => void;
  }>;

export function useModelDraft(detail: ModelDetail): ModelDraft {
  const [state, dispatch] = useReducer(draftReducer, detail, draftStateOf);
  const validation = useMemo(() => validateModel(state.draft), [state.draft]);
  const { draft, published } = state;
  const differs = useMemo(() => draftDiffers({ draft, published }, detail.name), [draft, published, detail.name]);
  const setSaveState = useCallback(
    (next: SaveState | ((prev: SaveState) => SaveState)) => dispatch({ type: 'save-state', next }),
    [],
  );
  return {
    ...state,
    valid: validation.ok,
    issues: validation.ok ? [] : validation.issues,
    differs,
    edit: useCallback((draft: ScoringModel) => dispatch({ type: 'edit', draft }), []),
    reset: useCallback((d: ModelDetail) => dispatch({ type: 'reset', detail: d }), []),
    markPublished: useCallback((version: number) => dispatch({ type: 'published', version }), []),
    setSaveState,
    previewed: useCallback((preview: ModelPreview) => dispatch({ type: 'previewed', preview }), []),
  };
}
