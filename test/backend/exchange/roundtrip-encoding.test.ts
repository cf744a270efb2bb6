/**
 * A returned sheet saved by a spreadsheet program as Windows-1252 ("CSV" in Excel on
 * Windows), or a stage file (leadbench stage --file), follows the imports' rule: it is applied only once the user has seen a line of
 * it decoded and confirmed the encoding; until then nothing changes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempBackend, tempDir } from '../helpers';
import { NOW, seed } from './fixtures';
import { editCsv } from './sheet-edit';

describe('a returned CSV that is not UTF-8', () => {
  it('is previewed decoded, refused until its encoding is confirmed, then applied with its accents', async () => {
    const backend = tempBackend({ now: () => NOW });
    const db = backend.context.db();
    const s = seed(db);
    const file = join(tempDir(), 'returned.csv');
    await backend.invoke('export-leads', {
      source: { kind: 'all' },
      format: 'csv',
      out: file,
      columns: ['name', 'email', 'company', 'title'],
      timeZone: 'UTC',
    });
    const ann = s.uids[0]!;
    editCsv(file, [{ leadUid: ann, set: { 'Job title': 'Directeur Général' } }]);
    // Re-saved as Windows-1252, without the BOM, as Excel's plain "CSV" writes it.
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    writeFileSync(file, Buffer.from(text, 'latin1'));
    const line = text.split('\r\n').find((l) => l.includes('Général'))!;
    const title = () => db.prepare('SELECT title FROM leads WHERE uid = ?').pluck().get(ann);
    const before = title();

    const preview = await backend.invoke('roundtrip-inspect', { path: file });
    expect(preview).toMatchObject({ encoding: 'windows-1252', encodingSample: line });
    expect(preview.changes.find((c) => c.leadUid === ann)).toMatchObject({ to: 'Directeur Général' });
    await expect(
      backend.invoke('roundtrip-apply', { path: file, fileSha256: preview.fileSha256, backup: false }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message:
        `"returned.csv" is not valid UTF-8 text. Read as windows-1252 one of its lines says "${line}". ` +
        'If that reads correctly, confirm the encoding (the confirmation in Apply an edited sheet); ' +
        'if not, name the right one. Nothing was applied.',
    });
    expect(title()).toBe(before);
    expect(db.prepare('SELECT count(*) FROM roundtrip_applies').pluck().get()).toBe(0);

    const confirmed = await backend.invoke('roundtrip-inspect', { path: file, encoding: 'windows-1252' });
    expect(confirmed).toMatchObject({ encoding: 'windows-1252', encodingSample: null });
    const result = await backend.invoke('roundtrip-apply', {
      path: file,
      fileSha256: confirmed.fileSha256,
      encoding: 'windows-1252',
      backup: false,
    });
    expect(result.applied.field).toBe(1);
    expect(title()).toBe('Directeur Général');
  });

  it('a UTF-8 CSV needs no confirmation', async () => {
    const backend = tempBackend({ now: () => NOW });
    seed(backend.context.db());
    const file = join(tempDir(), 'returned.csv');
    await backend.invoke('export-leads', { source: { kind: 'all' }, format: 'csv', out: file, timeZone: 'UTC' });
    expect(await backend.invoke('roundtrip-inspect', { path: file })).toMatchObject({
      encoding: 'utf-8',
      encodingSample: null,
    });
  });
});

describe('leadbench stage --file with a file that is not UTF-8', () => {
  it('refuses until --encoding names it, then moves the leads', async () => {
    const backend = tempBackend();
    const dir = tempDir();
    writeFileSync(join(dir, 'leads.csv'), 'Email,First Name\nj@x.example,Jerome\n');
    await backend.invoke('import-run', { path: join(dir, 'leads.csv'), options: { kind: 'leads' } });
    backend.close();
    const file = join(dir, 'won.csv');
    writeFileSync(file, Buffer.from('Email,Note\nj@x.example,Jérôme signed\n', 'latin1'));
    const refused = await cli('stage', '--db', backend.path, '--to', 'won', '--file', file, '--key', 'Email');
    expect(refused).toMatchObject({
      code: 1,
      err:
        'leadbench stage: "won.csv" is not valid UTF-8 text. Read as windows-1252 one of its lines says "j@x.example,Jérôme signed". ' +
        'If that reads correctly, confirm the encoding (leadbench stage --encoding windows-1252); if not, name the right one. Nothing was changed.',
    });
    const moved = await cli(
      'stage',
      '--db',
      backend.path,
      '--to',
      'won',
      '--file',
      file,
      '--key',
      'Email',
      '--encoding',
      'windows-1252',
    );
    expect(moved.code).toBe(0);
    const b = tempBackend({ workspacePath: backend.path });
    expect(b.context.db().prepare("SELECT stage FROM leads WHERE email = 'j@x.example'").pluck().get()).toBe('won');
  });
});
