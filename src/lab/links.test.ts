import { createServer, connect, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Links } from './links';

/** Send a line through a port and wait for its echo (or for the connection to be closed on it). */
function echoThrough(port: number): Promise<'echo' | 'closed'> {
  return new Promise((done) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.write('ping\n'));
    s.on('data', () => {
      s.destroy();
      done('echo');
    });
    s.on('close', () => done('closed'));
    s.on('error', () => undefined);
  });
}

describe('links through proxies: cut, mended, partitioned, healed', () => {
  let echo: Server;
  let links: Links;
  const base = 41_000 + Math.floor(Math.random() * 10_000);
  const ports = { quorumPort: () => 0, electionPort: () => 0, linkPort: (from: number, to: number, kind: 'quorum' | 'election') => base + (kind === 'quorum' ? 0 : 50) + from * 10 + to };
  beforeAll(async () => {
    echo = createServer((s) => s.pipe(s));
    await new Promise<void>((done) => echo.listen(0, '127.0.0.1', () => done()));
    const target = (echo.address() as AddressInfo).port;
    ports.quorumPort = () => target;
    ports.electionPort = () => target;
    links = new Links(3, ports);
    await links.start();
  });
  afterAll(async () => {
    await links.close();
    echo.close();
  });

  it('carries bytes both ways until the link is cut; a cut drops open connections and refuses new ones', async () => {
    expect(await echoThrough(ports.linkPort(1, 2, 'quorum'))).toBe('echo');
    // a connection open when the cut comes is dropped
    const open = connect({ host: '127.0.0.1', port: ports.linkPort(2, 1, 'election') });
    await new Promise((r) => open.once('connect', r));
    const dropped = new Promise((r) => open.once('close', r));
    links.cut(1, 2);
    await dropped;
    // both directions, both ports; the other links carry on
    expect(await echoThrough(ports.linkPort(1, 2, 'quorum'))).toBe('closed');
    expect(await echoThrough(ports.linkPort(2, 1, 'election'))).toBe('closed');
    expect(await echoThrough(ports.linkPort(1, 3, 'quorum'))).toBe('echo');
    expect(links.cuts).toEqual([[1, 2]]);
    links.mend(2, 1);
    expect(await echoThrough(ports.linkPort(1, 2, 'quorum'))).toBe('echo');
    expect(links.cuts).toEqual([]);
  });

  it('a partition cuts every link between groups (a server named in none is alone); heal mends all', async () => {
    links.partition([[1, 2]]);
    expect(links.cuts).toEqual([
      [1, 3],
      [2, 3],
    ]);
    expect(await echoThrough(ports.linkPort(1, 2, 'election'))).toBe('echo');
    expect(await echoThrough(ports.linkPort(3, 1, 'quorum'))).toBe('closed');
    links.heal();
    expect(links.cuts).toEqual([]);
    expect(await echoThrough(ports.linkPort(3, 1, 'quorum'))).toBe('echo');
  });
});
