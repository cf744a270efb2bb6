/**
 * window.api for a browser, talking to `leadbench serve` (electron/web-host) over HTTP with
 * the session token, where the desktop app's preload would talk IPC. Installed only when no
 * preload provided window.api. The shell functions become what a browser can do:
 *  - open dialogs and dropped files are uploaded into the host's private transfer folder
 *    and passed on by path, as the desktop app passes picked paths;
 *  - a save dialog answers with a fresh path in that folder; once a call that wrote it
 *    succeeds, the file is downloaded through the API (and the host deletes it).
 * The token comes from the address `leadbench serve` printed (#token=…, a fragment, so it is
 * never sent to a server); it is kept in sessionStorage for reloads and removed from the URL.
 */
import type { ApiError, FileFilter, LeadbenchApi, Result } from '../../shared/contract';
import { createEventHub } from '../../shared/contract/event-hub';

const TOKEN_HEADER = 'x-leadbench-token';
const TOKEN_KEY = 'leadbench.token';

export class NoSessionError extends Error {}

function takeToken(): string | null {
  const fromUrl = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    history.replaceState(null, '', location.pathname + location.search);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** A name the host keeps as is (its own rule is wider), so the page knows an upload's path in advance. */
function plainFileName(name: string): string {
  const plain = name
    .replace(/[^A-Za-z0-9._ -]/g, '_')
    .slice(0, 200)
    .trim();
  return plain === '' || plain === '.' || plain === '..' ? 'file' : plain;
}

function transferId(): string {
  return crypto.randomUUID().replace(/-/g, '');
}

function failure(code: ApiError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

/** `<input type=file>` as the open dialog; resolves null when the user cancels. */
function pickFile(filters: readonly FileFilter[] | undefined): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    const extensions = (filters ?? []).flatMap((f) => f.extensions).filter((x) => x !== '*');
    if (extensions.length) input.accept = extensions.map((x) => `.${x}`).join(',');
    input.addEventListener('change', () => resolve(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => resolve(null), { once: true });
    input.click();
  });
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export async function installWebApi(): Promise<void> {
  const token = takeToken();
  if (!token) throw new NoSessionError('This page needs the address `leadbench serve` printed (it ends in #token=…).');
  const headers = { [TOKEN_HEADER]: token };

  const sessionResponse = await fetch('/api/session', { headers });
  if (!sessionResponse.ok) throw new NoSessionError(await sessionResponse.text());
  const session = (await sessionResponse.json()) as { transferDir: string; sep: string };

  const events = createEventHub();
  const uploads = new Map<string, Promise<void>>();
  const pendingSaves = new Set<string>();

  async function listen(): Promise<void> {
    for (;;) {
      try {
        const res = await fetch('/api/events', { headers });
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffered = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffered += value;
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines) {
            if (!line.trim()) continue;
            const event = JSON.parse(line) as { name: string; payload: unknown };
            events.dispatch(event.name, event.payload);
          }
        }
      } catch {
        // The host restarted or the connection dropped: try again shortly.
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** Uploads a file to the path announced for it; returns that path at once. */
  function upload(file: File): { path: string; done: Promise<void> } {
    const id = transferId();
    const name = plainFileName(file.name);
    const path = [session.transferDir, id, name].join(session.sep);
    const done = fetch(`/api/upload/${id}/${encodeURIComponent(name)}`, { method: 'PUT', headers, body: file }).then(
      async (res) => {
        if (!res.ok) throw new Error(`Uploading ${file.name} failed: ${await res.text()}`);
        const stored = ((await res.json()) as { path: string }).path;
        if (stored !== path) throw new Error(`Uploading ${file.name} stored it as ${stored}, not ${path}.`);
      },
    );
    uploads.set(path, done);
    // A failed upload stays listed, so the call that names its path reports the failure.
    done.then(
      () => uploads.delete(path),
      () => undefined,
    );
    return { path, done };
  }

  async function download(path: string): Promise<void> {
    const res = await fetch(`/api/download?path=${encodeURIComponent(path)}`, { headers });
    if (!res.ok) throw new Error(`Downloading ${basename(path)} failed: ${await res.text()}`);
    const disposition = res.headers.get('content-disposition') ?? '';
    const name = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
    const href = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = href;
    a.download = name ? decodeURIComponent(name) : basename(path);
    a.click();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  }

  /** The paths among a call's top-level arguments that match `set`. */
  function pathsIn(args: unknown, candidates: Iterable<string>): string[] {
    const values = new Set(Object.values((args ?? {}) as Record<string, unknown>));
    return [...candidates].filter((p) => values.has(p));
  }

  async function invoke(name: string, args: unknown): Promise<Result<unknown>> {
    try {
      await Promise.all(pathsIn(args, uploads.keys()).map((p) => uploads.get(p)));
    } catch (err) {
      return failure('IMPORT_UNREADABLE', err instanceof Error ? err.message : String(err));
    }
    let result: Result<unknown>;
    try {
      const res = await fetch(`/api/invoke/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(args ?? {}),
      });
      result = res.headers.get('content-type')?.startsWith('application/json')
        ? ((await res.json()) as Result<unknown>)
        : failure('INTERNAL', await res.text());
    } catch (err) {
      return failure('INTERNAL', `Leadbench (leadbench serve) is not reachable: ${String(err)}`);
    }
    const saves = pathsIn(args, pendingSaves);
    for (const p of saves) pendingSaves.delete(p);
    if (!result.ok) return result;
    try {
      for (const p of saves) await download(p);
    } catch (err) {
      return failure('EXPORT_FAILED', err instanceof Error ? err.message : String(err));
    }
    return result;
  }

  const api: LeadbenchApi = {
    invoke: invoke as LeadbenchApi['invoke'],
    on: events.on,
    shell: {
      nativeMenu: false,
      openFileDialog: async (o) => {
        const file = await pickFile(o.filters);
        if (!file) return null;
        const { path, done } = upload(file);
        await done;
        return path;
      },
      saveFileDialog: async (o) => {
        const res = await fetch('/api/save-target', {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ name: basename(o.defaultPath ?? 'export') }),
        });
        if (!res.ok) return null;
        const { path } = (await res.json()) as { path: string };
        pendingSaves.add(path);
        return path;
      },
      pathForFile: (file) => (file instanceof File ? upload(file).path : ''),
    },
  };
  Object.defineProperty(window, 'api', { value: Object.freeze(api), writable: false, configurable: false });
  void listen();
}
