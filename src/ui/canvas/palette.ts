/**
 * ZooKeeper ServerState colours (the design's visual language); never the only signal. Each one
 * that carries the server's white name is dark enough for it: 4.5:1 or more (WCAG AA).
 */
export const STATE_COLOR: Record<string, string> = {
  LOOKING: '#e3a21a',
  FOLLOWING: '#2f6cc4',
  LEADING: '#1f7a45',
  OBSERVING: '#8a5cd0',
  DOWN: '#3a3f47',
  // 2PC: waiting is amber, holding a lock orange, the outcome green or red
  IDLE: '#6b7785',
  WAITING_VOTES: '#e3a21a',
  VOTING: '#e3a21a',
  PREPARED: '#b93d0c',
  COMMITTING: '#1f7a45',
  COMMITTED: '#1f7a45',
  ABORTING: '#c92a2a',
  ABORTED: '#c92a2a',
  // Paxos: acceptors blue, proposers by phase, learners violet
  ACCEPTOR: '#6b7785',
  PROMISED: '#2f6cc4',
  ACCEPTED: '#177a7a',
  PREPARING: '#e3a21a',
  ACCEPTING: '#b93d0c',
  BACKOFF: '#c92a2a',
  DECIDED: '#1f7a45',
  LEADER: '#1f7a45',
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
  PROPOSAL: { color: '#b93d0c', shape: 'rect' },
  COMMIT: { color: '#2f9e44', shape: 'diamond' },
  INFORM: { color: '#8a5cd0', shape: 'diamond' },
  // 2PC
  PREPARE: { color: '#c7811a', shape: 'circle' },
  VOTE: { color: '#1a8f8f', shape: 'rect' },
  ABORT: { color: '#c92a2a', shape: 'diamond' },
  DECISION_REQ: { color: '#b93d0c', shape: 'circle' },
  // Paxos (PREPARE as above; ACCEPT is Paxos's PROPOSAL, ACCEPTED its ACK, CHOSEN its COMMIT)
  PROMISE: { color: '#3b7dd8', shape: 'rect' },
  NACK: { color: '#c92a2a', shape: 'rect' },
  ACCEPT: { color: '#b93d0c', shape: 'rect' },
  ACCEPTED: { color: '#52606d', shape: 'rect' },
  CHOSEN: { color: '#2f9e44', shape: 'diamond' },
  HEARTBEAT: { color: '#9aa5b1', shape: 'circle' },
  CATCHUP: { color: '#7a4fc2', shape: 'circle' },
};

export function messageStyle(kind: string) {
  return MESSAGE_STYLE[kind] ?? { color: '#555', shape: 'circle' as const };
}
