/**
 * Who may talk to the web host. The server listens on 127.0.0.1 only, but any web page the
 * user visits can send requests to loopback, and a DNS-rebinding page can even make them
 * same-origin under its own host name. So every request must name exactly our address in
 * Host (and in Origin when the browser sends one), and every API call must carry the
 * per-run token, which only the address the CLI printed knows (in its #fragment, which
 * browsers never send to a server or put in a Referer).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-leadbench-token';

/** 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export type Refusal = Readonly<{ status: number; reason: string }>;

/** Host must be our exact loopback address; Origin, when present, our exact origin. */
export function checkAddress(req: IncomingMessage, port: number): Refusal | null {
  const host = `127.0.0.1:${port}`;
  if (req.headers.host !== host) return { status: 403, reason: `Refused: Host must be ${host}.` };
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return { status: 403, reason: `Refused: requests from ${origin} are not allowed.` };
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') return { status: 403, reason: 'Refused: cross-site request.' };
  return null;
}

export function checkToken(req: IncomingMessage, token: string): Refusal | null {
  const sent = req.headers[TOKEN_HEADER];
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  const expected = Buffer.from(token);
  const ok = given.length === expected.length && timingSafeEqual(given, expected);
  return ok
    ? null
    : { status: 401, reason: 'Refused: missing or wrong session token. Open the address leadbench serve printed.' };
}
