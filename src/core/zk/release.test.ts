/**
 * Where ZooKeeper's releases differ (zk/release.ts), each rule seen through the simulator: the
 * same scenario on the releases before and after the JIRA that changed it.
 */
import { describe, expect, it } from 'vitest';
import { parseActions } from '../scenario/actionText';
import { defaultScenario } from '../scenario/scenario';
import { buildZabRun, runTo } from '../scenario/run';
import { labelMessages } from '../sim/simulator';
import type { ZkMessage } from './messages';
import type { ZkRelease } from './release';
import { makeZxid } from './zxid';

const z = (c: number) => makeZxid(1, c);

/** Server 1 misses five writes while down, then is synced by DIFF with them (PROPOSAL + COMMIT each, then NEWLEADER). */
function diffSync(zk: ZkRelease) {
  const r = buildZabRun(defaultScenario({ voters: 3, zk, disk: { latencyMin: 20, latencyMax: 20 }, actions: parseActions('1000 write 2; 2000 crash 1; 3000 write 5; 5000 restart 1') }));
  r.sim.records = [];
  r.sim.log.keepsSent = true;
  // what server 1's disk held when it sent each ACK
  const onDisk: { label: string; logged: number }[] = [];
  while (r.sim.now < 8000 && r.sim.step()) {
    r.checker.afterStep(r.sim);
    for (const s of r.sim.lastStep.sent) {
      if (s.from !== 1 || s.msg.kind !== 'ACK' || r.sim.now < 5000) continue;
      const log = (r.sim.node(1).durable.log as number[] | undefined) ?? [];
      onDisk.push({ label: r.sim.protocol.label(s.msg as ZkMessage), logged: log.filter((x) => x >= z(3) && x <= z(7)).length });
    }
  }
  const recs = labelMessages(r.sim.records!, (m: ZkMessage) => r.sim.protocol.label(m)).filter((x) => x.node === 1 && x.time >= 5000);
  const sent = recs.filter((x) => x.type === 'send' && x.kind === 'ACK').map((x) => String(x.args.label));
  const upToDate = recs.find((x) => x.type === 'deliver' && x.kind === 'UPTODATE')!.time;
  const acks = recs.filter((x) => x.type === 'send' && x.kind === 'ACK').map((x) => ({ label: String(x.args.label), time: x.time }));
  return { r, sent, acks, upToDate, onDisk: onDisk.filter((a) => a.label === '1:0') };
}

describe('ZooKeeper releases', () => {
  it('3.8.0 ACKs NEWLEADER before the synced txns are on disk (ZOOKEEPER-4646), and each txn as it is flushed', () => {
    const { sent, onDisk, r } = diffSync('3.8.0');
    // the first ACK of counter 0 is NEWLEADER's: none of the five txns was on the disk yet
    expect(onDisk[0]!.logged).toBe(0);
    expect(sent[0]).toBe('1:0');
    expect(sent.filter((l) => l !== '1:0')).toEqual(['1:3', '1:4', '1:5', '1:6', '1:7']);
    expect(r.checker.violations).toEqual([]);
  });

  it('3.8.5 (ZOOKEEPER-4785) fsyncs them first, and ACKs them only after UPTODATE', () => {
    const { acks, onDisk, upToDate, r } = diffSync('3.8.5');
    expect(onDisk[0]!.logged).toBe(5);
    const txnAcks = acks.filter((a) => a.label !== '1:0');
    expect(txnAcks.map((a) => a.label)).toEqual(['1:3', '1:4', '1:5', '1:6', '1:7']);
    expect(txnAcks.every((a) => a.time >= upToDate)).toBe(true);
    expect(r.checker.violations).toEqual([]);
  });

  it('3.9 (ZOOKEEPER-4394) logs the committed txns at NEWLEADER and ACKs none of them', () => {
    const { sent, onDisk, r } = diffSync('3.9');
    expect(onDisk[0]!.logged).toBe(5);
    expect(sent).toEqual(['1:0', '1:0']); // NEWLEADER's and UPTODATE's
    expect(r.sim.node(1).state!.history).toEqual(r.sim.node(3).state!.history);
    expect(r.checker.violations).toEqual([]);
  });

  it('3.8 leaves a learner\'s unflushed txns out of its tree and vote when its role ends (ZOOKEEPER-4712); 3.9 flushes them first', () => {
    // a slow disk: the leader crashes while its followers still hold the proposal in their log queue
    const look = (zk: ZkRelease) => {
      const r = buildZabRun(defaultScenario({ voters: 3, zk, disk: { latencyMin: 400, latencyMax: 400 }, actions: parseActions('3000 write 1; 3100 crash 3') }));
      runTo(r, 3100);
      const s = r.sim.node(1).state!;
      expect(s.unflushed).toEqual([z(1)]);
      while (r.sim.node(1).state!.state === 'FOLLOWING' && r.sim.step()) r.checker.afterStep(r.sim);
      const after = r.sim.node(1).state!;
      return { inTree: after.history.includes(z(1)), vote: after.currentVote.zxid, r };
    };
    const old = look('3.8.0');
    expect(old.inTree).toBe(false);
    const fixed = look('3.9');
    expect(fixed.inTree).toBe(true);
    // on 3.8 the orphaned log thread still writes it: on disk, yet not in the tree
    runTo(old.r, 4000);
    expect(old.r.sim.node(1).durable.log).toContain(z(1));
  });

  it('3.8.0 loses a committed txn when a follower crashes between its NEWLEADER ACK and its log flush (ZOOKEEPER-4646); 3.8.5 and 3.9 keep it', () => {
    // w2 (1:2) is committed by 2 and 3; 2 then leads epoch 2 and DIFFs it to 1. On 3.8.0, 1 writes
    // currentEpoch 2 and ACKs NEWLEADER before 1:2 is on its disk; it crashes in that window, then
    // so does 2. Restarted, 1's vote (epoch 2, 1:1) beats 3's (epoch 1, 1:2): 1 leads and TRUNCs 3.
    const run = (zk: ZkRelease) => {
      const r = buildZabRun(defaultScenario({ voters: 3, zk, disk: { latencyMin: 40, latencyMax: 40 }, actions: parseActions('1000 write 1; 2000 crash 1; 3000 write 1; 4000 crash 3; 4500 restart 1; 5034 crash 1; 5064 crash 2; 6000 restart 1; 6000 restart 3') }));
      runTo(r, 12_000);
      return r;
    };
    const old = run('3.8.0');
    expect(old.checker.violations.map((v) => v.invariant)).toContain('NoCommittedLoss');
    expect(old.sim.node(3).state!.history).toEqual([z(1)]); // 1:2 is gone from the survivors
    for (const zk of ['3.8.5', '3.9'] as const) {
      const r = run(zk);
      expect(r.checker.violations, zk).toEqual([]);
      expect(r.sim.node(3).state!.history, zk).toEqual([z(1), z(2)]);
    }
  });
});
