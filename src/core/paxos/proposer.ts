/**
 * What both kinds of proposer share: ballots that stay unique across crashes (the round is on
 * disk before any PREPARE carries it), the randomized back-off, and answering CATCHUP.
 */
import type { Durable, NodeId } from '../sim/types';
import { fmt } from './ballot';
import type { Value } from './messages';
import { DISK, note, type Env, type ProposerState } from './state';

export function emptyProposer(id: NodeId, d: Durable): ProposerState {
  const round = (d[DISK.round] as number | undefined) ?? 0;
  return {
    role: 'proposer',
    id,
    phase: 'IDLE',
    round,
    seenRound: round,
    ballot: null,
    ballotReady: false,
    promises: [],
    preemptions: 0,
    received: [],
    own: null,
    value: null,
    highest: null,
    accepts: [],
    decided: null,
    from: 0,
    merged: {},
    log: [],
    chosenUpTo: 0,
    nextSlot: 0,
    queue: [],
    leader: null,
    leaderBallot: null,
    phase1Runs: 0,
  };
}

/**
 * A new ballot above every round used or seen. Its round goes to disk first: a proposer that
 * crashed after sending PREPARE must never reuse that ballot (perhaps with another value).
 */
export function beginRound(p: ProposerState, env: Env): void {
  const round = Math.max(p.round, p.seenRound) + 1;
  p.round = round;
  p.ballot = { round, proposer: p.id };
  p.phase = 'PREPARING';
  p.ballotReady = false;
  p.promises = [];
  p.accepts = [];
  p.highest = null;
  p.merged = {};
  p.value = p.own;
  p.from = p.chosenUpTo;
  env.ctx.cancelTimer('backoff');
  env.ctx.persist([{ op: 'set', key: DISK.round, value: round }], { kind: 'round', round });
}

/** The round is durable: now PREPARE may go out. Returns false if the write was superseded or failed. */
export function onRoundWritten(p: ProposerState, env: Env, round: number, ok: boolean): boolean {
  if (p.phase !== 'PREPARING' || p.ballotReady || p.ballot?.round !== round) return false;
  if (!ok) {
    note(env, 'paxos.diskFailed', { what: 'round', detail: fmt(p.ballot) });
    backOff(p, env);
    return false;
  }
  p.ballotReady = true;
  p.phase1Runs++;
  env.ctx.setTimer('phase', env.cfg.timing.prepareTimeout);
  for (const a of env.cfg.acceptors) env.ctx.send(a, { kind: 'PREPARE', ballot: p.ballot, from: p.from });
  note(env, 'paxos.prepare', { ballot: fmt(p.ballot), from: p.from });
  return true;
}

/** Wait a random time before trying a higher round, so that two dueling proposers drift apart. */
export function backOff(p: ProposerState, env: Env): void {
  const { backoffMin, backoffMax } = env.cfg.timing;
  const ms = backoffMin + Math.floor(env.ctx.random() * (backoffMax - backoffMin + 1));
  p.phase = 'BACKOFF';
  env.ctx.cancelTimer('phase');
  env.ctx.setTimer('backoff', ms);
  note(env, 'paxos.backoff', { ms, round: Math.max(p.round, p.seenRound) + 1 });
}

/** The chosen values this proposer knows, in consecutive slots from `from` (at most `max`). */
export function chosenRun(p: ProposerState, from: number, max = 32): Value[] {
  if (p.decided !== null) return from === 0 ? [p.decided] : [];
  const out: Value[] = [];
  for (let s = from; s < p.log.length && out.length < max; s++) {
    const e = p.log[s];
    if (!e?.chosen) break;
    out.push(e.value);
  }
  return out;
}

/** CATCHUP: a learner (or a proposer) asks for chosen values it missed. */
export function onCatchup(p: ProposerState, env: Env, from: NodeId, slot: number): void {
  const values = chosenRun(p, slot);
  if (values.length) env.ctx.send(from, { kind: 'CHOSEN', slot, values });
}
