/**
 * The built renderer as static files. Only files inside the renderer folder are served (the
 * request path is decoded, resolved and checked against the folder after links are
 * resolved), and index.html carries the same Content-Security-Policy as the desktop app: the
 * policy is read from the page's own meta tag, so there is one definition of it.
 */
import { createReadStream, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { isInside } from './allowed-paths';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The policy in index.html's `<meta http-equiv="Content-Security-Policy">`. */
export function readContentSecurityPolicy(indexHtml: string): string {
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(indexHtml);
  if (!meta?.[1]) throw new Error('index.html has no Content-Security-Policy meta tag; refusing to serve it.');
  return meta[1];
}

/** Headers for the page itself: its CSP (plus what only a header can say) and no caching of the token page. */
export function pageHeaders(csp: string): Record<string, string> {
  return {
    'content-security-policy': `${csp}; frame-ancestors 'none'`,
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
  };
}

export type StaticFiles = Readonly<{
  csp: string;
  /** Serves the file for a URL path, or answers 404. */
  serve: (urlPath: string, res: ServerResponse) => void;
}>;

export function staticFiles(rendererDir: string): StaticFiles {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`No built renderer in ${resolve(rendererDir)}: run "npm run build" first.`);
  }
  const root = realpathSync(resolve(rendererDir));
  const index = join(root, 'index.html');
  const csp = readContentSecurityPolicy(readFileSync(index, 'utf8'));

  function resolveFile(urlPath: string): string | null {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return null;
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return null;
    const candidate = resolve(root, `.${decoded === '/' ? '/index.html' : decoded}`);
    if (!isInside(root, candidate) || !existsSync(candidate)) return null;
    const real = realpathSync(candidate);
    return isInside(root, real) && statSync(real).isFile() ? real : null;
  }

  return {
    csp,
    serve: (urlPath, res) => {
      const file = resolveFile(urlPath);
      if (!file) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      const isPage = file === index;
      res.writeHead(200, {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        ...(isPage ? pageHeaders(csp) : { 'cache-control': 'no-cache' }),
      });
      createReadStream(file).pipe(res);
    },
  };
}
