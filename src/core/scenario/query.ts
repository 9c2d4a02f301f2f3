import { ActionSyntaxError, parseActions } from './actionText';
import { defaultScenario, LIMITS, nodeIds, type Scenario } from './scenario';
import { PROTOCOLS, type ProtocolName } from './kits';
import { problemText, type Problem } from './problems';
import { isRelease, ZK_RELEASES } from '../zk/release';

/**
 * Read a scenario from a page's query string (?voters=5&observers=1&zk=3.9&seed=7&actions=...&until=MS).
 * Untrusted input: anything wrong yields the default scenario plus a message naming the problem.
 */
export interface QueryResult {
  scenario: Scenario;
  runTo: number | null;
  /** the problem in English; `problem`, the same for the catalogue */
  error: string | null;
  problem: Problem | null;
}

class QueryProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problemText(problem));
  }
}

const MAX_QUERY = 8192;
/** The page draws at most this many servers, whether from its dialog, a link or a file; the CLI goes further. */
export const PAGE_LIMITS = { voters: 15, observers: 30, proposers: 5, learners: 5 };

export function scenarioFromQuery(search: string): QueryResult {
  const fallback = (problem: Problem): QueryResult => ({ scenario: defaultScenario(), runTo: null, error: problemText(problem), problem });
  if (search.length > MAX_QUERY) return fallback({ code: 'problem.tooLong', args: { length: search.length, max: MAX_QUERY } });
  let q: URLSearchParams;
  try {
    q = new URLSearchParams(search);
  } catch {
    return fallback({ code: 'problem.unreadable' });
  }
  const int = (name: string, lo: number, hi: number, dflt: number): number => {
    const v = q.get(name);
    if (v === null || v === '') return dflt;
    if (!/^\d{1,9}$/.test(v)) throw new QueryProblem({ code: 'problem.whole', args: { field: name } });
    const n = Number(v);
    if (n < lo || n > hi) throw new QueryProblem({ code: 'problem.range', args: { field: name, min: lo, max: hi, value: n } });
    return n;
  };
  try {
    const protocolText = q.get('protocol') ?? 'zab';
    if (!(PROTOCOLS as readonly string[]).includes(protocolText)) throw new QueryProblem({ code: 'problem.oneOf', args: { field: 'protocol', options: PROTOCOLS.join(', ') } });
    const protocol = protocolText as ProtocolName;
    const voters = int('voters', protocol === '2pc' ? 2 : LIMITS.voters.min, PAGE_LIMITS.voters, protocol === '2pc' ? 4 : 3);
    const observers = protocol === 'zab' ? int('observers', LIMITS.observers.min, PAGE_LIMITS.observers, 0) : 0;
    const modeText = q.get('mode') ?? 'basic';
    if (modeText !== 'basic' && modeText !== 'multi') throw new QueryProblem({ code: 'problem.oneOf', args: { field: 'mode', options: 'basic, multi' } });
    const paxos = { proposers: int('proposers', 1, PAGE_LIMITS.proposers, 2), learners: int('learners', 0, PAGE_LIMITS.learners, 1), mode: modeText as 'basic' | 'multi' };

    const zkText = q.get('zk');
    if (zkText !== null && (protocol !== 'zab' || !isRelease(zkText))) throw new QueryProblem(protocol !== 'zab' ? { code: 'problem.releaseZabOnly' } : { code: 'problem.oneOf', args: { field: 'zk', options: ZK_RELEASES.join(', ') } });
    const seedText = q.get('seed') ?? '1';
    if (seedText.length > 64) throw new QueryProblem({ code: 'problem.textTooLong', args: { field: 'seed', max: 64 } });
    const seed = /^\d+$/.test(seedText) ? Number(seedText) : seedText;
    const ids = nodeIds({ protocol, voters, observers, paxos });
    const actions = parseActions(q.get('actions') ?? '', ids);
    const untilText = q.get('until');
    const runTo = untilText === null ? null : int('until', LIMITS.until.min, LIMITS.until.max, 0);
    const zk = zkText !== null && isRelease(zkText) ? { zk: zkText } : {};
    return { scenario: defaultScenario({ protocol, voters, observers, seed, actions, ...zk, ...(protocol === 'paxos' ? { paxos } : {}) }), runTo, error: null, problem: null };
  } catch (e) {
    if (e instanceof QueryProblem) return fallback(e.problem);
    if (e instanceof ActionSyntaxError) return fallback({ code: 'problem.actions', args: { message: e.message } });
    return fallback({ code: 'problem.unreadable' });
  }
}
