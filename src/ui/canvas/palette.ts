/** ZooKeeper ServerState colours (the design's visual language); never the only signal. */
export const STATE_COLOR: Record<string, string> = {
  LOOKING: '#e3a21a',
  FOLLOWING: '#3b7dd8',
  LEADING: '#2e9e5b',
  OBSERVING: '#8a5cd0',
  DOWN: '#3a3f47',
  // 2PC: waiting is amber, holding a lock orange, the outcome green or red
  IDLE: '#6b7785',
  WAITING_VOTES: '#e3a21a',
  VOTING: '#e3a21a',
  PREPARED: '#d9480f',
  COMMITTING: '#2e9e5b',
  COMMITTED: '#2e9e5b',
  ABORTING: '#c92a2a',
  ABORTED: '#c92a2a',
  // Paxos: acceptors blue, proposers by phase, learners violet
  ACCEPTOR: '#6b7785',
  PROMISED: '#3b7dd8',
  ACCEPTED: '#1a8f8f',
  PREPARING: '#e3a21a',
  ACCEPTING: '#d9480f',
  BACKOFF: '#c92a2a',
  DECIDED: '#2e9e5b',
  LEADER: '#2e9e5b',
  LEARNER: '#8a5cd0',
  LEARNED: '#5b3c99',
};

/** Message glyph colour and shape per kind. */
export const MESSAGE_STYLE: Record<string, { color: string; shape: 'circle' | 'rect' | 'diamond' }> = {
  NOTIFICATION: { color: '#c7811a', shape: 'circle' },
  FOLLOWERINFO: { color: '#1a8f8f', shape: 'rect' },
  OBSERVERINFO: { color: '#1a8f8f', shape: 'rect' },
  LEADERINFO: { color: '#1a8f8f', shape: 'rect' },
  ACKEPOCH: { color: '#1a8f8f', shape: 'rect' },
  DIFF: { color: '#7a4fc2', shape: 'diamond' },
  TRUNC: { color: '#c2410c', shape: 'diamond' },
  SNAP: { color: '#7a4fc2', shape: 'diamond' },
  NEWLEADER: { color: '#23804a', shape: 'rect' },
  UPTODATE: { color: '#23804a', shape: 'rect' },
  ACK: { color: '#52606d', shape: 'rect' },
  PING: { color: '#9aa5b1', shape: 'circle' },
  PROPOSAL: { color: '#d9480f', shape: 'rect' },
  COMMIT: { color: '#2f9e44', shape: 'diamond' },
  INFORM: { color: '#8a5cd0', shape: 'diamond' },
  // 2PC
  PREPARE: { color: '#c7811a', shape: 'circle' },
  VOTE: { color: '#1a8f8f', shape: 'rect' },
  ABORT: { color: '#c92a2a', shape: 'diamond' },
  DECISION_REQ: { color: '#d9480f', shape: 'circle' },
  // Paxos (PREPARE as above; ACCEPT is Paxos's PROPOSAL, ACCEPTED its ACK, CHOSEN its COMMIT)
  PROMISE: { color: '#3b7dd8', shape: 'rect' },
  NACK: { color: '#c92a2a', shape: 'rect' },
  ACCEPT: { color: '#d9480f', shape: 'rect' },
  ACCEPTED: { color: '#52606d', shape: 'rect' },
  CHOSEN: { color: '#2f9e44', shape: 'diamond' },
  HEARTBEAT: { color: '#9aa5b1', shape: 'circle' },
  CATCHUP: { color: '#7a4fc2', shape: 'circle' },
};

export function messageStyle(kind: string) {
  return MESSAGE_STYLE[kind] ?? { color: '#555', shape: 'circle' as const };
}
