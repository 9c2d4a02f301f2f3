import type { Action, TimedAction } from '../sim/actions';

/**
 * The CLI's action language: `;`-separated steps `TIME_MS VERB ARGS`, e.g.
 * "0 crash 2; 3000 write 5; 5000 partition 1,2|3; 9000 heal".
 */
export class ActionSyntaxError extends Error {}

export const MAX_ACTIONS = 10_000;

const ID = /^[1-9]\d{0,3}$/;
const FLAG = /^[A-Za-z]{1,32}$/;

function id(arg: string | undefined, step: string): number {
  if (!arg || !ID.test(arg)) throw new ActionSyntaxError(`"${step}": expected a server id (1-9999), got ${arg === undefined ? 'nothing' : `"${arg}"`}`);
  return Number(arg);
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
      if (knownIds && !knownIds.has(n)) throw new ActionSyntaxError(`"${step}": there is no server ${n}`);
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
    default:
      throw new ActionSyntaxError(`"${step}": unknown verb ${verb === undefined ? '(none)' : `"${verb}"`}; expected crash, restart, pause, resume, partition, heal, cut, mend, write, rate, diskfail, diskok, flag, unflag, loss, latency or drop`);
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
      return `${a.at} ${x.verb} ${x.id}`;
    case 'partition':
      return `${a.at} partition ${x.groups.map((g) => g.join(',')).join('|')}`;
    case 'heal':
      return `${a.at} heal`;
    case 'write':
      return `${a.at} write ${x.count}${x.node === undefined ? '' : ` @${x.node}`}`;
    case 'flag':
      return `${a.at} ${x.on ? 'flag' : 'unflag'} ${x.id} ${x.name}`;
    case 'loss':
      return `${a.at} loss ${x.p}`;
    case 'latency':
      return `${a.at} latency ${x.min} ${x.max}`;
    case 'drop':
      return `${a.at} drop ${x.msg}`;
    case 'cut':
    case 'mend':
      return `${a.at} ${x.verb} ${x.a} ${x.b}`;
    case 'rate':
      return `${a.at} rate ${x.perSecond}`;
  }
}
