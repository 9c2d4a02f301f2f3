/**
 * Predict before you see: questions asked at a guided story's pause points, beside the stories
 * (presets.ts) and checked like them (questions.test.ts plays each story and checks that the run
 * shows the answer). The question's words are `q.<story>` in the catalogue, the reason behind its
 * answer `q.<story>.why`; a choice is shown as written (a server, a sync mode) or, for `q.yes` /
 * `q.no` and other catalogue keys, in the reader's language.
 */
export interface Question {
  story: string;
  /** the pause point where it is asked: its caption takes an answer before the story plays on */
  ask: number;
  /** the pause point where the answer shows on the canvas, and the verdict is given */
  reveal: number;
  choices: string[];
  /** the index of the right choice */
  answer: number;
}

export const QUESTIONS: readonly Question[] = [
  // election: equal zxids, so the larger myid
  { story: 'first-election', ask: 1, reveal: 4, choices: ['S1', 'S2', 'S3'], answer: 2 },
  // election: the larger zxid beats the larger myid
  { story: 'zxid-beats-myid', ask: 1, reveal: 3, choices: ['S1', 'S2'], answer: 0 },
  // epochs: the survivors elect, in a new epoch
  { story: 'leader-crash', ask: 2, reveal: 3, choices: ['q.leaderCrash.s1e1', 'q.leaderCrash.s2e1', 'q.leaderCrash.s2e2'], answer: 2 },
  // sync: a follower missing a few txns the leader still has in its committedLog
  { story: 'sync-diff', ask: 3, reveal: 4, choices: ['DIFF', 'TRUNC', 'SNAP'], answer: 0 },
  // sync: a follower holding proposals that never committed
  { story: 'no-quorum-trunc', ask: 5, reveal: 6, choices: ['DIFF', 'TRUNC', 'SNAP'], answer: 1 },
  // sync: a follower with nothing the leader can replay from
  { story: 'sync-snap', ask: 3, reveal: 4, choices: ['DIFF', 'TRUNC', 'SNAP'], answer: 2 },
  // broadcast: observers never count toward a quorum
  { story: 'observers', ask: 4, reveal: 5, choices: ['q.yes', 'q.no'], answer: 1 },
  // a rule switched off: a commit before a quorum of ACKs
  { story: 'ablation-commit-early', ask: 1, reveal: 3, choices: ['q.yes', 'q.no'], answer: 1 },
  // 2PC blocks: a prepared participant may decide nothing alone
  { story: '2pc-blocking', ask: 2, reveal: 3, choices: ['q.yes', 'q.no'], answer: 1 },
  // Paxos's duel: the randomized back-off lets one proposer finish
  { story: 'paxos-duel', ask: 1, reveal: 4, choices: ['q.yes', 'q.no'], answer: 0 },
  // clients: a read is answered by the client's own server, from its own tree
  { story: 'client-stale-read', ask: 3, reveal: 4, choices: ['q.client-stale-read.v1', 'q.client-stale-read.v2', 'q.client-stale-read.err'], answer: 0 },
];

export function questionOf(story: string | null | undefined): Question | null {
  return QUESTIONS.find((q) => q.story === story) ?? null;
}
