/**
 * The rules a person can switch off, by name ("zab.liveQuorum"), for the explorer, the CLI and
 * the page. Each names its protocol; the switch itself lives in the protocol's config.
 */
import type { ProtocolName } from '../scenario/kits';
import { ZAB_ABLATIONS, type ZabAblations } from '../zk/config';
import type { Scenario } from '../scenario/scenario';

type Ablations = NonNullable<Scenario['ablations']>;

export interface AblationInfo {
  /** "<protocol>.<switch>", also the message-catalogue stem (ablation.<name>.name / .desc) */
  name: string;
  protocol: ProtocolName;
  set(a: Ablations): Ablations;
  isOn(a: Ablations): boolean;
}

const twopc = (key: 'presumeCommit'): AblationInfo => ({
  name: `twopc.${key}`,
  protocol: '2pc',
  set: (a) => ({ ...a, twopc: { ...a.twopc, [key]: true } }),
  isOn: (a) => a.twopc?.[key] === true,
});

const paxos = (key: 'forgetPromise'): AblationInfo => ({
  name: `paxos.${key}`,
  protocol: 'paxos',
  set: (a) => ({ ...a, paxos: { ...a.paxos, [key]: true } }),
  isOn: (a) => a.paxos?.[key] === true,
});

const zab = (key: keyof ZabAblations): AblationInfo => ({
  name: `zab.${key}`,
  protocol: 'zab',
  set: (a) => ({ ...a, zab: { ...a.zab, [key]: true } }),
  isOn: (a) => a.zab?.[key] === true,
});

export const ABLATIONS: readonly AblationInfo[] = [...ZAB_ABLATIONS.map(zab), twopc('presumeCommit'), paxos('forgetPromise')];

export function ablationByName(name: string): AblationInfo | undefined {
  return ABLATIONS.find((a) => a.name === name || a.name.split('.')[1] === name);
}

/** The scenario with these switches on; an unknown name, or one of another protocol, is an error. */
export function withAblations(sc: Scenario, names: string[]): { ok: true; scenario: Scenario } | { ok: false; error: string } {
  let a: Ablations = sc.ablations ?? {};
  for (const n of names) {
    const info = ablationByName(n);
    if (!info) return { ok: false, error: `unknown ablation "${n}" (known: ${ABLATIONS.map((x) => x.name).join(', ')})` };
    if (info.protocol !== sc.protocol) return { ok: false, error: `ablation ${info.name} is for ${info.protocol}, not ${sc.protocol}` };
    a = info.set(a);
  }
  return { ok: true, scenario: { ...sc, ablations: a } };
}

/** The switches on in a scenario, by name. */
export function ablationsOn(sc: Scenario): string[] {
  const a = sc.ablations ?? {};
  return ABLATIONS.filter((x) => x.isOn(a)).map((x) => x.name);
}
