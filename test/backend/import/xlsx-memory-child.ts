/**
 * Helper process for the XLSX memory test: imports a workbook into a new workspace through
 * the real backend (import-run) and prints the summary and this process's peak memory, the
 * kernel's high-water mark of its resident set (maxRSS, which no sampling can miss).
 *
 * Usage: node --import tsx xlsx-memory-child.ts WORKSPACE FILE KIND
 */
import { createBackend } from '../../../electron/backend/backend';

const [workspacePath, file, kind] = process.argv.slice(2);
if (!workspacePath || !file || (kind !== 'leads' && kind !== 'activities')) {
  throw new Error('usage: xlsx-memory-child WORKSPACE FILE leads|activities');
}
const backend = createBackend({ workspacePath });
try {
  const summary = await backend.invoke('import-run', { path: file, options: { kind } });
  const peakRssMB = (process.resourceUsage().maxRSS * 1024) / 2 ** 20;
  process.stdout.write(`${JSON.stringify({ summary, peakRssMB })}\n`);
} finally {
  backend.close();
}
