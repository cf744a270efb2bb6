/** A running import: progress bar, rows done, rate, and cancel. */
import type { JobProgress } from '../../../../../shared/contract';
import { call } from '../../../api';
import { formatCount } from '../../../format';

export function ProgressView({
  fileName,
  jobId,
  progress,
}: Readonly<{ fileName: string; jobId: string; progress: JobProgress | null }>) {
  const pct = progress?.fraction != null ? Math.round(progress.fraction * 100) : 0;
  return (
    <div className="card iw" aria-busy="true">
      <h2>Importing {fileName}</h2>
      <div className="iw-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="iw-progress__bar" style={{ width: `${pct}%` }} />
      </div>
      <p className="muted" data-testid="import-progress">
        {progress?.phase === 'rescoring' ? 'Rescoring affected leads' : `${pct}%`} · {formatCount(progress?.done ?? 0)}{' '}
        rows
        {progress?.ratePerSec ? ` · ${formatCount(progress.ratePerSec)} rows/s` : ''}
      </p>
      <button type="button" className="btn" onClick={() => void call('job-cancel', { jobId })}>
        Cancel
      </button>
    </div>
  );
}
