import { CLIENT_BASE, clientNodeId, MAX_CLIENTS, type Action, type ClientCommand, type TimedAction } from '../sim/actions';

/**
 * The CLI's action language: `;`-separated steps `TIME_MS VERB ARGS`, e.g.
 * "0 crash 2; 3000 write 5; 5000 partition 1,2|3; 9000 heal". ZooKeeper's clients (C1…C9):
 * "0 client 1 connect 2,3; 2000 create 1 /a hello ephemeral; 2500 read 1 /a; 2600 sync 1";
 * a client may be named where a server is (crash c1, partition 1,2|3,c1).
 */
export class ActionSyntaxError extends Error {}

export const MAX_ACTIONS = 10_000;

const ID = /^[1-9]\d{0,3}$/;
const FLAG = /^[A-Za-z]{1,32}$/;

const CLIENT_ID = /^[cC]([1-9])$/;

function id(arg: string | undefined, step: string): number {
  const c = arg === undefined ? null : CLIENT_ID.exec(arg);
  if (c) return clientNodeId(Number(c[1]));
  if (!arg || !ID.test(arg) || Number(arg) >= CLIENT_BASE) throw new ActionSyntaxError(`"${step}": expected a server id (1-999) or a client (c1-c${MAX_CLIENTS}), got ${arg === undefined ? 'nothing' : `"${arg}"`}`);
  return Number(arg);
}

/** A client's number: "1" or "c1". */
function client(arg: string | undefined, step: string): number {
  const m = arg === undefined ? null : /^[cC]?([1-9])$/.exec(arg);
  if (!m) throw new ActionSyntaxError(`"${step}": expected a client number (1-${MAX_CLIENTS}), got ${arg === undefined ? 'nothing' : `"${arg}"`}`);
  return Number(m[1]);
}

export const PATH = /^(\/[A-Za-z0-9._-]{1,32}){1,4}$/;
export const MAX_DATA = 32;
export const DATA = /^[^\s;]{1,32}$/;

function path(arg: string | undefined, step: string): string {
  if (!arg || !PATH.test(arg)) throw new ActionSyntaxError(`"${step}": a path is /name, up to 4 levels (letters, digits, . _ -), got ${arg === undefined ? 'nothing' : `"${arg}"`}`);
  return arg;
}

function data(arg: string | undefined, step: string): string {
  if (arg === undefined || !DATA.test(arg)) throw new ActionSyntaxError(`"${step}": data is 1 to ${MAX_DATA} characters without spaces or ';', got ${arg === undefined ? 'nothing' : `"${arg}"`}`);
  return arg;
}

/** `client C connect S[,S…] [TIMEOUT_MS]`, `create C PATH [DATA] [ephemeral]`, `set C PATH DATA`, `delete C PATH`, `read C PATH`, `sync C`, `close C`. */
function clientVerb(verb: string, args: string[], step: string): Action | null {
  const arity = (lo: number, hi = lo) => {
    if (args.length < lo || args.length > hi) throw new ActionSyntaxError(`"${step}": ${verb} takes ${lo === hi ? lo : `${lo} to ${hi}`} argument${hi === 1 ? '' : 's'}`);
  };
  const mk = (cmd: ClientCommand): Action => ({ verb: 'client', client: client(args[0], step), cmd });
  switch (verb) {
    case 'client': {
      arity(3, 4);
      if (args[1] !== 'connect') throw new ActionSyntaxError(`"${step}": expected "client C connect S[,S…] [TIMEOUT_MS]"`);
      const servers = args[2]!.split(',').map((x) => id(x, step));
      if (servers.some((s) => s >= CLIENT_BASE)) throw new ActionSyntaxError(`"${step}": a client connects to servers, not to a client`);
      // shorter than a second, a client could never connect (its connect timeout is a share of it)
      const timeout = args[3] === undefined ? undefined : Math.round(num(args[3], step, 'TIMEOUT_MS', 1000, 600_000));
      return mk({ op: 'connect', servers, ...(timeout !== undefined ? { timeout } : {}) });
    }
    case 'create': {
      arity(2, 4);
      const rest = args.slice(2);
      const ephemeral = rest[rest.length - 1] === 'ephemeral';
      if (ephemeral) rest.pop();
      if (rest.length > 1) throw new ActionSyntaxError(`"${step}": expected "create C PATH [DATA] [ephemeral]"`);
      // the word itself as data would read back as the flag
      if (rest[0] === 'ephemeral') throw new ActionSyntaxError(`"${step}": "ephemeral" cannot be a znode's data here`);
      return mk({ op: 'create', path: path(args[1], step), data: rest.length ? data(rest[0], step) : '', ephemeral });
    }
    case 'set':
      arity(3);
      return mk({ op: 'setData', path: path(args[1], step), data: data(args[2], step) });
    case 'delete':
      arity(2);
      return mk({ op: 'delete', path: path(args[1], step) });
    case 'read':
      arity(2);
      return mk({ op: 'getData', path: path(args[1], step) });
    case 'sync':
      arity(1);
      return mk({ op: 'sync' });
    case 'close':
      arity(1);
      return mk({ op: 'close' });
    default:
      return null;
  }
}

/** A node as the action language names it: a server by its id, a client as c1…c9. */
function idText(n: number): string {
  return n >= CLIENT_BASE ? `c${n - CLIENT_BASE}` : String(n);
}

function formatClient(at: number, c: number, cmd: ClientCommand): string {
  switch (cmd.op) {
    case 'connect':
      return `${at} client ${c} connect ${cmd.servers.join(',')}${cmd.timeout !== undefined ? ` ${cmd.timeout}` : ''}`;
    case 'create':
      return `${at} create ${c} ${cmd.path}${cmd.data ? ` ${cmd.data}` : ''}${cmd.ephemeral ? ' ephemeral' : ''}`;
    case 'setData':
      return `${at} set ${c} ${cmd.path} ${cmd.data}`;
    case 'delete':
      return `${at} delete ${c} ${cmd.path}`;
    case 'getData':
      return `${at} read ${c} ${cmd.path}`;
    case 'sync':
    case 'close':
      return `${at} ${cmd.op} ${c}`;
  }
}

function num(arg: string | undefined, step: string, what: string, lo: number, hi: number): number {
  const v = arg === undefined ? NaN : Number(arg);
  if (!Number.isFinite(v) || v < lo || v > hi) throw new ActionSyntaxError(`"${step}": ${what} must be a number from ${lo} to ${hi}, got ${arg === undefined ? 'nothing' : `"${arg}"`}`);
  return v;
}

export function parseActions(text: string, knownIds?: ReadonlySet<number>): TimedAction[] {
  const out: TimedAction[] = [];
  const steps = text.split(';').map((s) => s.trim()).filter((s) => s.length > 0);
  if (steps.length > MAX_ACTIONS) throw new ActionSyntaxError(`too many actions (${steps.length}); at most ${MAX_ACTIONS}`);
  for (const step of steps) {
    const [t, verb, ...args] = step.split(/\s+/);
    const at = num(t, step, 'TIME_MS', 0, 1e9);
    if (!Number.isInteger(at)) throw new ActionSyntaxError(`"${step}": TIME_MS must be a whole number of milliseconds`);
    const action = parseVerb(verb, args, step);
    for (const n of idsOf(action)) {
      if (knownIds && n < CLIENT_BASE && !knownIds.has(n)) throw new ActionSyntaxError(`"${step}": there is no server ${n}`);
    }
    out.push({ at, action });
  }
  return out;
}

function parseVerb(verb: string | undefined, args: string[], step: string): Action {
  const arity = (n: number) => {
    if (args.length !== n) throw new ActionSyntaxError(`"${step}": ${verb} takes ${n} argument${n === 1 ? '' : 's'}`);
  };
  switch (verb) {
    case 'crash':
    case 'restart':
    case 'pause':
    case 'resume':
    case 'diskfail':
    case 'diskok':
      arity(1);
      return { verb, id: id(args[0], step) };
    case 'partition': {
      arity(1);
      const groups = args[0]!.split('|').map((g) => g.split(',').filter((x) => x !== '').map((x) => id(x, step)));
      const seen = new Set<number>();
      for (const g of groups) {
        if (g.length === 0) throw new ActionSyntaxError(`"${step}": empty group in partition`);
        for (const n of g) {
          if (seen.has(n)) throw new ActionSyntaxError(`"${step}": server ${n} is in two groups`);
          seen.add(n);
        }
      }
      return { verb, groups };
    }
    case 'heal':
      arity(0);
      return { verb };
    case 'write': {
      // "write 5" goes to the leader; "write 5 @2" to server 2 (a Paxos proposer)
      if (args.length === 2 && args[1]!.startsWith('@')) return { verb, count: num(args[0], step, 'COUNT', 1, 100_000) | 0, node: id(args[1]!.slice(1), step) };
      arity(1);
      return { verb, count: num(args[0], step, 'COUNT', 1, 100_000) | 0 };
    }
    case 'flag':
    case 'unflag': {
      arity(2);
      const name = args[1]!;
      if (!FLAG.test(name)) throw new ActionSyntaxError(`"${step}": a flag name is letters only, got "${name}"`);
      return { verb: 'flag', id: id(args[0], step), name, on: verb === 'flag' };
    }
    case 'loss':
      arity(1);
      return { verb, p: num(args[0], step, 'P', 0, 1) };
    case 'latency': {
      arity(2);
      const min = num(args[0], step, 'MIN', 0, 60_000);
      const max = num(args[1], step, 'MAX', min, 60_000);
      return { verb, min: Math.round(min), max: Math.round(max) };
    }
    case 'drop':
      arity(1);
      return { verb, msg: Math.floor(num(args[0], step, 'MESSAGE_ID', 1, Number.MAX_SAFE_INTEGER)) };
    case 'cut':
    case 'mend': {
      arity(2);
      const a = id(args[0], step);
      const b = id(args[1], step);
      if (a === b) throw new ActionSyntaxError(`"${step}": ${verb} needs two different servers`);
      return { verb, a, b };
    }
    case 'rate':
      arity(1);
      return { verb, perSecond: num(args[0], step, 'WRITES_PER_SECOND', 0, 10_000) };
    default: {
      const c = verb === undefined ? null : clientVerb(verb, args, step);
      if (c) return c;
      throw new ActionSyntaxError(`"${step}": unknown verb ${verb === undefined ? '(none)' : `"${verb}"`}; expected crash, restart, pause, resume, partition, heal, cut, mend, write, rate, diskfail, diskok, flag, unflag, loss, latency, drop, client, create, set, delete, read, sync or close`);
    }
  }
}

/** The servers an action names. */
export function idsOf(a: Action): number[] {
  switch (a.verb) {
    case 'crash':
    case 'restart':
    case 'pause':
    case 'resume':
    case 'diskfail':
    case 'diskok':
    case 'flag':
      return [a.id];
    case 'write':
      return a.node === undefined ? [] : [a.node];
    case 'partition':
      return a.groups.flat();
    case 'cut':
    case 'mend':
      return [a.a, a.b];
    case 'client':
      return a.cmd.op === 'connect' ? a.cmd.servers : [];
    default:
      return [];
  }
}

export function formatAction(a: TimedAction): string {
  const x = a.action;
  switch (x.verb) {
    case 'crash':
    case 'restart':
    case 'pause':
    case 'resume':
    case 'diskfail':
    case 'diskok':
      return `${a.at} ${x.verb} ${idText(x.id)}`;
    case 'partition':
      return `${a.at} partition ${x.groups.map((g) => g.map(idText).join(',')).join('|')}`;
    case 'heal':
      return `${a.at} heal`;
    case 'write':
      return `${a.at} write ${x.count}${x.node === undefined ? '' : ` @${x.node}`}`;
    case 'flag':
      return `${a.at} ${x.on ? 'flag' : 'unflag'} ${idText(x.id)} ${x.name}`;
    case 'loss':
      return `${a.at} loss ${x.p}`;
    case 'latency':
      return `${a.at} latency ${x.min} ${x.max}`;
    case 'drop':
      return `${a.at} drop ${x.msg}`;
    case 'cut':
    case 'mend':
      return `${a.at} ${x.verb} ${idText(x.a)} ${idText(x.b)}`;
    case 'rate':
      return `${a.at} rate ${x.perSecond}`;
    case 'client':
      return formatClient(a.at, x.client, x.cmd);
  }
}
