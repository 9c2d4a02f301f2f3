/**
 * What the page offers to choose from, and how a protocol is drawn: the protocols one can run,
 * each one's look (how its messages look, what its legend says), its guided scenarios and the
 * rules one may switch off, the default scenario and the page's limits. The page takes these from
 * here, never from the core: today the simulator's core supplies them; another source of runs
 * (a real ensemble feeding snapshots) would offer its own beside them.
 */
import { PROTOCOLS } from '../core/scenario/kits';
import { FACES } from '../core/scenario/faces';
import type { CompareTarget, ProtocolName, Scenario } from '../core/scenario/scenario';
import type { ProtocolLook } from '../core/face/face';
import { PRESETS, presetById, presetScenario, storyOf } from '../core/scenario/presets';

/** The questions the guided stories ask (predict before you see). */
export { questionOf, type Question } from '../core/scenario/questions';
import { ABLATIONS, ablationsOn } from '../core/explore/ablations';
import { PAGE_LIMITS } from '../core/scenario/query';
import type { Decoded } from '../core/scenario/decode';

export { PROTOCOLS, PAGE_LIMITS, ablationsOn, storyOf };
export { defaultScenario } from '../core/scenario/scenario';
/** the ZooKeeper releases a ZAB run can behave as, and the version each names */
export { DEFAULT_RELEASE, RELEASE_RULES, ZK_RELEASES } from '../core/zk/release';
/** ZooKeeper's own bugs the bug hunter recognises in what it finds */
export { KNOWN_BUGS, type KnownBugId } from '../core/explore/knownBugs';

/** How a protocol's messages look and what its legend explains. */
export function protocolLook(p: ProtocolName): ProtocolLook {
  return FACES[p].look;
}

/** The guided scenarios of a protocol, by id (titled guide.<id>.title in the catalogue). */
export function guidesOf(p: ProtocolName): string[] {
  return PRESETS.filter((x) => x.protocol === p && !x.bug).map((x) => x.id);
}

/** The museum: guided stories of ZooKeeper's own bugs, each on the release that has it. */
export function museumGuides(): string[] {
  return PRESETS.filter((x) => x.bug).map((x) => x.id);
}

/** What a guided scenario sets beside itself (a museum story: the release that fixed its bug), if anything. */
export function guideCompare(id: string): CompareTarget | null {
  return presetById(id)?.compare ?? null;
}

/** A guided scenario's run, or null if there is none of that name. */
export function guideScenario(id: string): Scenario | null {
  const p = presetById(id);
  return p ? presetScenario(p) : null;
}

/** The rules of a protocol one may switch off, by name (ablation.<name>.name in the catalogue). */
export function ablationsOf(p: ProtocolName): string[] {
  return ABLATIONS.filter((a) => a.protocol === p).map((a) => a.name);
}

/** A scenario read from a file, held to the page's limits. The schema library loads only now (it is most of the reader's weight). */
export async function readScenarioFile(text: string): Promise<Decoded> {
  const { importJson } = await import('../core/scenario/decode');
  return importJson(text, PAGE_LIMITS);
}
