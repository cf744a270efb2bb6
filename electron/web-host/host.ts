/**
 * The web host: Leadbench's renderer and its backend API over HTTP on 127.0.0.1, for a
 * browser instead of the Electron window. It is a relay, like electron/main: requests are
 * checked (guard.ts), path arguments confined (allowed-paths.ts), and the call goes to the
 * backend worker unchanged. Routes (all API routes need the token header):
 *   POST /api/invoke/<handler>   JSON args in, the handler's Result out
 *   GET  /api/events             backend events, one JSON object per line, as they happen
 *   GET  /api/session            where uploads land (the page names upload paths itself)
 *   PUT  /api/upload/<id>/<name> a picked or dropped file, streamed into the transfer folder
 *   POST /api/save-target        a fresh path in the transfer folder (a save dialog's answer)
 *   GET  /api/download?path=…    a file the backend wrote there, then deleted
 * Anything else is a static file of the built renderer (or Vite's dev middleware).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sep } from 'node:path';
import { HANDLER_NAMES, type EventName, type Events, type Result } from '../../shared/contract';
import { refusedPathArg } from './allowed-paths';
import { checkAddress, checkToken, type Refusal } from './guard';
import { createTransfers, TransferError } from './transfers';

const MAX_JSON_BYTES = 32 * 1024 * 1024;

/** What the host relays to: the backend worker's client (worker-client.ts) has this shape. */
export type HostBackend = Readonly<{
  invoke: (name: string, args: unknown) => Promise<Result<unknown>>;
  onEvent: (fn: <E extends EventName>(name: E, payload: Events[E]) => void) => void;
}>;

/** Serves everything that is not the API: the built renderer, or Vite in development. */
export type PageServer = (req: IncomingMessage, res: ServerResponse) => void;

export type WebHostOptions = Readonly<{
  backend: HostBackend;
  token: string;
  /** Folders handlers may reach through path arguments, besides the transfer folder. */
  allowedRoots: readonly string[];
  pages: PageServer;
}>;

export type WebHost = Readonly<{
  server: Server;
  transferDir: string;
  /** Listens on 127.0.0.1 (port 0 = a free port) and returns the port. */
  listen: (port: number) => Promise<number>;
  close: () => Promise<void>;
}>;

function refuse(res: ServerResponse, r: Refusal): void {
  res.writeHead(r.status, { 'content-type': 'text/plain; charset=utf-8' }).end(r.reason);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES) throw new TransferError(413, 'Request too large.');
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new TransferError(400, 'The request body is not JSON.');
  }
}

export function createWebHost(options: WebHostOptions): WebHost {
  const { backend, token } = options;
  const transfers = createTransfers();
  const roots = [...options.allowedRoots, transfers.root];
  const handlerNames = new Set<string>(HANDLER_NAMES);
  const eventStreams = new Set<ServerResponse>();
  let port = 0;

  backend.onEvent((name, payload) => {
    const line = `${JSON.stringify({ name, payload })}\n`;
    for (const res of eventStreams) res.write(line);
  });

  async function invoke(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!handlerNames.has(name)) {
      sendJson(res, 404, { ok: false, error: { code: 'UNKNOWN_HANDLER', message: `Unknown request "${name}".` } });
      return;
    }
    const args = await readJson(req);
    const refused = refusedPathArg(name, args, roots);
    if (refused !== null) {
      sendJson(res, 403, {
        ok: false,
        error: {
          code: 'BAD_ARGUMENT',
          message: `Refused: ${refused} is outside the workspace folder and this session's transfer folder.`,
        },
      });
      return;
    }
    sendJson(res, 200, await backend.invoke(name, args));
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    });
    res.write('\n'); // the page's fetch resolves once headers and a first chunk arrive
    eventStreams.add(res);
    req.on('close', () => eventStreams.delete(res));
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const tokenRefusal = checkToken(req, token);
    if (tokenRefusal) return refuse(res, tokenRefusal);
    const [, , route, ...rest] = url.pathname.split('/');
    const method = req.method ?? 'GET';
    if (route === 'invoke' && method === 'POST' && rest.length === 1)
      return invoke(decodeURIComponent(rest[0]!), req, res);
    if (route === 'events' && method === 'GET') return events(req, res);
    if (route === 'session' && method === 'GET') return sendJson(res, 200, { transferDir: transfers.root, sep });
    if (route === 'upload' && method === 'PUT' && rest.length === 2) {
      const path = await transfers.receive(rest[0]!, decodeURIComponent(rest[1]!), req);
      return sendJson(res, 200, { path });
    }
    if (route === 'save-target' && method === 'POST') {
      const body = (await readJson(req)) as { name?: unknown };
      return sendJson(res, 200, { path: transfers.saveTarget(typeof body.name === 'string' ? body.name : 'export') });
    }
    if (route === 'download' && method === 'GET') return transfers.send(url.searchParams.get('path') ?? '', res);
    refuse(res, { status: 404, reason: 'No such API route.' });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const addressRefusal = checkAddress(req, port);
    if (addressRefusal) return refuse(res, addressRefusal);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return api(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, { status: 405, reason: 'Method not allowed.' });
    options.pages(req, res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const status = err instanceof TransferError ? err.status : 500;
      if (!res.headersSent) refuse(res, { status, reason: err instanceof Error ? err.message : String(err) });
      else res.destroy();
    });
  });

  return {
    server,
    transferDir: transfers.root,
    listen: (requested) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(requested, '127.0.0.1', () => {
          port = (server.address() as AddressInfo).port;
          resolve(port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        for (const res of eventStreams) res.end();
        eventStreams.clear();
        server.close(() => {
          transfers.dispose();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
