import { createServer, type Server } from 'node:net';
import { createServer as createHttp, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync, appendFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabAttach, readAttach } from './attach';

/** A server's client port as the four-letter words see it (release-3.8.0-1's srvr and conf). */
function fakeServer(id: number, mode: string | null, zxid: string): Server {
  return createServer((s) =>
    s.once('data', (d) => {
      const word = d.toString();
      if (word === 'conf') s.end(`clientPort=2181\ndataDir=/x\ntickTime=500\nserverId=${id}\n`);
      else if (word === 'srvr')
        s.end(mode === null ? 'This ZooKeeper instance is not currently serving requests\n' : `Zookeeper version: 3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f, built on 2022-02-25 08:49 UTC\nLatency min/avg/max: 0/0.0/0\nZxid: ${zxid}\nMode: ${mode}\nNode count: 5\n`);
      else if (word === 'mntr' && mode !== null) s.end(`zk_version\t3.8.0-5a02a05\nzk_server_state\t${mode}\nzk_znode_count\t5\nzk_synced_followers\t2\nzk_secret_thing\t1\n`);
      else s.end();
    }),
  );
}

/**
 * An AdminServer (release-3.8.0-1's JettyAdminServer): zabstate and monitor as JSON; between
 * roles, Commands.runCommand's "not currently serving" error instead.
 */
function fakeAdmin(id: number, serving: boolean): HttpServer {
  return createHttp((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (!serving) return res.end(JSON.stringify({ command: 'zabstate', error: 'This ZooKeeper instance is not currently serving requests' }));
    if (req.url === '/commands/zabstate') return res.end(JSON.stringify({ command: 'zabstate', error: null, myid: id, is_leader: true, voting: true, last_zxid: '0x200000003', zab_epoch: 2, zab_counter: 3, zabstate: 'broadcast' }));
    if (req.url === '/commands/monitor') return res.end(JSON.stringify({ command: 'monitor', error: null, server_state: 'leader', looking_count: 1, learners: 2 }));
    res.statusCode = 404;
    res.end();
  });
}

describe('attach: an ensemble that already runs, watched read-only', () => {
  const servers = [fakeServer(7, 'leader', '0x200000003'), fakeServer(4, null, '0x0')];
  const admins = [fakeAdmin(7, true), fakeAdmin(4, false)];
  const ports: number[] = [];
  const adminPorts: number[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'zab-viz-attach-'));
  const log = join(dir, 'zookeeper.log');
  beforeAll(async () => {
    for (const s of servers) {
      await new Promise<void>((done) => s.listen(0, '127.0.0.1', () => done()));
      ports.push((s.address() as AddressInfo).port);
    }
    for (const s of admins) {
      await new Promise<void>((done) => s.listen(0, '127.0.0.1', () => done()));
      adminPorts.push((s.address() as AddressInfo).port);
    }
  });
  afterAll(() => [...servers, ...admins].forEach((s) => s.close()));

  it('reads host:port lists, and says what is wrong with a bad one', () => {
    expect(readAttach('10.0.0.5:2181,zk2.example:2181,[::1]:2182', 'a.log')).toEqual([
      { host: '10.0.0.5', port: 2181, log: 'a.log' },
      { host: 'zk2.example', port: 2181 },
      { host: '::1', port: 2182 },
    ]);
    for (const bad of ['', 'zk1', 'zk1:0', 'zk1:99999', 'zk 1:2181', 'a:1;rm -rf /:2']) expect(typeof readAttach(bad, undefined), bad).toBe('string');
    expect(readAttach('a:1', 'x.log,y.log')).toMatch(/more files/);
    // AdminServers in the same order, as base URLs (a /commands/ the person copied is dropped)
    expect(readAttach('a:1,b:2', undefined, 'http://a:8080,https://b:8443/commands/')).toEqual([
      { host: 'a', port: 1, admin: 'http://a:8080' },
      { host: 'b', port: 2, admin: 'https://b:8443' },
    ]);
    for (const bad of ['ftp://a/', 'a:8080', 'http://u:p@a:8080', 'javascript:alert(1)']) expect(readAttach('a:1', undefined, bad), bad).toMatch(/not an AdminServer/);
    expect(readAttach('a:1', undefined, 'http://a:1,http://b:2')).toMatch(/more AdminServers/);
    // a log folder: the newest .log or .out in it
    const folder = mkdtempSync(join(tmpdir(), 'zab-viz-logdir-'));
    writeFileSync(join(folder, 'old.log'), 'x\n');
    writeFileSync(join(folder, 'notes.txt'), 'x\n');
    const newest = join(folder, 'zookeeper-zk-server-host.out');
    writeFileSync(newest, 'y\n');
    utimesSync(join(folder, 'old.log'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    expect(readAttach('a:1', folder)).toEqual([{ host: 'a', port: 1, log: newest }]);
  });

  it('learns each server’s id, mode, zxid and release from its four-letter words; one being elected is up without a mode', async () => {
    writeFileSync(log, '2026-12-06 08:41:53,118 [myid:7] - INFO  [main:QuorumPeer@1] - LOOKING\npartial line');
    const lab = new LabAttach([
      { host: '127.0.0.1', port: ports[0]!, log, admin: `http://127.0.0.1:${adminPorts[0]}` },
      { host: '127.0.0.1', port: ports[1]!, admin: `http://127.0.0.1:${adminPorts[1]}` },
    ]);
    await lab.start();
    await expect.poll(() => lab.state().servers.every((s) => s.up), { timeout: 5000 }).toBe(true);
    const st = lab.state();
    expect(st).toMatchObject({ mode: 'attach', release: '3.8.0', tickTime: 500, cut: [], actions: [] });
    expect(st.servers).toEqual([
      expect.objectContaining({ id: 7, up: true, mode: 'leader', zxid: 0x200000003, currentEpoch: 2, paused: false }),
      expect.objectContaining({ id: 4, up: true, mode: null, zxid: null }),
    ]);
    // the AdminServer's zab phase, and mntr's figures (the ones shown, from both sources)
    expect(st.servers[0]).toMatchObject({ zab: 'broadcast', mntr: { server_state: 'leader', znode_count: '5', synced_followers: '2', looking_count: '1', learners: '2' } });
    expect(st.servers[0]!.mntr).not.toHaveProperty('secret_thing');
    // not serving is an answer: it is between roles (being elected)
    expect(st.servers[1]).toMatchObject({ zab: 'not serving', mntr: {} });
    // the log named for it, whole lines only, asked for by id (never by path)
    const first = lab.log(7, 0, 1 << 20)!;
    expect(first).toEqual({ from: 0, text: '2026-12-06 08:41:53,118 [myid:7] - INFO  [main:QuorumPeer@1] - LOOKING\n' });
    appendFileSync(log, ' ends here\n');
    expect(lab.log(7, Buffer.byteLength(first.text), 1 << 20)!.text).toBe('partial line ends here\n');
    expect(lab.log(4, 0, 100)).toEqual({ from: 0, text: '' });
    expect(lab.log(9, 0, 100)).toBeNull();
    await expect(lab.act({ verb: 'crash', id: 7 })).rejects.toThrow(/nothing is done/);
    await lab.stop();
  });
});
