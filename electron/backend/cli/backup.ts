/** `leadbench backup --db PATH --out FILE`: a consistent, verified copy of a workspace. */
import { openCliWriter, parseCli } from './common';
import { AppError } from '../errors';
import type { CliCommandRun } from './types';

export const backupCommand: CliCommandRun = {
  run: async (argv, io) => {
    const { values } = parseCli(argv, { db: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } });
    if (!values.out) throw new AppError('BAD_ARGUMENT', 'Missing --out FILE (where the copy goes).');
    const backend = await openCliWriter(values.db, io);
    try {
      const info = await backend.invoke('workspace-backup', { out: values.out });
      if (values.json) io.out(JSON.stringify(info, null, 2));
      else io.out(`Backed up   ${values.db} -> ${info.path} (${(info.sizeBytes / 1024).toFixed(0)} KiB, integrity ok)`);
      return 0;
    } finally {
      backend.close();
    }
  },
};
