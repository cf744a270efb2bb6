/**
 * The workspace a launch asks for: `leadbench path/to/file.leadbench`, a double-click on a
 * .leadbench file (Windows and Linux pass it on the command line; a second launch passes its
 * command line to the running instance), or macOS's open-file event. Pure, so it is tested
 * without Electron.
 */
import { isAbsolute, resolve } from 'node:path';

export const WORKSPACE_EXTENSION = '.leadbench';

/** The last .leadbench path on a command line (switches skipped), made absolute against cwd. */
export function workspaceArgument(argv: readonly string[], cwd: string): string | null {
  for (let i = argv.length - 1; i >= 1; i--) {
    const arg = argv[i]!;
    if (arg.startsWith('-')) continue;
    if (arg.toLowerCase().endsWith(WORKSPACE_EXTENSION)) return isAbsolute(arg) ? arg : resolve(cwd, arg);
  }
  return null;
}
