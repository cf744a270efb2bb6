/**
 * The web host's private transfer folder (mode 0700, removed when the host stops). The
 * desktop app hands the backend paths the user picked in native dialogs; in a browser a
 * picked file is uploaded here and imported by its path, and a save dialog answers with a
 * fresh path here that the backend writes and the page then downloads (after which it is
 * deleted). Each transfer gets its own random subfolder, so the file keeps its own name.
 */
import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { zipSync } from 'fflate';
import { isAllowedPath } from './allowed-paths';

const TRANSFER_ID = /^[0-9a-f]{32}$/;

/** A file name safe to create: no folders, no control characters, not empty, not too long. */
export function safeFileName(name: string): string {
  const cleaned = basename(name.replace(/\\/g, '/'))
    // eslint-disable-next-line no-control-regex -- control characters are exactly what we strip
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .trim()
    .slice(0, 200);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'file' : cleaned;
}

export type Transfers = Readonly<{
  root: string;
  /** Writes an upload's body to root/<id>/<name>; the id is the page's (it announced the path already). */
  receive: (id: string, name: string, req: IncomingMessage) => Promise<string>;
  /** A fresh path for the backend to write to (a save dialog's answer). */
  saveTarget: (name: string) => string;
  /** Sends a written file (a folder as one zip) as a download, then deletes it. */
  send: (path: string, res: ServerResponse) => Promise<void>;
  dispose: () => void;
}>;

export class TransferError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
  );
}

function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function createTransfers(): Transfers {
  const root = mkdtempSync(join(tmpdir(), 'leadbench-web-'));
  const slot = (id: string): string => {
    const dir = join(root, id);
    mkdirSync(dir, { mode: 0o700 });
    return dir;
  };

  return {
    root,
    receive: async (id, name, req) => {
      if (!TRANSFER_ID.test(id)) throw new TransferError(400, 'Bad upload id.');
      let dir: string;
      try {
        dir = slot(id);
      } catch {
        throw new TransferError(409, 'That upload id is taken.');
      }
      const file = join(dir, safeFileName(name));
      try {
        await pipeline(req, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
      } catch (err) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
      return file;
    },
    saveTarget: (name) => join(slot(randomBytes(16).toString('hex')), safeFileName(name)),
    send: async (path, res) => {
      const target = resolve(path);
      const slotDir = dirname(target);
      if (!isAllowedPath([root], target) || dirname(slotDir) !== root || !TRANSFER_ID.test(basename(slotDir))) {
        throw new TransferError(403, 'Refused: downloads come only from the transfer folder.');
      }
      let stat;
      try {
        stat = statSync(target);
      } catch {
        throw new TransferError(404, 'Nothing was written there.');
      }
      // Read (a folder) or opened (a file) first, deleted next, sent last: nothing stays behind.
      if (stat.isDirectory()) {
        const entries = Object.fromEntries(
          filesUnder(target).map((f) => [relative(target, f).split('\\').join('/'), readFileSync(f)]),
        );
        rmSync(slotDir, { recursive: true, force: true });
        const zip = zipSync(entries);
        res.writeHead(200, {
          'content-type': 'application/zip',
          'content-length': String(zip.byteLength),
          'content-disposition': attachment(`${basename(target)}.zip`),
        });
        res.end(zip);
        return;
      }
      const stream = createReadStream(target);
      await once(stream, 'open');
      let removed = true;
      try {
        rmSync(slotDir, { recursive: true, force: true });
      } catch {
        removed = false; // Windows keeps an open file: removed once sent
      }
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(stat.size),
        'content-disposition': attachment(basename(target)),
      });
      try {
        await pipeline(stream, res);
      } finally {
        if (!removed) rmSync(slotDir, { recursive: true, force: true });
      }
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
