/**
 * The lab bridge's HTTP face (issue 21): the page's worker asks it for the ensemble's state, for
 * the servers' logs, and for faults. It is served on 127.0.0.1 only, beside the page, and it is
 * careful: every request must name this host and port (no DNS rebinding), carry this run's token
 * in a header (another site cannot), come from this page's origin when it says one (and always
 * for a POST), and ask for one of the few verbs it offers. Paths are never taken from a request:
 * a log is asked for by server id.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LAB_LOG_CHUNK, LAB_TOKEN_HEADER, readLabAction, type LabAction, type LabState } from '../core/lab/wire';

/** What the bridge runs or watches: a real ensemble started here, or one attached to. */
export interface LabTarget {
  readonly mode: 'run' | 'attach';
  state(): LabState;
  /** up to `max` bytes of server `id`'s log from byte `from`, or null if there is no such server or log */
  log(id: number, from: number, max: number): { from: number; text: string } | null;
  /** do it to the real ensemble (attach mode: refused) */
  act(action: LabAction): Promise<void>;
}

export interface BridgeOptions {
  token: string;
  /** the port the page and the bridge are served on (127.0.0.1) */
  port: number;
  target: LabTarget;
}

const MAX_BODY = 4096;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

/** Why a request is refused, or null if it may be served. */
export function refusal(req: IncomingMessage, opts: Pick<BridgeOptions, 'token' | 'port'>): { status: number; error: string } | null {
  const hosts = [`127.0.0.1:${opts.port}`, `localhost:${opts.port}`];
  if (!hosts.includes(req.headers.host ?? '')) return { status: 403, error: 'this bridge answers only at its own loopback address' };
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`)) return { status: 403, error: 'requests from another origin are refused' };
  if (req.method !== 'GET' && origin === undefined) return { status: 403, error: 'a change must say its origin' };
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return { status: 403, error: 'requests from another site are refused' };
  const token = req.headers[LAB_TOKEN_HEADER];
  if (typeof token !== 'string' || !sameSecret(token, opts.token)) return { status: 401, error: 'this run’s token is missing or wrong' };
  return null;
}

/** The request's body, or null past MAX_BODY (the rest is not read: the answer closes the connection). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((done) => {
    let size = 0;
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.pause();
        done(null);
      } else parts.push(c);
    });
    req.on('end', () => done(Buffer.concat(parts).toString('utf8')));
    req.on('error', () => done(null));
  });
}

/**
 * Serve /lab/api/… ; returns false for any other path (the page's files, served beside it). Every
 * answer is JSON; nothing a request says is echoed back as markup.
 */
export async function serveLab(req: IncomingMessage, res: ServerResponse, opts: BridgeOptions): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (!url.pathname.startsWith('/lab/api/')) return false;
  const no = refusal(req, opts);
  if (no) {
    reply(res, no.status, { error: no.error });
    return true;
  }
  const route = `${req.method} ${url.pathname}`;
  try {
    if (route === 'GET /lab/api/state') reply(res, 200, opts.target.state());
    else if (route === 'GET /lab/api/log') {
      const id = url.searchParams.get('id') ?? '';
      const from = url.searchParams.get('from') ?? '0';
      if (!/^\d{1,2}$/.test(id) || !/^\d{1,15}$/.test(from)) reply(res, 400, { error: 'a log is asked for by server id and byte offset' });
      else {
        const got = opts.target.log(Number(id), Number(from), LAB_LOG_CHUNK);
        if (got) reply(res, 200, { id: Number(id), ...got });
        else reply(res, 404, { error: `no server ${id}` });
      }
    } else if (route === 'POST /lab/api/action') {
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return reply(res, 415, { error: 'an action is JSON' }), true;
      const body = await readBody(req);
      if (body === null) {
        res.setHeader('connection', 'close');
        reply(res, 413, { error: 'an action is a small JSON object' });
        res.on('finish', () => req.destroy());
        return true;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      const read = parsed === undefined ? { error: 'an action is a small JSON object' } : readLabAction(parsed);
      if ('error' in read) reply(res, 400, read);
      else if (opts.target.mode === 'attach') reply(res, 403, { error: 'attached to an ensemble that runs elsewhere: nothing is done to it' });
      else {
        const known = opts.target.state().servers.map((s) => s.id);
        const ids = idsOf(read.action);
        const unknown = ids.find((i) => !known.includes(i));
        if (unknown !== undefined) reply(res, 400, { error: `there is no server ${unknown}` });
        else {
          await opts.target.act(read.action);
          reply(res, 200, { ok: true });
        }
      }
    } else reply(res, 404, { error: 'the lab offers state, log and action, nothing else' });
  } catch (e) {
    reply(res, 500, { error: (e as Error).message.slice(0, 300) });
  }
  return true;
}

function idsOf(a: LabAction): number[] {
  switch (a.verb) {
    case 'crash':
    case 'restart':
    case 'pause':
    case 'resume':
      return [a.id];
    case 'cut':
    case 'mend':
      return [a.a, a.b];
    case 'partition':
      return a.groups.flat();
    case 'write':
      return a.node === undefined ? [] : [a.node];
    case 'read':
      return [a.node];
    case 'heal':
    case 'rate':
      return [];
  }
}
