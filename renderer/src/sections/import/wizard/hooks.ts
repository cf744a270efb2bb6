/**
 * The wizard's conversations with the backend, one hook each: inspect the file whenever how
 * it is read changes, preview the first rows whenever the options change, and run the import
 * as a job with progress.
 */
import { useEffect, useReducer, useRef, useState, type Dispatch } from 'react';
import type {
  FileProfile,
  ImportOptions,
  ImportSummary,
  JobProgress,
  PreviewResult,
  ReadOptions,
} from '../../../../../shared/contract';
import type { ImportKind } from '../../../../../shared/mapping';
import { call, errorMessage, useApiEvent } from '../../../api';
import { initialWizardState, wizardReducer, type WizardAction, type WizardState } from './state';

/** The setup state, re-inspected whenever the file, how it is read, or the kind changes. */
export function useWizardState(path: string): [WizardState, Dispatch<WizardAction>] {
  const [state, dispatch] = useReducer(wizardReducer, initialWizardState);
  useInspection(path, state.read, state.kind, dispatch);
  return [state, dispatch];
}

function useInspection(
  path: string,
  read: ReadOptions,
  kind: ImportKind | undefined,
  dispatch: Dispatch<WizardAction>,
): void {
  // What the last inspection read, and for which kind: the first one guesses the kind, and the
  // wizard adopting that guess needs no second reading of the file.
  const inspected = useRef<Readonly<{ path: string; read: ReadOptions; kind: ImportKind }> | null>(null);
  useEffect(() => {
    const last = inspected.current;
    if (last && last.path === path && last.read === read && last.kind === kind) return;
    let live = true;
    call('import-inspect', { path, ...read, ...(kind ? { kind } : {}) }).then(
      (result) => {
        if (!live) return;
        inspected.current = { path, read, kind: result.kind };
        dispatch({ type: 'inspected', result });
      },
      (err: unknown) => live && dispatch({ type: 'inspect-failed', message: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [path, read, kind, dispatch]);
}

/**
 * The whole file's profile (exact rows, values with counts, date findings) for the header
 * row the inspection chose; null while it is read or when it cannot be.
 */
export function useProfile(path: string, read: ReadOptions, headerRow: number | undefined): FileProfile | null {
  const [profile, setProfile] = useState<FileProfile | null>(null);
  useEffect(() => {
    if (headerRow === undefined) return;
    let live = true;
    call('import-profile', { path, ...read, headerRow }).then(
      (p) => live && setProfile(p),
      () => live && setProfile(null),
    );
    return () => {
      live = false;
    };
  }, [path, read, headerRow]);
  return profile;
}

/** The first rows as they will be stored; follows every change, debounced a little. */
export function usePreview(path: string, options: ImportOptions | null, limit = 12): PreviewResult | null {
  const [preview, setPreview] = useState<PreviewResult | null>(null);
  useEffect(() => {
    if (!options) return;
    let live = true;
    const t = setTimeout(() => {
      call('import-preview', { path, options, limit }).then(
        (p) => live && setPreview(p),
        (err: unknown) => live && setPreview({ headers: [], headerRow: 0, problems: [errorMessage(err)], rows: [] }),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [path, options, limit]);
  return preview;
}

export type JobPhase =
  | Readonly<{ step: 'setup' }>
  | Readonly<{ step: 'running'; jobId: string }>
  | Readonly<{ step: 'done'; summary: ImportSummary }>
  | Readonly<{ step: 'failed'; message: string }>;

/** Runs the import as a job; its phase and the last progress report. */
export function useImportJob(path: string): {
  phase: JobPhase;
  progress: JobProgress | null;
  run: (options: ImportOptions) => Promise<void>;
  backToSetup: () => void;
} {
  const [phase, setPhase] = useState<JobPhase>({ step: 'setup' });
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const jobRef = useRef<string | null>(null);
  useApiEvent('job-progress', (p) => {
    if (p.jobId === jobRef.current) setProgress(p);
  });
  async function run(options: ImportOptions) {
    const jobId = `import-${Date.now().toString(36)}`;
    jobRef.current = jobId;
    setProgress(null);
    setPhase({ step: 'running', jobId });
    try {
      setPhase({ step: 'done', summary: await call('import-run', { path, options, jobId }) });
    } catch (err) {
      setPhase({ step: 'failed', message: errorMessage(err) });
    }
  }
  return { phase, progress, run, backToSetup: () => setPhase({ step: 'setup' }) };
}
