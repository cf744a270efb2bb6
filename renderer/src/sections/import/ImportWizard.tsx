/**
 * The import wizard for one file: check how it is read (kind, encoding, delimiter, sheet,
 * header row), map columns while watching the first rows as they will be stored, run with
 * progress and cancel, then read the summary and the rejected rows. Everything goes through
 * the backend handlers; the file itself never crosses IPC, only its path.
 *
 * This component only sequences the steps; each step is its own component under wizard/,
 * and the setup state is one reducer (wizard/state.ts).
 */
import { useMemo } from 'react';
import { ErrorState } from '../../components/EmptyState';
import { EncodingConfirm } from '../../components/EncodingConfirm';
import { ActivityTypesStep } from './wizard/ActivityTypesStep';
import { useImportJob, usePreview, useProfile, useWizardState } from './wizard/hooks';
import { ImportDone } from './wizard/ImportDone';
import { LeadLabelPicker, needsLeadLabel } from './wizard/LeadLabelPicker';
import { MappingStep } from './wizard/MappingStep';
import { OutcomeStep } from './wizard/OutcomeStep';
import { PreviewStep } from './wizard/PreviewStep';
import { ProgressView } from './wizard/ProgressView';
import { ReadStep } from './wizard/ReadStep';
import { SettingsStep } from './wizard/SettingsStep';
import { importOptionsOf } from './wizard/state';

export function ImportWizard({
  path,
  onClose,
  onShowLeads,
}: Readonly<{ path: string; onClose: () => void; onShowLeads: () => void }>) {
  const [state, dispatch] = useWizardState(path);
  const profile = useProfile(path, state.read, state.info?.headerRow);
  // The whole file's date order (the profile) decides, not only its first rows'.
  const detectedOrder = profile?.dates.detected ?? undefined;
  const options = useMemo(() => importOptionsOf(state, detectedOrder), [state, detectedOrder]);
  const preview = usePreview(path, options);
  const job = useImportJob(path);
  const { info, kind, mapping, settings } = state;

  if (state.inspectError) {
    return (
      <div className="card iw">
        <ErrorState message={state.inspectError} />
        <div className="iw__actions">
          <button type="button" className="btn" onClick={onClose}>
            Choose another file
          </button>
        </div>
      </div>
    );
  }
  if (!info || !kind) return <div className="card iw muted">Reading {path}…</div>;

  const { phase } = job;
  const typeHeader = info.headers.find((h) => mapping[h] === 'activity.type');
  if (phase.step === 'running')
    return <ProgressView fileName={info.fileName} jobId={phase.jobId} progress={job.progress} />;
  if (phase.step === 'failed') {
    return (
      <div className="card iw">
        <ErrorState message={phase.message} />
        <div className="iw__actions">
          <button type="button" className="btn" onClick={job.backToSetup}>
            Back to the settings
          </button>
          <button type="button" className="btn btn--ghost" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    );
  }
  if (phase.step === 'done') {
    return (
      <ImportDone
        summary={phase.summary}
        headers={info.headers}
        kind={kind}
        mapping={mapping}
        settings={settings}
        onClose={onClose}
        onShowLeads={onShowLeads}
      />
    );
  }

  return (
    <div className="iw">
      <div className="card iw__file">
        <h2>{info.fileName}</h2>
        <div className="form-grid">
          <ReadStep info={info} profile={profile} kind={kind} dispatch={dispatch} />
          <SettingsStep
            profile={profile}
            kind={kind}
            reportTopic={info.reportTopic}
            mapping={mapping}
            settings={settings}
            dispatch={dispatch}
          />
          {kind === 'leads' && needsLeadLabel(mapping) ? (
            <LeadLabelPicker headers={info.headers} mapping={mapping} settings={settings} dispatch={dispatch} />
          ) : null}
        </div>
        {info.encodingSample !== null && info.encoding ? (
          <EncodingConfirm
            encoding={info.encoding}
            sample={info.encodingSample}
            onConfirm={(encoding) => dispatch({ type: 'read', read: { encoding } })}
          />
        ) : null}
        {state.usedSaved ? (
          <p className="notice">Using your saved mapping “{state.usedSaved}” (same columns).</p>
        ) : null}
      </div>
      <MappingStep
        info={info}
        profile={profile}
        kind={kind}
        mapping={mapping}
        settings={settings}
        dispatch={dispatch}
      />
      {kind === 'activities' && typeHeader !== undefined ? (
        <ActivityTypesStep
          column={profile?.columns.find((c) => c.header === typeHeader) ?? null}
          settings={settings}
          dispatch={dispatch}
        />
      ) : null}
      {kind === 'leads' ? (
        <OutcomeStep info={info} profile={profile} outcome={settings.outcome} dispatch={dispatch} />
      ) : null}
      <PreviewStep preview={preview} kind={kind} headers={info.headers} mapping={mapping} />
      <div className="iw__actions iw__actions--sticky">
        <button
          type="button"
          className="btn btn--primary"
          disabled={!preview || preview.problems.length > 0 || info.encodingSample !== null}
          onClick={() => options && void job.run(options)}
        >
          Import {info.fileName}
        </button>
        <button type="button" className="btn btn--ghost" onClick={onClose}>
          Cancel
        </button>
      </div>
    </div>
  );
}
