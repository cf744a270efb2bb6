/**
 * Saves the editor's draft shortly after the last edit (a newer edit while saving saves
 * again), and an edit not yet saved when the editor switches to another model.
 */
import { useEffect, useRef } from 'react';
import type { ScoringModel } from '../../../../shared/scoring';
import { call, errorMessage } from '../../api';
import type { SaveState } from './editor-state';

const SAVE_DELAY_MS = 600;

export function useDraftAutosave(
  modelId: number,
  draft: ScoringModel,
  saveState: SaveState,
  setSaveState: (s: SaveState | ((prev: SaveState) => SaveState)) => void,
  notify: (kind: 'ok' | 'error', text: string) => void,
): void {
  useEffect(() => {
    if (saveState !== 'pending') return;
    const t = setTimeout(() => {
      setSaveState('saving');
      call('model-save-draft', { modelId, definition: draft }).then(
        () => setSaveState((s) => (s === 'saving' ? 'saved' : s)),
        (err: unknown) => {
          setSaveState('error');
          notify('error', `The draft could not be saved: ${errorMessage(err)}`);
        },
      );
    }, SAVE_DELAY_MS);
    return () => clearTimeout(t);
  }, [draft, saveState, modelId, notify, setSaveState]);

  // Switching models with an edit not yet saved: save it on the way out.
  const latest = useRef({ draft, saveState });
  useEffect(() => {
    latest.current = { draft, saveState };
  });
  useEffect(
    () => () => {
      if (latest.current.saveState === 'pending')
        void call('model-save-draft', { modelId, definition: latest.current.draft }).catch(() => undefined);
    },
    [modelId],
  );
}
