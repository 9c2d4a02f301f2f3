import { ActionSyntaxError, parseActions } from './actionText';
import { defaultScenario, LIMITS, nodeIds, type Scenario } from './scenario';
import { PROTOCOLS, type ProtocolName } from './kits';

/**
 * Read a scenario from a page's query string (?voters=5&observers=1&seed=7&actions=...&until=MS).
 * Untrusted input: anything wrong yields the default scenario plus a message naming the problem.
 */
export interface QueryResult {
  scenario: Scenario;
  runTo: number | null;
  error: string | null;
}

const MAX_QUERY = 8192;
/** The page draws at most this many servers; the CLI goes further. */
export const PAGE_LIMITS = { voters: 15, observers: 30 };

export function scenarioFromQuery(search: string): QueryResult {
  const fallback = (error: string): QueryResult => ({ scenario: defaultScenario(), runTo: null, error });
  if (search.length > MAX_QUERY) return fallback(`the link is too long (${search.length} characters; at most ${MAX_QUERY})`);
  let q: URLSearchParams;
  try {
    q = new URLSearchParams(search);
  } catch {
    return fallback('the link could not be read');
  }
  const int = (name: string, lo: number, hi: number, dflt: number): number => {
    const v = q.get(name);
    if (v === null || v === '') return dflt;
    if (!/^\d{1,9}$/.test(v)) throw new RangeError(`"${name}" must be a whole number, got "${v.slice(0, 40)}"`);
    const n = Number(v);
    if (n < lo || n > hi) throw new RangeError(`"${name}" must be from ${lo} to ${hi}, got ${n}`);
    return n;
  };
  try {
    const protocolText = q.get('protocol') ?? 'zab';
    if (!(PROTOCOLS as readonly string[]).includes(protocolText)) throw new RangeError(`"protocol" must be one of ${PROTOCOLS.join(', ')}, got "${protocolText.slice(0, 40)}"`);
    const protocol = protocolText as ProtocolName;
    const voters = int('voters', protocol === '2pc' ? 2 : LIMITS.voters.min, PAGE_LIMITS.voters, protocol === '2pc' ? 4 : 3);
    const observers = protocol === 'zab' ? int('observers', LIMITS.observers.min, PAGE_LIMITS.observers, 0) : 0;
    const modeText = q.get('mode') ?? 'basic';
    if (modeText !== 'basic' && modeText !== 'multi') throw new RangeError(`"mode" must be basic or multi, got "${modeText.slice(0, 40)}"`);
    const paxos = { proposers: int('proposers', 1, 5, 2), learners: int('learners', 0, 5, 1), mode: modeText as 'basic' | 'multi' };

    const seedText = q.get('seed') ?? '1';
    if (seedText.length > 64) throw new RangeError('"seed" is at most 64 characters');
    const seed = /^\d+$/.test(seedText) ? Number(seedText) : seedText;
    const ids = nodeIds({ protocol, voters, observers, paxos });
    const actions = parseActions(q.get('actions') ?? '', ids);
    const untilText = q.get('until');
    const runTo = untilText === null ? null : int('until', LIMITS.until.min, LIMITS.until.max, 0);
    return { scenario: defaultScenario({ protocol, voters, observers, seed, actions, ...(protocol === 'paxos' ? { paxos } : {}) }), runTo, error: null };
  } catch (e) {
    if (e instanceof RangeError || e instanceof ActionSyntaxError) return fallback(e.message);
    return fallback('the link could not be read');
  }
}
