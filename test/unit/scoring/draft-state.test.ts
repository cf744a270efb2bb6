/** The model editor's draft state (renderer/src/sections/scoring/draft-state.ts). */
import { describe, expect, it } from 'vitest';
import type { ModelDetail, ModelPreview } from '../../../shared/contract';
import type { ScoringModel } from '../../../shared/scoring';
import { normalizeDraft } from '../../../renderer/src/sections/scoring/draft';
import {
  draftDiffers,
  draftReducer,
  draftStateOf,
  type DraftState,
} from '../../../renderer/src/sections/scoring/draft-state';
import { baseModel } from './factories';

function detail(over: Partial<ModelDetail> = {}): ModelDetail {
  return {
    id: 3,
    name: 'Inbound',
    description: null,
    isPrimary: true,
    publishedVersion: 2,
    versionCount: 2,
    hasDraft: false,
    scoredLeads: 10,
    updatedAt: 0,
    published: baseModel({ name: 'Inbound' }),
    draft: null,
    draftIssues: [],
    ...over,
  };
}

const PREVIEW = { modelId: 3 } as ModelPreview;
const edited = (m: ScoringModel): ScoringModel => ({ ...m, mql: { ...m.mql, threshold: m.mql.threshold + 5 } });

describe('the model editor draft state', () => {
  it('opens on the saved draft when there is one, else on the published model', () => {
    const published = draftStateOf(detail());
    expect(published.draft).toEqual(normalizeDraft(detail().published, 'Inbound'));
    expect(published.saveState).toBe('clean');
    expect(draftDiffers(published, 'Inbound')).toBe(false);

    const draft = edited(baseModel({ name: 'Inbound' }));
    const withDraft = draftStateOf(detail({ draft, hasDraft: true }));
    expect(withDraft.draft.mql.threshold).toBe(draft.mql.threshold);
    expect(withDraft.saveState).toBe('saved');
    expect(draftDiffers(withDraft, 'Inbound')).toBe(true);

    // Never published: a draft always differs (there is nothing to be equal to).
    const fresh = draftStateOf(detail({ published: null, publishedVersion: null, versionCount: 0 }));
    expect(draftDiffers(fresh, 'Inbound')).toBe(true);
  });

  it('an edit waits to be saved; the autosave moves on only from the state it expects', () => {
    let s: DraftState = draftStateOf(detail());
    s = draftReducer(s, { type: 'edit', draft: edited(s.draft) });
    expect(s.saveState).toBe('pending');
    s = draftReducer(s, { type: 'save-state', next: 'saving' });
    // The user edits again while the save runs: the save's end must not call it saved.
    s = draftReducer(s, { type: 'edit', draft: edited(s.draft) });
    s = draftReducer(s, { type: 'save-state', next: (prev) => (prev === 'saving' ? 'saved' : prev) });
    expect(s.saveState).toBe('pending');
    const same = draftReducer(s, { type: 'save-state', next: 'pending' });
    expect(same).toBe(s);
  });

  it('publishing makes the draft the published model, counts the version and forgets the preview', () => {
    let s: DraftState = draftStateOf(detail());
    s = draftReducer(s, { type: 'edit', draft: edited(s.draft) });
    s = draftReducer(s, { type: 'previewed', preview: PREVIEW });
    expect(s.lastPreview).toBe(PREVIEW);
    s = draftReducer(s, { type: 'published', version: 3 });
    expect(s).toMatchObject({ publishedVersion: 3, versionCount: 3, saveState: 'clean', lastPreview: null });
    expect(s.published).toBe(s.draft);
    expect(draftDiffers(s, 'Inbound')).toBe(false);
  });

  it('a reload takes the model as the backend has it, dropping the local edit and preview', () => {
    let s: DraftState = draftStateOf(detail());
    s = draftReducer(s, { type: 'edit', draft: edited(s.draft) });
    s = draftReducer(s, { type: 'previewed', preview: PREVIEW });
    const restored = detail({ publishedVersion: 4, versionCount: 4 });
    s = draftReducer(s, { type: 'reset', detail: restored });
    expect(s).toEqual(draftStateOf(restored));
  });
});
