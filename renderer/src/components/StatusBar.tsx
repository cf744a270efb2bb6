/** Bottom status bar: the open workspace, what it holds, and any running job. */
import { useState } from 'react';
import type { JobProgress, WorkspaceInfo } from '../../../shared/contract';
import { useApiEvent } from '../api';
import { formatBytes, formatCount, plural } from '../format';

export function StatusBar({ info }: Readonly<{ info: WorkspaceInfo | undefined }>) {
  const [job, setJob] = useState<JobProgress | null>(null);
  const [restarted, setRestarted] = useState<string | null>(null);
  useApiEvent('job-progress', (p) => setJob(p.finished ? null : p));
  // A crashed backend was started again: its running job is gone (rolled back), say so.
  useApiEvent('backend-restarted', (p) => {
    setJob(null);
    setRestarted(p.message);
  });
  return (
    <footer className="statusbar" data-testid="statusbar">
      {info ? (
        <>
          <span className="statusbar__item" title={info.path} data-testid="status-workspace">
            {info.path}
          </span>
          <span className="statusbar__item" data-testid="status-leads">
            {plural(info.leadCount, 'lead')}
          </span>
          <span className="statusbar__item">{plural(info.activityCount, 'activity', 'activities')}</span>
          <span className="statusbar__item">{formatBytes(info.sizeBytes)}</span>
        </>
      ) : (
        <span className="statusbar__item">Opening workspace…</span>
      )}
      <span className="statusbar__spacer" />
      {restarted ? (
        <span
          className="statusbar__item statusbar__alert"
          role="alert"
          title={restarted}
          data-testid="status-restarted"
        >
          {restarted}
        </span>
      ) : null}
      {info?.scoresStale && !job ? (
        <span
          className="statusbar__item statusbar__alert"
          title="A rescore did not finish (for example, the disk was full). The scores shown are from before; they are brought up to date the next time the workspace is opened with room on the disk."
          data-testid="status-scores-stale"
        >
          Scores out of date
        </span>
      ) : null}
      {job ? (
        <span className="statusbar__job" data-testid="status-job">
          {job.phase}
          {job.fraction !== null
            ? ` ${Math.round(job.fraction * 100)}%`
            : job.done > 0
              ? ` ${formatCount(job.done)}`
              : '…'}
          <progress max={1} value={job.fraction ?? undefined} />
        </span>
      ) : (
        <span className="statusbar__item statusbar__ok">Offline · data stays on this computer</span>
      )}
    </footer>
  );
}
