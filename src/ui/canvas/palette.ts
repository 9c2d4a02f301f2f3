import type { Hue, MessageLook, ProtocolLook } from '../../core/face/face';

/**
 * How each hue a protocol names is painted (the design's visual language); never the only signal.
 * Each hue a server wears under its white name is dark enough for it: 4.5:1 or more (WCAG AA);
 * amber is not (styles.css draws the name dark on it where it is set).
 */
export const HUE: Readonly<Record<Hue, string>> = {
  // servers
  amber: '#e3a21a',
  blue: '#2f6cc4',
  green: '#1f7a45',
  violet: '#8a5cd0',
  slate: '#6b7785',
  orange: '#b93d0c',
  red: '#c92a2a',
  teal: '#177a7a',
  purple: '#5b3c99',
  down: '#3a3f47',
  // messages
  gold: '#c7811a',
  cyan: '#1a8f8f',
  lavender: '#7a4fc2',
  rust: '#c2410c',
  forest: '#23804a',
  grey: '#52606d',
  silver: '#9aa5b1',
  leaf: '#2f9e44',
  sky: '#3b7dd8',
  ink: '#555',
};

const UNKNOWN: MessageLook = { hue: 'ink', shape: 'circle' };

/** How a kind of message looks: as its protocol says, or a small dark circle. */
export function messageLook(look: ProtocolLook | null | undefined, kind: string): MessageLook {
  return look?.messages[kind] ?? UNKNOWN;
}
