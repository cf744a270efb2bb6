/**
 * The wizard's setup state in one reducer: how the file is read, what it was found to be,
 * the column mapping and the import settings. Each step component reads the slice it shows
 * and dispatches one kind of change, so no step owns another step's state.
 */
import type { ImportOptions, InspectResult, ReadOptions } from '../../../../../shared/contract';
import type { ColumnTarget, ImportKind } from '../../../../../shared/mapping';

/** The settings the mapping steps edit (everything but what the file is and how it is read). */
export type Settings = Omit<ImportOptions, 'kind' | 'mapping' | 'encoding' | 'delimiter' | 'sheet' | 'headerRow'>;

export type WizardState = Readonly<{
  kind: ImportKind | undefined;
  read: ReadOptions;
  info: InspectResult | null;
  inspectError: string | null;
  mapping: Readonly<Record<string, ColumnTarget>>;
  /**
   * The targets the user chose for this kind, kept apart from the suggestion so that an
   * inspection landing after the user's choice (the file re-read for a new kind or header
   * row) cannot undo it.
   */
  chosen: Readonly<Record<string, ColumnTarget>>;
  settings: Settings;
  /** The saved mapping applied to this file, by name. */
  usedSaved: string | null;
}>;

export type WizardAction =
  | Readonly<{ type: 'inspected'; result: InspectResult }>
  | Readonly<{ type: 'inspect-failed'; message: string }>
  | Readonly<{ type: 'kind'; kind: ImportKind }>
  | Readonly<{ type: 'read'; read: Partial<ReadOptions> }>
  | Readonly<{ type: 'target'; header: string; target: ColumnTarget }>
  | Readonly<{ type: 'settings'; settings: Partial<Settings> }>;

export const initialWizardState: WizardState = {
  kind: undefined,
  read: {},
  info: null,
  inspectError: null,
  mapping: {},
  chosen: {},
  settings: { update: 'fill', blankPlaceholders: true },
  usedSaved: null,
};

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
  switch (action.type) {
    case 'inspected':
      return applyInspection(state, action.result);
    case 'inspect-failed':
      return { ...state, inspectError: action.message };
    case 'kind':
      // A target chosen for another kind means nothing for this one.
      return action.kind === state.kind ? state : { ...state, kind: action.kind, chosen: {} };
    case 'read':
      return { ...state, read: { ...state.read, ...action.read } };
    case 'target':
      return {
        ...state,
        mapping: { ...state.mapping, [action.header]: action.target },
        chosen: { ...state.chosen, [action.header]: action.target },
      };
    case 'settings':
      return { ...state, settings: { ...state.settings, ...action.settings } };
  }
}

/**
 * A fresh inspection replaces the mapping: the saved one for these headers, else the
 * suggestion, and over either the targets the user chose for headers the file still has.
 */
function applyInspection(state: WizardState, result: InspectResult): WizardState {
  const kind = state.kind ?? result.kind;
  const saved = result.savedMapping?.kind === kind ? result.savedMapping : null;
  const chosen = Object.fromEntries(Object.entries(state.chosen).filter(([h]) => result.headers.includes(h)));
  const base = { ...state, info: result, inspectError: null, kind, chosen };
  if (!saved) return { ...base, mapping: { ...result.mapping, ...chosen }, usedSaved: null };
  const { mapping: savedMap, kind: _kind, ...rest } = saved.settings;
  return {
    ...base,
    mapping: { ...result.mapping, ...(savedMap ?? {}), ...chosen },
    settings: { ...state.settings, ...rest },
    usedSaved: saved.name,
  };
}

/**
 * The import options the current state describes, once the file has been read; the date
 * order the whole file proves applies until the user chooses one.
 */
export function importOptionsOf(state: WizardState, detectedOrder?: 'dmy' | 'mdy'): ImportOptions | null {
  const { info, kind } = state;
  if (!info || !kind) return null;
  const options: ImportOptions = {
    kind,
    ...state.read,
    headerRow: info.headerRow,
    mapping: state.mapping,
    ...state.settings,
  };
  if (detectedOrder && (options.dateOrder === undefined || options.dateOrder === 'auto'))
    options.dateOrder = detectedOrder;
  return options;
}
