import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { serveLab, type LabTarget } from './bridge';
import type { LabAction, LabState } from '../core/lab/wire';

/** A target that records what it was asked to do, in place of real servers. */
class FakeTarget implements LabTarget {
  done: LabAction[] = [];
  logsAsked: [number, number][] = [];
  constructor(readonly mode: 'run' | 'attach') {}
  state(): LabState {
    const server = (id: number) => ({ id, role: 'voter' as const, up: true, paused: false, mode: null, zxid: null, acceptedEpoch: null, currentEpoch: null, logBytes: 10 });
    return { mode: this.mode, release: '3.8.0', origin: 0, now: 1, tickTime: 2000, rate: 0, servers: [server(1), server(2), server(3)], cut: [], actions: [] };
  }
  log(id: number, from: number): { from: number; text: string } | null {
    this.logsAsked.push([id, from]);
    return id <= 3 ? { from, text: 'a line\n' } : null;
  }
  async act(a: LabAction): Promise<void> {
    this.done.push(a);
  }
}

const TOKEN = 'a-token-of-this-run-0123456789';

async function bridge(target: LabTarget): Promise<{ server: Server; port: number }> {
  let port = 0;
  const server = createServer((req, res) => {
    void serveLab(req, res, { token: TOKEN, port, target }).then((handled) => {
      if (!handled) res.writeHead(200).end('page');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  port = (server.address() as AddressInfo).port;
  return { server, port };
}

/** A raw request, headers exactly as given (a browser's, curl's, another site's). */
function ask(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, setHost: false, agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', fail);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('the lab bridge refuses what is not its page asking for one of its verbs', () => {
  const run = new FakeTarget('run');
  const attach = new FakeTarget('attach');
  let a: { server: Server; port: number };
  let b: { server: Server; port: number };
  beforeAll(async () => {
    a = await bridge(run);
    b = await bridge(attach);
  });
  afterAll(() => {
    a.server.close();
    b.server.close();
  });
  const good = (port: number) => ({ host: `127.0.0.1:${port}`, 'x-zab-viz-lab': TOKEN });
  const post = (port: number) => ({ ...good(port), origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json' });

  it('answers its own page: the state, a log by server id, an action', async () => {
    expect((await ask(a.port, 'GET', '/lab/api/state', good(a.port))).status).toBe(200);
    const log = await ask(a.port, 'GET', '/lab/api/log?id=2&from=5', good(a.port));
    expect(JSON.parse(log.body)).toEqual({ id: 2, from: 5, text: 'a line\n' });
    const r = await ask(a.port, 'POST', '/lab/api/action', post(a.port), JSON.stringify({ verb: 'crash', id: 2 }));
    expect(r.status).toBe(200);
    expect(run.done).toEqual([{ verb: 'crash', id: 2 }]);
  });

  it('refuses no token, a wrong token, another origin, another host, a change without an origin, a cross-site fetch', async () => {
    run.done = [];
    const cases: [Record<string, string>, number][] = [
      [{ host: `127.0.0.1:${a.port}` }, 401],
      [{ ...good(a.port), 'x-zab-viz-lab': 'guess' }, 401],
      [{ ...good(a.port), origin: 'http://evil.example' }, 403],
      [{ ...good(a.port), origin: `http://127.0.0.1:${a.port + 1}` }, 403],
      [{ ...good(a.port), host: `evil.example:${a.port}` }, 403],
      [{ ...good(a.port), 'sec-fetch-site': 'cross-site' }, 403],
    ];
    for (const [headers, status] of cases) {
      expect((await ask(a.port, 'GET', '/lab/api/state', headers)).status, JSON.stringify(headers)).toBe(status);
      expect((await ask(a.port, 'POST', '/lab/api/action', { 'content-type': 'application/json', ...headers }, '{"verb":"heal"}')).status).toBeGreaterThanOrEqual(400);
    }
    // curl with the token but no origin: a change is refused
    expect((await ask(a.port, 'POST', '/lab/api/action', { ...good(a.port), 'content-type': 'application/json' }, '{"verb":"heal"}')).status).toBe(403);
    expect(run.done).toEqual([]);
  });

  it('refuses verbs it does not offer, servers it does not have, paths, and oversized or broken bodies', async () => {
    run.done = [];
    for (const body of ['{"verb":"exec","cmd":"rm -rf /"}', '{"verb":"crash","id":7}', '{"verb":"crash","id":"1; kill"}', '{"verb":"cut","a":1,"b":1}', '{"verb":"read","node":7}', '{"verb":"read"}', '{"verb":"crash","id":1,"pid":1}', 'not json', JSON.stringify({ verb: 'heal', pad: 'x'.repeat(10_000) })]) {
      const r = await ask(a.port, 'POST', '/lab/api/action', post(a.port), body);
      expect(r.status, body).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
    }
    for (const path of ['/lab/api/log?id=../../etc/passwd', '/lab/api/log?id=1&from=-1', '/lab/api/log?path=/etc/passwd', '/lab/api/log?id=9']) {
      const r = await ask(a.port, 'GET', path, good(a.port));
      expect([400, 404], path).toContain(r.status);
    }
    expect((await ask(a.port, 'GET', '/lab/api/shutdown', good(a.port))).status).toBe(404);
    expect((await ask(a.port, 'DELETE', '/lab/api/state', good(a.port))).status).toBe(403);
    expect(run.done).toEqual([]);
  });

  it('attached to an ensemble that runs elsewhere, it does nothing to it', async () => {
    const r = await ask(b.port, 'POST', '/lab/api/action', post(b.port), JSON.stringify({ verb: 'crash', id: 1 }));
    expect(r.status).toBe(403);
    expect(attach.done).toEqual([]);
    expect((await ask(b.port, 'GET', '/lab/api/state', good(b.port))).status).toBe(200);
  });

  it('never throws or echoes markup, whatever a request says', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), fc.constantFrom('GET', 'POST', 'PUT'), fc.string({ maxLength: 60 }), async (body, method, tail) => {
        const r = await ask(a.port, method, `/lab/api/${encodeURIComponent(tail)}`, post(a.port), body);
        expect(r.status).toBeGreaterThanOrEqual(200);
        expect(r.status).toBeLessThan(500);
        expect(r.body).not.toContain('<');
      }),
      { numRuns: 150 },
    );
  });
});
