import { describe, expect, it } from 'vitest';
import { runChecked } from '../check/types';
import { Simulator } from '../sim/simulator';
import { parseActions } from '../scenario/actionText';
import { TwoPcChecker } from './checker';
import { twoPcConfig, twoPcNodes } from './config';
import type { TwoPcMessage } from './messages';
import { createTwoPc } from './twopc';

/** 2PC whose participant 2 answers a PREPARE with a yes vote before its PREPARED record is on disk. */
function hastyRun() {
  const proto = createTwoPc(twoPcConfig(3));
  const hasty: typeof proto = {
    ...proto,
    onMessage(s, from, msg, conn, ctx) {
      if (ctx.self === 2 && msg.kind === 'PREPARE') ctx.send(from, { kind: 'VOTE', tx: msg.tx, vote: 'yes' } satisfies TwoPcMessage);
      proto.onMessage(s, from, msg, conn, ctx);
    },
  };
  const sim = new Simulator(hasty, { seed: 1, nodes: twoPcNodes(3), net: { latencyMin: 10, latencyMax: 30, loss: 0 }, disk: { latencyMin: 1, latencyMax: 4 } });
  sim.log.keepsSent = true;
  sim.start(parseActions('100 write 1'));
  return { sim, checker: new TwoPcChecker() };
}

describe('2PC checker', () => {
  it('WriteAheadLog: a yes vote sent before its record is on disk is caught, naming the sender', () => {
    const r = hastyRun();
    runChecked(r.sim, r.checker, 2000);
    const wal = r.checker.violations.filter((v) => v.invariant === 'WriteAheadLog');
    expect(wal.length).toBe(1);
    expect(wal[0]!.nodes).toEqual([2]);
  });
});
