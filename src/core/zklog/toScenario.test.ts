import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEnsemble, type LogFileIn } from './ensemble';
import { firstDisagreement, logMilestones, modelMilestones, releaseFor, scenarioOfLogs, type LogScenario } from './toScenario';

const ROOT = 'testdata/logs/3.8.0';
const filesOf = (dir: string): LogFileIn[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));

function replay(files: LogFileIn[]) {
  const log = readEnsemble(files);
  const r = scenarioOfLogs(log) as LogScenario;
  const until = log.beats.at(-1)!.t - log.beats[0]!.t + 5000;
  return { log, r, real: logMilestones(log), model: modelMilestones(r.scenario, until) };
}

describe('real logs replayed in the simulator', () => {
  for (const layout of ['default', 'debian']) {
    for (const name of readdirSync(join(ROOT, layout))) {
      it(`${layout}/${name}: the model elects the same leaders and epochs, and syncs each learner the same way`, () => {
        const { r, real, model } = replay(filesOf(join(ROOT, layout, name)));
        expect(r.version).toBe('3.8.0');
        expect(r.scenario.zk).toBe('3.8.0');
        expect(r.scenario.timing).toEqual({ tickTime: 2000, initLimit: 10, syncLimit: 5 });
        expect(real.leaders.length).toBeGreaterThan(0);
        expect(firstDisagreement(real, model)).toBeNull();
      });
    }
  }

  it('a paused leader is replayed as a pause (its followers lost it, it logged nothing, it did not restart)', () => {
    const { r } = replay(filesOf(join(ROOT, 'default', 'a-paused-leader-is-replaced-and-follows-once-it-resumes')));
    expect(r.assumed).toEqual(expect.arrayContaining(['writes', 'pause']));
    expect(r.scenario.actions.filter((a) => a.action.verb === 'pause' || a.action.verb === 'resume').map((a) => a.action)).toEqual([
      { verb: 'pause', id: 3 },
      { verb: 'resume', id: 3 },
    ]);
  });

  it('where the logs say otherwise than the model, the first such moment is named', () => {
    const dir = join(ROOT, 'default', 'a-paused-leader-is-replaced-and-follows-once-it-resumes');
    // S3's resync after its pause, as if it had been a snapshot
    const files = filesOf(dir).map((f) => (f.name === 'server3.log' ? { ...f, text: f.text.replace('Getting a diff from the leader 0x100000003', 'Getting a snapshot from leader 0x100000003') } : f));
    const { real, model } = replay(files);
    expect(firstDisagreement(real, model)).toEqual({ time: expect.any(Number), what: 'sync', real: 'S3 SNAP', model: 'S3 DIFF' });
  });

  it('names the modelled release nearest to the one the logs name', () => {
    expect([null, '3.4.14', '3.8.0', '3.8.4', '3.8.5', '3.9.1', '3.10.0'].map(releaseFor)).toEqual(['3.8.0', '3.8.0', '3.8.0', '3.8.0', '3.8.5', '3.9', '3.9']);
  });

  it('servers not numbered 1..n cannot be replayed, and say why', () => {
    const files = filesOf(join(ROOT, 'default', 'a-follower-back-after-a-short-absence-gets-a-diff')).filter((f) => f.name !== 'server1.log');
    expect(scenarioOfLogs(readEnsemble(files))).toEqual({ reason: 'ids' });
  });
});
