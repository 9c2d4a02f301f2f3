/**
 * Guided scenarios: each a preset run with captions at its pause points, together covering the
 * user's seed notes. Captions live in the message catalogue as `guide.<id>.<n>` (n from 0) and the
 * title as `guide.<id>.title`; `check` states what the last caption promises, and the tests hold
 * every preset to it.
 */
import { parseActions } from './actionText';
import { defaultScenario, nodeIds, type CompareTarget, type Scenario } from './scenario';
import type { DiskConfig } from '../sim/state';
import type { ZkRelease } from '../zk/release';
import type { ZabAblations, ZkTiming } from '../zk/config';
import type { ProtocolName } from './kits';

export interface Preset {
  id: string;
  protocol: ProtocolName;
  voters: number;
  observers?: number;
  paxos?: Scenario['paxos'];
  seed?: number;
  timing?: Partial<ZkTiming>;
  actions: string;
  /** times of the pause points; caption n belongs to pauses[n] */
  pauses: number[];
  /** where the story ends */
  until: number;
  /** ZAB rules switched off: the story shows what breaks (its test checks the violation it promises) */
  ablations?: ZabAblations;
  /** what the story shows (a rule switched off, a real bug) costs liveness, not safety: it breaks no invariant */
  stalls?: true;
  /** a real ZooKeeper bug (the museum): the release that has it, the JIRA, and the release set beside it that fixed it */
  zk?: ZkRelease;
  bug?: string;
  compare?: CompareTarget;
  disk?: DiskConfig;
}

export const PRESETS: readonly Preset[] = [
  // every server starts LOOKING and votes for itself; the best vote gathers a quorum
  { id: 'first-election', protocol: 'zab', voters: 3, actions: '', pauses: [0, 22, 52, 75, 400, 540], until: 1000 },
  // S1 holds more txns than S2: the larger zxid beats the larger myid; S3 then joins and follows
  { id: 'zxid-beats-myid', protocol: 'zab', voters: 3, actions: '500 crash 2; 1000 write 3; 2000 crash 3; 2000 crash 1; 3000 restart 1; 3000 restart 2; 6000 restart 3', pauses: [0, 1900, 3000, 3600, 6000, 6300], until: 7000 },
  // five configured voters, three down: two live servers are not a majority of five
  { id: 'configured-quorum', protocol: 'zab', voters: 5, actions: '0 crash 3; 0 crash 4; 0 crash 5; 10000 restart 5', pauses: [0, 3000, 10000, 10500], until: 11000 },
  // four voters tolerate one failure, like three: the second failure stops the ensemble
  { id: 'odd-size', protocol: 'zab', voters: 4, actions: '3000 crash 1; 6000 crash 2', pauses: [0, 500, 3100, 6500], until: 10000 },
  // the leader crashes: a new election, a new epoch, zxids start at 0x2…
  { id: 'leader-crash', protocol: 'zab', voters: 3, actions: '1000 write 3; 3000 crash 3; 6000 write 2; 9000 restart 3', pauses: [0, 1200, 3040, 3600, 6200, 9400], until: 10000 },
  // a minority leader commits nothing; the majority elects and commits; the old leader steps down
  { id: 'split-brain', protocol: 'zab', voters: 5, actions: '1000 write 2; 3000 partition 4,5|1,2,3; 3500 write 2 @5; 13500 write 2; 18000 heal', pauses: [0, 1200, 3000, 4000, 13000, 14500, 18000, 21100], until: 21500 },
  // a follower that missed a few txns gets just those: DIFF
  { id: 'sync-diff', protocol: 'zab', voters: 3, actions: '1000 write 2; 2000 crash 1; 3000 write 5; 5000 restart 1', pauses: [0, 2000, 3200, 5000, 5300], until: 6000 },
  // a leader alone logs proposals that never gather a quorum of ACKs: never committed, cut by TRUNC
  { id: 'no-quorum-trunc', protocol: 'zab', voters: 3, actions: '1000 write 1; 2000 partition 3|1,2; 2100 write 3 @3; 14000 heal', pauses: [0, 2000, 2300, 12000, 12500, 14000, 15600], until: 16000 },
  // a follower with nothing the leader can replay from (here zxid 0x0) gets a whole snapshot: SNAP
  { id: 'sync-snap', protocol: 'zab', voters: 3, actions: '500 crash 1; 1000 write 5; 3000 restart 1', pauses: [0, 500, 1200, 3000, 3300], until: 4000 },
  // the leader's own log write fails: it does not count its ACK and gives up leading
  { id: 'disk-refuses-write', protocol: 'zab', voters: 3, actions: '1000 diskfail 3; 1500 write 1; 3000 diskok 3; 3500 write 1', pauses: [0, 1000, 1600, 3100, 3600], until: 4000 },
  // the low 32 bits of the zxid run out: a new epoch is the only way on
  { id: 'zxid-rollover', protocol: 'zab', voters: 3, timing: { initialZxidCounter: 0xfffffffa }, actions: '1000 write 6', pauses: [0, 500, 1000, 1500], until: 2000 },
  // observers learn every commit but never vote: they cannot save a quorum
  { id: 'observers', protocol: 'zab', voters: 3, observers: 2, actions: '1000 write 2; 3000 crash 4; 4000 write 1; 6000 crash 2; 6000 crash 1', pauses: [0, 500, 1200, 3200, 4200, 6500], until: 8000 },
  // one participant votes no: one veto aborts the transaction
  { id: '2pc-veto', protocol: '2pc', voters: 4, actions: '1000 write 1; 2500 flag 3 voteNo; 3000 write 1', pauses: [0, 1020, 1200, 2500, 3200], until: 4000 },
  // the coordinator crashes after the votes: prepared participants block, holding their locks
  { id: '2pc-blocking', protocol: '2pc', voters: 4, actions: '1000 write 1; 1035 crash 1; 20000 restart 1', pauses: [0, 1010, 1100, 10000, 20000, 20200], until: 21000 },
  // two proposers at once pre-empt each other until randomized back-off lets one finish
  { id: 'paxos-duel', protocol: 'paxos', voters: 3, seed: 11, paxos: { proposers: 2, learners: 1, mode: 'basic', timing: { backoffMin: 10, backoffMax: 30 } }, actions: '500 write 1 @4; 500 write 1 @5', pauses: [0, 500, 533, 590, 690], until: 1500 },
  // what a client sees (issue 22): a read from a follower behind the leader is stale, and allowed; sync makes the next one current
  { id: 'client-stale-read', protocol: 'zab', voters: 3, actions: '1000 client 1 connect 1; 1000 client 2 connect 2; 2000 create 2 /a v1; 3000 cut 1 3; 3100 set 2 /a v2; 3500 read 1 /a; 3600 sync 1; 3700 read 1 /a; 5000 mend 1 3', pauses: [0, 1200, 2200, 3300, 3560, 4500, 5100], until: 5500 },
  // a session outlives its leader: the client reconnects to another server within its timeout
  { id: 'client-session-survives', protocol: 'zab', voters: 3, actions: '1000 client 1 connect 3,1,2; 2000 create 1 /e x ephemeral; 3000 crash 3', pauses: [0, 2200, 3030, 3520, 3700], until: 4500 },
  // behind a partition past its timeout, a session expires: its ephemeral node goes with it
  { id: 'client-ephemeral-expires', protocol: 'zab', voters: 3, actions: '1000 client 1 connect 3 6000; 2000 create 1 /e x ephemeral; 3000 partition 1,2|3; 24000 heal', pauses: [0, 2200, 3100, 13000, 14600, 21100, 24600], until: 25500 },
  // a server behind what the client has seen refuses it: the client never sees the tree go back
  { id: 'client-refused', protocol: 'zab', voters: 3, actions: '1000 client 1 connect 3; 2000 cut 1 3; 2100 create 1 /a x; 3000 client 1 connect 1; 5000 mend 1 3; 5500 read 1 /a', pauses: [0, 2250, 3030, 4900, 5350, 5600], until: 6000 },
  // Multi-Paxos: one phase 1, then each value costs one ACCEPT round, as ZAB's PROPOSAL / ACK
  // ablations: one rule of ZAB switched off, and the invariant that breaks without it
  // liveQuorum: the leader cut off with one follower counts 2 of the 2 voters it reaches as a majority
  { id: 'ablation-live-quorum', protocol: 'zab', voters: 5, ablations: { liveQuorum: true }, actions: '1000 write 2; 3000 partition 4,5|1,2,3; 3500 write 2 @5; 13500 write 2; 18000 heal', pauses: [0, 3000, 3700, 13700, 18600], until: 20000 },
  // commitEarly: the leader commits on its own log write, then crashes before anyone else logged it
  { id: 'ablation-commit-early', protocol: 'zab', voters: 3, ablations: { commitEarly: true }, actions: '1000 write 1; 1010 crash 3; 5000 write 1; 8000 restart 3', pauses: [0, 1008, 1600, 5100, 8600], until: 9000 },
  // noTrunc: the old leader's unacknowledged proposals survive its return as DIFF, then clash with new commits
  { id: 'ablation-no-trunc', protocol: 'zab', voters: 3, ablations: { noTrunc: true }, actions: '1000 write 1; 2000 partition 3|1,2; 2100 write 3 @3; 14000 heal; 17000 write 2', pauses: [0, 2300, 14000, 15600, 17300], until: 18000 },
  // voteByMyid: the shorter log wins by myid; Leader.waitForEpochAck refuses the follower ahead of it, again and again
  { id: 'ablation-vote-by-myid', protocol: 'zab', voters: 3, ablations: { voteByMyid: true }, stalls: true, actions: '500 crash 2; 1000 write 3; 2000 crash 3; 2000 crash 1; 3000 restart 1; 3000 restart 2; 25900 crash 2; 26000 restart 3', pauses: [0, 1900, 3000, 3500, 23720, 26700], until: 27500 },
  // the museum: a real ZooKeeper bug on the release that has it, beside the release that fixed it
  // ZOOKEEPER-4646 (fixed by 4785 in 3.8.5): a follower ACKs NEWLEADER before the sync's txns are on its disk
  { id: 'zookeeper-4646', protocol: 'zab', voters: 3, zk: '3.8.0', bug: 'ZOOKEEPER-4646', compare: 'zab@3.8.5', disk: { latencyMin: 40, latencyMax: 40 }, actions: '1000 write 1; 2000 crash 1; 3000 write 1; 4000 crash 3; 4500 restart 1; 5034 crash 1; 5064 crash 2; 6000 restart 1; 6000 restart 3', pauses: [0, 3100, 4864, 5033, 5065, 6542], until: 8000 },
  // ZOOKEEPER-4882 (open to 3.9.5): a failed log write leaves txns in memory the disk never got
  { id: 'zookeeper-4882', protocol: 'zab', voters: 3, zk: '3.8.0', bug: 'ZOOKEEPER-4882', disk: { latencyMin: 40, latencyMax: 40 }, actions: '1000 write 1; 2000 partition 1; 2100 write 1; 2200 diskfail 1; 2300 heal; 2600 diskok 1; 3500 write 2; 4500 crash 1; 4600 restart 1', pauses: [0, 1200, 2250, 2400, 3000, 3700, 4833], until: 5000 },
  // ZOOKEEPER-4394 (fixed in 3.9.3): a COMMIT between NEWLEADER and UPTODATE finds no proposal left
  { id: 'zookeeper-4394', protocol: 'zab', voters: 3, zk: '3.8.0', bug: 'ZOOKEEPER-4394', stalls: true, compare: 'zab@3.9', actions: '1000 write 1; 2000 crash 1; 2820 rate 10; 3000 restart 1; 3600 rate 0', pauses: [0, 2900, 3152, 3160, 3194, 3400], until: 4000 },
  // ZooKeeper's own behaviour (Leader.processAck): an ACK counted from before a learner's TRUNC
  { id: 'stale-ack', protocol: 'zab', voters: 5, bug: 'stale-ack', disk: { latencyMin: 40, latencyMax: 40 }, actions: '1000 write 1; 2000 cut 5 1; 2000 cut 5 2; 2000 cut 5 4; 2100 write 1; 2300 crash 3; 2400 restart 3; 2580 mend 5 4; 3000 heal', pauses: [0, 1200, 2250, 2600, 2661, 3200], until: 4000 },
  // ZOOKEEPER-4712 (fixed in 3.9.3): a 3.8 follower's shutdown leaves its log queue unflushed
  { id: 'zookeeper-4712', protocol: 'zab', voters: 3, zk: '3.8.0', bug: 'ZOOKEEPER-4712', compare: 'zab@3.9', disk: { latencyMin: 40, latencyMax: 40 }, actions: '1000 write 1; 2000 crash 2; 2100 write 1; 2125 crash 3; 2200 restart 2; 3000 write 1; 3500 restart 3; 4000 crash 1; 4100 restart 1', pauses: [0, 1200, 2130, 2170, 2900, 3200, 4338], until: 5000 },
  // a finding (3.8.x; closed by 3.9.3's ZOOKEEPER-4394 change): a sync cut short after the NEWLEADER ACK keeps the old tree
  { id: 'sync-cut-short', protocol: 'zab', voters: 3, zk: '3.8.0', bug: 'sync-cut-short', compare: 'zab@3.9', disk: { latencyMin: 40, latencyMax: 40 }, actions: '1000 write 1; 2000 crash 2; 2100 write 2; 3000 crash 3; 3500 restart 2; 4025 crash 1; 9000 restart 3', pauses: [0, 1200, 2300, 3400, 3977, 4026, 4100, 9540], until: 10000 },
  { id: 'multi-paxos', protocol: 'paxos', voters: 3, paxos: { proposers: 2, learners: 1, mode: 'multi' }, actions: '1000 write 3; 3000 crash 4; 6000 write 2', pauses: [0, 900, 1100, 3000, 6200], until: 8000 },
];

/** The guided story that shows what switching off one ZAB rule (`zab.<name>`) does, if there is one. */
export function storyOf(ablation: string): string | null {
  const rule = ablation.startsWith('zab.') ? ablation.slice(4) : null;
  const p = PRESETS.find((x) => x.ablations && Object.keys(x.ablations).length === 1 && rule !== null && rule in x.ablations);
  return p?.id ?? null;
}

export function presetById(id: string): Preset | null {
  return PRESETS.find((p) => p.id === id) ?? null;
}

export function presetScenario(p: Preset): Scenario {
  const ids = nodeIds({ protocol: p.protocol, voters: p.voters, observers: p.observers ?? 0, ...(p.paxos ? { paxos: p.paxos } : {}) });
  return defaultScenario({
    protocol: p.protocol,
    voters: p.voters,
    observers: p.observers ?? 0,
    timing: { ...(p.timing ?? {}) },
    actions: parseActions(p.actions, ids),
    seed: p.seed ?? 1,
    guide: p.id,
    pauses: p.pauses.map((at, n) => ({ at, key: `guide.${p.id}.${n}` })),
    ...(p.paxos ? { paxos: p.paxos } : {}),
    ...(p.ablations ? { ablations: { zab: { ...p.ablations } } } : {}),
    ...(p.zk ? { zk: p.zk } : {}),
    ...(p.disk ? { disk: { ...p.disk } } : {}),
  });
}
