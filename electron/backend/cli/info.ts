/** `leadbench info --db PATH`: what a workspace holds. */
import type { CliCommandRun } from './types';
import { openCliBackend, parseCli } from './common';

export const infoCommand: CliCommandRun = {
  run: async (argv, io) => {
    const { values } = parseCli(argv, { db: { type: 'string' }, json: { type: 'boolean' } });
    const backend = openCliBackend(values.db);
    try {
      const info = await backend.invoke('workspace-info', {});
      if (values.json) {
        io.out(JSON.stringify(info, null, 2));
      } else {
        io.out(`Workspace   ${info.path}`);
        io.out(`Schema      ${info.schemaVersion}`);
        io.out(`Size        ${(info.sizeBytes / 1024).toFixed(0)} KiB`);
        io.out(`Leads       ${info.leadCount}`);
        io.out(`Activities  ${info.activityCount}`);
        io.out(`Imports     ${info.importCount}`);
        if (info.scoresStale)
          io.out('Scores      out of date: their rescore has not finished (`leadbench score` brings them up to date)');
      }
      return 0;
    } finally {
      backend.close();
    }
  },
};
