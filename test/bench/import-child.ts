/**
 * The activity import of the import benchmark, in a process of its own: the bench process
 * holds the generated data (and whatever the lead import left on its heap), which is not
 * the import's memory. This process opens the workspace through the real backend, notes its
 * baseline RSS, runs import-run on the activity log (stream, map, dedupe, journal, rescore)
 * and reports its time, CPU and memory to the parent over the fork IPC channel; then it
 * imports the same log again (nothing new) and reports that time.
 *
 * Peak memory is the kernel's high-water mark of this process (maxRSS), which no sampling
 * can miss; the sampled peaks (every 10 ms and at every progress event) split it into the
 * write phase and the rescore that follows it.
 *
 * Usage (forked by import-bench.ts): import-child.ts WORKSPACE ACTIVITY_CSV
 */
import { createBackend } from '../../electron/backend/backend';

export type ImportChildResult = Readonly<{
  activityRows: number;
  activitiesInserted: number;
  activityErrors: number;
  activityImportSec: number;
  activityImportCpuSec: number;
  /** From the start of the import to its first rescore progress event. */
  activityWritePhaseSec: number;
  activityWritePhaseCpuSec: number;
  activityRescoreSec: number;
  rssBeforeMB: number;
  peakRssMB: number;
  peakRssImportPhaseMB: number;
  peakRssRescorePhaseMB: number;
  reimportSec: number;
  reimportNewActivities: number;
}>;

const MB = 2 ** 20;
const cpuSec = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

async function main(): Promise<void> {
  const [workspacePath, csv] = process.argv.slice(2);
  if (!workspacePath || !csv || !process.send) throw new Error('usage: fork import-child.ts WORKSPACE ACTIVITY_CSV');

  let measuring = false;
  let rescoring = false;
  let peakImport = 0;
  let peakRescore = 0;
  let rescoreStart = 0;
  let rescoreCpu = 0;
  const sample = () => {
    if (!measuring) return;
    const r = process.memoryUsage.rss();
    if (rescoring) peakRescore = Math.max(peakRescore, r);
    else peakImport = Math.max(peakImport, r);
  };
  const backend = createBackend({
    workspacePath,
    emit: (name, payload) => {
      if (name !== 'job-progress' || !measuring) return;
      const p = payload as { kind: string; phase: string };
      // The import reports its 'rescoring' phase as soon as the write phase is committed.
      if (!rescoring && (p.phase === 'rescoring' || p.kind === 'rescore')) {
        sample();
        rescoring = true;
        rescoreStart = performance.now();
        rescoreCpu = cpuSec(process.cpuUsage());
      }
      sample();
    },
  });
  try {
    const rssBefore = process.memoryUsage.rss();
    peakImport = rssBefore;
    measuring = true;
    const timer = setInterval(sample, 10);
    const t = performance.now();
    const cpu0 = cpuSec(process.cpuUsage());
    const acts = await backend.invoke('import-run', { path: csv, options: { kind: 'activities' } });
    const end = performance.now();
    const cpuEnd = cpuSec(process.cpuUsage());
    clearInterval(timer);
    sample();
    measuring = false;
    const maxRss = process.resourceUsage().maxRSS * 1024;

    const t2 = performance.now();
    const again = await backend.invoke('import-run', { path: csv, options: { kind: 'activities' } });
    const result: ImportChildResult = {
      activityRows: acts.rowsTotal,
      activitiesInserted: acts.activitiesInserted,
      activityErrors: acts.errors,
      activityImportSec: (end - t) / 1000,
      activityImportCpuSec: cpuEnd - cpu0,
      activityWritePhaseSec: ((rescoreStart || end) - t) / 1000,
      activityWritePhaseCpuSec: (rescoreCpu || cpuEnd) - cpu0,
      activityRescoreSec: rescoreStart ? (end - rescoreStart) / 1000 : 0,
      rssBeforeMB: rssBefore / MB,
      peakRssMB: maxRss / MB,
      peakRssImportPhaseMB: peakImport / MB,
      peakRssRescorePhaseMB: peakRescore / MB,
      reimportSec: (performance.now() - t2) / 1000,
      reimportNewActivities: again.activitiesInserted,
    };
    process.send(result);
  } finally {
    backend.close();
  }
}

await main();
