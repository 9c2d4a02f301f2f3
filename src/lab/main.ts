/**
 * `npm run lab` (issue 21): a real ZooKeeper ensemble on this machine's loopback, and the page
 * beside it in lab mode, served together on 127.0.0.1 by one process that owns everything it
 * starts and removes it all on exit. Its flags are a public contract.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { spawn, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { serveLab } from './bridge';
import { ensureZooKeeper, RealEnsemble } from './ensemble';
import { LabRun } from './run';
import { LabAttach, readAttach } from './attach';
import { LAB_MAX_SERVERS } from '../core/lab/wire';

const USAGE = `usage: npm run lab -- [--voters N] [--observers M] [--port P] [--zk-port Z] [--tick-time MS] [--together] [--no-open]
       npm run lab -- --attach HOST:PORT,HOST:PORT,... [--logs FILE,FILE,...] [--admin URL,URL,...] [--port P] [--no-open]
  starts a real ZooKeeper ensemble on 127.0.0.1 (Debian's zookeeper package, or the installation
  ZK_HOME names), N voters (3) and M observers (0), each link through a proxy that can cut it,
  and serves the page in lab mode on port P (4180); ZooKeeper's ports start at Z (21000);
  tickTime is MS (2000; initLimit 10 and syncLimit 5 ticks, as ZooKeeper's sample config).
  The servers start one by one, each once the one before looks for a leader; --together starts
  them all at once (a close race that the JVMs' start-up decides, which the model cannot know).
  Prints "lab: open <address>" (the address carries this run's token) and opens a browser
  unless --no-open. Ctrl-C stops the servers and removes their files.
  --attach watches an ensemble that already runs, here or elsewhere, read-only: each server's
  client port (srvr answers by default; allow conf and mntr too for its id and figures:
  4lw.commands.whitelist=srvr,conf,mntr), with --logs each one's log file (or log folder: its
  newest .log or .out) on this machine, and with --admin each one's AdminServer (for example
  http://host:8080: its zab phase and figures), in the same order. Nothing is done to it.`;

function fail(msg: string): never {
  process.stderr.write(`lab: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function whole(v: string | undefined, name: string, dflt: number, lo: number, hi: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < lo || Number(v) > hi) fail(`--${name} must be a whole number from ${lo} to ${hi}, got "${v}"`);
  return Number(v);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { voters: { type: 'string' }, observers: { type: 'string' }, port: { type: 'string' }, 'zk-port': { type: 'string' }, 'tick-time': { type: 'string' }, attach: { type: 'string' }, logs: { type: 'string' }, admin: { type: 'string' }, 'no-open': { type: 'boolean' }, together: { type: 'boolean' }, help: { type: 'boolean' } }, strict: true }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const voters = whole(values.voters, 'voters', 3, 1, LAB_MAX_SERVERS);
  const observers = whole(values.observers, 'observers', 0, 0, LAB_MAX_SERVERS - voters);
  const port = whole(values.port, 'port', 4180, 1024, 65535);
  const zkPort = whole(values['zk-port'], 'zk-port', 21000, 1024, 65000);
  const tickTime = whole(values['tick-time'], 'tick-time', 2000, 100, 60_000);
  if (values.logs !== undefined && values.attach === undefined) fail('--logs goes with --attach (a run reads its own servers’ logs)');
  if (values.admin !== undefined && values.attach === undefined) fail('--admin goes with --attach (a run asks its own servers’ AdminServers)');
  const points = values.attach === undefined ? null : readAttach(values.attach, values.logs, values.admin);
  if (typeof points === 'string') fail(points);
  if (!points) {
    const missing = ensureZooKeeper();
    if (missing)
      fail(`${missing}.\n  On Debian or Ubuntu: sudo apt-get install -y zookeeper (it brings a Java runtime).\n  Elsewhere: download ZooKeeper 3.5-3.9 from zookeeper.apache.org and set ZK_HOME to its folder.`);
  }

  const token = randomBytes(24).toString('base64url');
  const ensemble = points ? null : new RealEnsemble(voters, observers, zkPort, [], 'default', { links: true, name: `zab-viz-lab-${process.pid}`, tickTime, admin: true });
  if (values.together && points) fail('--together goes with a run (an ensemble watched is already started)');
  const lab = ensemble ? new LabRun(ensemble, values.together ?? false) : new LabAttach(points!);
  const { createServer: createVite } = await import('vite');
  let vite: import('vite').ViteDevServer | null = null;
  const http = createServer((req, res) => {
    serveLab(req, res, { token, port, target: lab })
      .then((handled) => {
        if (!handled) vite!.middlewares(req, res);
      })
      .catch(() => {
        res.statusCode = 500;
        res.end();
      });
  });

  // the page's dev client keeps a socket to its server: on this server's own port (two labs, or
  // a lab beside npm run dev, would otherwise fight over Vite's default port)
  vite = await createVite({ server: { middlewareMode: true, ws: { server: http } }, appType: 'spa', logLevel: 'warn' });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(ensemble ? 'lab: stopping the servers and removing their files\n' : 'lab: no longer watching\n');
    await lab.stop().catch(() => undefined);
    await vite?.close().catch(() => undefined);
    http.close();
    process.exit(code);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void stop(0));
  process.on('uncaughtException', (e) => {
    process.stderr.write(`lab: ${e.message}\n`);
    void stop(1);
  });
  // the last resort: whatever ends this process, its JVMs end with it
  process.on('exit', () => ensemble?.stopAll());

  await new Promise<void>((done, reject) => {
    http.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new Error(`port ${port} is taken: try --port`) : e));
    http.listen(port, '127.0.0.1', () => done());
  }).catch((e: Error) => {
    fail(e.message);
  });
  await lab.start();
  const url = `http://127.0.0.1:${port}/#lab=${token}`;
  if (points) process.stdout.write(`lab: watching ${points.map((p) => `${p.host}:${p.port}${p.log ? ` (log ${p.log})` : ''}${p.admin ? ` (AdminServer ${p.admin})` : ''}`).join(', ')}, read-only; Ctrl-C stops watching\n`);
  else process.stdout.write(`lab: ${voters} voters${observers ? ` and ${observers} observers` : ''} starting on 127.0.0.1 (ZooKeeper ports from ${zkPort}); Ctrl-C stops them\n`);
  process.stdout.write(`lab: open ${url}\n`);
  if (!values['no-open'] && spawnSync('which', ['xdg-open']).status === 0) spawn('xdg-open', [url], { stdio: 'ignore', detached: true }).unref();
}

void main();
