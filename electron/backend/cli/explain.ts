/** `leadbench explain --db PATH LEAD`: a lead's score ledger in plain words (LEAD = id, uid, email or key such as a Prospect ID). */
import { AppError } from '../errors';
import { findLeadId } from '../services/leads/lead-key';
import { explainLead } from '../services/scoring/explain';
import { openCliBackend, parseCli } from './common';
import type { CliCommandRun } from './types';

export const explainCommand: CliCommandRun = {
  run: async (argv, io) => {
    const { values, positionals } = parseCli(argv, {
      db: { type: 'string' },
      model: { type: 'string' },
      json: { type: 'boolean' },
    });
    const ref = positionals[0];
    if (!ref) throw new AppError('BAD_ARGUMENT', 'Missing LEAD (a lead id, uid, email or import key).');
    const modelId = values.model === undefined ? undefined : Number(values.model);
    if (modelId !== undefined && !Number.isInteger(modelId))
      throw new AppError('BAD_ARGUMENT', '--model takes a model id.');
    const backend = openCliBackend(values.db);
    try {
      const db = backend.context.db();
      const leadId = findLeadId(db, ref);
      if (leadId === null)
        throw new AppError('NOT_FOUND', `No lead matches "${ref}" (by id, uid, email or import key).`);
      const explanation = explainLead(db, leadId, modelId);
      io.out(values.json ? JSON.stringify(explanation, null, 2) : explanation.text);
      return 0;
    } finally {
      backend.close();
    }
  },
};
