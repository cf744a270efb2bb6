/**
 * Emails are matched in one form since 0250: invisible characters removed, Unicode NFC, the
 * domain in IDNA ASCII (shared/domain.ts normalizeEmail). Workspaces imported before held
 * only the trimmed lower-case form, so "ann@bücher.example" would no longer meet its own
 * lead when a file spells it "ann@xn--bcher-kva.example". Only addresses with non-ASCII
 * characters change. Two leads that turn out to be one address keep their own emails (the
 * second keeps its old form): merging people is the user's decision, not a migration's.
 */
import { normalizeEmail } from '../../../../shared/domain';
import type { Migration } from '../migrate';

export const migration0250EmailNormIdn: Migration = {
  version: 250,
  name: 'email-norm-idn',
  up: (db) => {
    const rows = db.prepare("SELECT id, email_norm FROM leads WHERE email_norm GLOB '*[^ -~]*' ORDER BY id").all() as {
      id: number;
      email_norm: string;
    }[];
    const taken = db.prepare('SELECT 1 FROM leads WHERE email_norm = ?').pluck();
    const update = db.prepare('UPDATE leads SET email_norm = ? WHERE id = ?');
    for (const r of rows) {
      const norm = normalizeEmail(r.email_norm);
      if (norm !== null && norm !== r.email_norm && taken.get(norm) === undefined) update.run(norm, r.id);
    }
  },
};
