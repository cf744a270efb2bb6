/** `leadbench queue --db PATH [--owner EMAIL]`: the follow-up queue, soonest due first. */
import { SLA_STATUS_LABELS } from '../../../shared/followup/sla';
import { AppError } from '../errors';
import type { CliCommandRun } from './types';
import { openCliBackend, parseCli } from './common';

function when(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

export const queueCommand: CliCommandRun = {
  run: async (argv, io) => {
    const { values } = parseCli(argv, {
      db: { type: 'string' },
      owner: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    });
    const limit = values.limit === undefined ? 200 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new AppError('BAD_ARGUMENT', '--limit must be a whole number from 1 to 1000.');
    }
    const backend = openCliBackend(values.db);
    try {
      let ownerId: number | undefined;
      if (values.owner !== undefined) {
        const owners = await backend.invoke('owners-list', {});
        const owner = owners.find((o) => o.email.toLowerCase() === values.owner!.trim().toLowerCase());
        if (!owner) throw new AppError('NOT_FOUND', `No owner with email ${values.owner}.`);
        ownerId = owner.id;
      }
      const page = await backend.invoke(
        'followup-queue',
        ownerId === undefined ? { scope: 'all', limit } : { scope: 'owner', ownerId, limit },
      );
      if (values.json) {
        io.out(JSON.stringify(page, null, 2));
        return 0;
      }
      if (page.items.length === 0) {
        io.out('The queue is empty.');
        return 0;
      }
      io.out(
        [
          'Due (UTC)'.padEnd(17),
          'Status'.padEnd(9),
          'Grade',
          'Tries',
          'Owner'.padEnd(18),
          'Lead'.padEnd(28),
          'Next action',
        ].join('  '),
      );
      for (const i of page.items) {
        io.out(
          [
            when(i.nextAt).padEnd(17),
            SLA_STATUS_LABELS[i.status].padEnd(9),
            (i.grade ?? '-').padEnd(5),
            `${i.attempts}/${i.attemptsRequired}`.padEnd(5),
            (i.ownerName ?? 'unassigned').slice(0, 18).padEnd(18),
            i.name.slice(0, 28).padEnd(28),
            i.recommendedAction,
          ].join('  '),
        );
      }
      const counts = Object.entries(page.counts)
        .filter(([, n]) => n > 0)
        .map(([s, n]) => `${n} ${SLA_STATUS_LABELS[s as keyof typeof SLA_STATUS_LABELS].toLowerCase()}`);
      io.out(`${page.total} lead${page.total === 1 ? '' : 's'}${counts.length ? `: ${counts.join(', ')}` : ''}`);
      return 0;
    } finally {
      backend.close();
    }
  },
};
