import * as XLSX from '@e965/xlsx';
import Database from 'better-sqlite3';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/backend/cli';
import { openWorkspaceDb } from '../../../electron/backend/db/open';
import { tempDir } from '../helpers';
import { seed } from './fixtures';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

let db: string;
beforeAll(() => {
  db = join(tempDir(), 'cli.leadbench');
  const conn = openWorkspaceDb(db, { create: true });
  seed(conn);
  conn
    .prepare('INSERT INTO saved_views (name, query, columns, created_at, updated_at) VALUES (?, ?, ?, 0, 0)')
    .run(
      'US leads',
      JSON.stringify({ filters: [{ column: 'country', op: 'in', values: ['US'] }], search: '', sort: null }),
      JSON.stringify([{ key: 'email' }, { key: 'score_total' }]),
    );
  conn.close();
});

describe('leadbench export / backup', () => {
  it('exports a segment to CSV', async () => {
    const out = join(tempDir(), 'hot.csv');
    const c = io();
    expect(await runCli(['export', '--db', db, '--segment', 'hot', '--format', 'csv', '--out', out], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/Rows +3 in/);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\r\n')[0]).toBe(
      '\uFEFFLeadbench ID,Leadbench export,Name,Email,Company,Job title,Phone,Country,Stage,Owner,Score,Grade,Segment,Last activity,SLA due',
    );
    expect(text).toContain('ann@acme.example');
  });

  it('exports a saved view to XLSX with the view’s columns', async () => {
    const out = join(tempDir(), 'view.xlsx');
    const c = io();
    expect(
      await runCli(
        ['export', '--db', db, '--view', 'US leads', '--format', 'xlsx', '--out', out, '--no-roundtrip'],
        c.io,
      ),
    ).toBe(0);
    const rows = XLSX.utils.sheet_to_json<unknown[]>(XLSX.read(readFileSync(out)).Sheets.Leads!, { header: 1 });
    expect(rows).toEqual([
      ['Email', 'Score'],
      ['eve@epsilon.example', 81],
      ['ann@acme.example', 91],
    ]);
  });

  it('writes per-owner packs', async () => {
    const dir = tempDir();
    const c = io();
    expect(await runCli(['export', '--db', db, '--packs', 'files', '--format', 'csv', '--out', dir], c.io)).toBe(0);
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('reports usage errors with exit code 2', async () => {
    const c = io();
    expect(await runCli(['export', '--db', db, '--out', join(tempDir(), 'x.csv')], c.io)).toBe(2);
    expect(c.err.join('\n')).toContain('Choose exactly one of --view NAME, --segment NAME, --queue or --all');
    const d = io();
    expect(await runCli(['export', '--db', db, '--view', 'Nope', '--out', join(tempDir(), 'x.csv')], d.io)).toBe(1);
    expect(d.err.join('\n')).toContain('There is no saved view "Nope"');
  });

  it('backs a workspace up to a verified copy', async () => {
    const out = join(tempDir(), 'copy.leadbench');
    const c = io();
    expect(await runCli(['backup', '--db', db, '--out', out], c.io)).toBe(0);
    expect(c.out[0]).toContain('integrity ok');
    const copy = new Database(out, { readonly: true });
    expect(copy.prepare('SELECT count(*) FROM leads').pluck().get()).toBe(6);
    copy.close();
    const d = io();
    expect(await runCli(['backup', '--db', db], d.io)).toBe(2);
  });
});
