/** ZooKeeper ServerState colours (the design's visual language); never the only signal. */
export const STATE_COLOR: Record<string, string> = {
  LOOKING: '#e3a21a',
  FOLLOWING: '#3b7dd8',
  LEADING: '#2e9e5b',
  OBSERVING: '#8a5cd0',
  DOWN: '#3a3f47',
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
};

export function messageStyle(kind: string) {
  return MESSAGE_STYLE[kind] ?? { color: '#555', shape: 'circle' as const };
}
