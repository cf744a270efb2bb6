import { describe, expect, it } from 'vitest';
import type { InspectResult } from '../../../shared/contract';
import { importOptionsOf, initialWizardState, wizardReducer } from '../../../renderer/src/sections/import/wizard/state';

const inspected = (over: Partial<InspectResult> = {}): InspectResult => ({
  path: '/f.csv',
  fileName: 'f.csv',
  sizeBytes: 10,
  format: 'csv',
  encoding: 'utf-8',
  encodingSample: null,
  delimiter: ',',
  sheets: [],
  sheet: null,
  headerCandidates: [],
  headerRow: 1,
  headers: ['Email', 'Colour'],
  headerSignature: 'email|colour',
  kind: 'leads',
  mapping: { Email: 'email', Colour: 'custom' },
  keyCandidates: [],
  dateOrder: null,
  reportTopic: null,
  savedMapping: null,
  sampleRows: [],
  ...over,
});

describe('import wizard state', () => {
  it('takes the suggested kind and mapping from the first inspection', () => {
    const s = wizardReducer(initialWizardState, { type: 'inspected', result: inspected() });
    expect(s.kind).toBe('leads');
    expect(s.mapping).toEqual({ Email: 'email', Colour: 'custom' });
    expect(importOptionsOf(s)).toMatchObject({ kind: 'leads', headerRow: 1, update: 'fill' });
  });

  it('applies a saved mapping of the same kind over the suggestion, with its settings', () => {
    const savedMapping = {
      id: 1,
      name: 'Fair list',
      kind: 'leads' as const,
      headerSignature: 'email|colour',
      settings: { kind: 'leads' as const, mapping: { Colour: 'ignore' as const }, update: 'overwrite' as const },
      updatedAt: 0,
    };
    const s = wizardReducer(initialWizardState, { type: 'inspected', result: inspected({ savedMapping }) });
    expect(s.usedSaved).toBe('Fair list');
    expect(s.mapping).toEqual({ Email: 'email', Colour: 'ignore' });
    expect(s.settings.update).toBe('overwrite');
  });

  it('ignores a saved mapping of another kind once the user chose the kind', () => {
    const savedMapping = {
      id: 1,
      name: 'Log',
      kind: 'activities' as const,
      headerSignature: 'x',
      settings: { kind: 'activities' as const, mapping: { Colour: 'ignore' as const } },
      updatedAt: 0,
    };
    const chosen = wizardReducer(initialWizardState, { type: 'kind', kind: 'leads' });
    const s = wizardReducer(chosen, { type: 'inspected', result: inspected({ savedMapping }) });
    expect(s.usedSaved).toBeNull();
    expect(s.mapping.Colour).toBe('custom');
  });

  it('changes one target and merges settings without losing the others', () => {
    let s = wizardReducer(initialWizardState, { type: 'inspected', result: inspected() });
    s = wizardReducer(s, { type: 'target', header: 'Colour', target: 'ignore' });
    s = wizardReducer(s, { type: 'settings', settings: { dateOrder: 'dmy' } });
    expect(s.mapping).toEqual({ Email: 'email', Colour: 'ignore' });
    expect(s.settings).toMatchObject({ update: 'fill', blankPlaceholders: true, dateOrder: 'dmy' });
  });

  it('keeps the targets the user chose when an inspection for the new kind lands after them', () => {
    let s = wizardReducer(initialWizardState, { type: 'inspected', result: inspected() });
    s = wizardReducer(s, { type: 'kind', kind: 'activities' });
    // The user maps a column while the file is re-read for the new kind…
    s = wizardReducer(s, { type: 'target', header: 'Colour', target: 'activity.type' });
    // …and the re-read's suggestion must not undo it.
    s = wizardReducer(s, {
      type: 'inspected',
      result: inspected({ kind: 'activities', mapping: { Email: 'email', Colour: 'ignore' } }),
    });
    expect(s.mapping).toEqual({ Email: 'email', Colour: 'activity.type' });
  });

  it('forgets chosen targets when the kind changes, and those for headers the file no longer has', () => {
    let s = wizardReducer(initialWizardState, { type: 'inspected', result: inspected() });
    s = wizardReducer(s, { type: 'target', header: 'Colour', target: 'ignore' });
    const otherHeaders = wizardReducer(s, {
      type: 'inspected',
      result: inspected({ headers: ['Email', 'Shade'], mapping: { Email: 'email', Shade: 'custom' } }),
    });
    expect(otherHeaders.mapping).toEqual({ Email: 'email', Shade: 'custom' });
    const otherKind = wizardReducer(wizardReducer(s, { type: 'kind', kind: 'activities' }), {
      type: 'inspected',
      result: inspected({ kind: 'activities' }),
    });
    expect(otherKind.mapping).toEqual({ Email: 'email', Colour: 'custom' });
  });

  it('reads dates in the order the whole file proves until the user chooses one', () => {
    const s = wizardReducer(initialWizardState, { type: 'inspected', result: inspected() });
    expect(importOptionsOf(s, 'dmy')?.dateOrder).toBe('dmy');
    expect(importOptionsOf(s)?.dateOrder).toBeUndefined();
    const chosen = wizardReducer(s, { type: 'settings', settings: { dateOrder: 'mdy' } });
    expect(importOptionsOf(chosen, 'dmy')?.dateOrder).toBe('mdy');
  });

  it('has no options before the file is read', () => {
    expect(importOptionsOf(initialWizardState)).toBeNull();
  });
});
