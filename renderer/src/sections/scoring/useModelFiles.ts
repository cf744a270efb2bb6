/**
 * Exporting a model (the draft when there is one) to a JSON file and importing a JSON file
 * into the draft; the import answers with the problems the file's model has.
 */
import type { ModelDetail } from '../../../../shared/contract';
import type { ScoringModel } from '../../../../shared/scoring';
import { call, errorMessage, shell } from '../../api';
import { modelFileName, type SaveState } from './editor-state';

export function useModelFiles(
  modelId: number,
  draft: ScoringModel,
  saveState: SaveState,
  onImported: (d: ModelDetail) => void,
  notify: (kind: 'ok' | 'error', text: string) => void,
): Readonly<{ exportJson: () => Promise<void>; importJson: () => Promise<void> }> {
  const exportJson = async () => {
    const path = await shell().saveFileDialog({
      title: 'Export scoring model',
      defaultPath: modelFileName(draft.name),
      filters: [{ name: 'Scoring model', extensions: ['json'] }],
    });
    if (!path) return;
    try {
      if (saveState !== 'clean') await call('model-save-draft', { modelId, definition: draft });
      const r = await call('model-export-json', { modelId, path, draft: saveState !== 'clean' || undefined });
      notify('ok', `Exported "${draft.name}" to ${r.path}`);
    } catch (err) {
      notify('error', errorMessage(err));
    }
  };

  const importJson = async () => {
    const path = await shell().openFileDialog({
      title: 'Import a scoring model into this draft',
      filters: [{ name: 'Scoring model', extensions: ['json'] }],
    });
    if (!path) return;
    try {
      const r = await call('model-import-json', { path, modelId });
      onImported(r.model);
      notify(
        r.issues.length ? 'error' : 'ok',
        r.issues.length
          ? `Imported into the draft with ${r.issues.length} problem(s) to fix.`
          : 'Imported into the draft. Preview and publish when ready.',
      );
    } catch (err) {
      notify('error', errorMessage(err));
    }
  };
  return { exportJson, importJson };
}
