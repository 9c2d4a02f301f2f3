import { Fragment } from 'react';
import { NO_ZXID, zxidHex, zxidOf, zxidShort } from '../state/notation';

/**
 * The page writes a zxid one way: epoch:counter (1:552), as the canvas has room for; ZooKeeper's
 * own hex (0x100000228) is on hover.
 */
export function Zxid({ z }: { z: number }) {
  return (
    <span className="zxid" title={zxidHex(z)}>
      {zxidShort(z)}
    </span>
  );
}

const HEX = /-?0x[0-9a-f]{1,16}/g;
const SHORT = /\b(\d{1,7}):(\d{1,10})\b/g;

/** "0x100000003" (as the core's notes and invariant messages spell a zxid) → "1:3". */
export function shortZxids(text: string): string {
  return text.replace(HEX, (h) => (h.startsWith('-') ? zxidShort(NO_ZXID) : zxidShort(Number.parseInt(h.slice(2), 16))));
}

/** Text with every zxid in it written epoch:counter, each with its hex on hover. */
export function ZxidText({ text }: { text: string }) {
  const s = shortZxids(text);
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const m of s.matchAll(SHORT)) {
    const z = zxidOf(Number(m[1]), Number(m[2]));
    if (m.index > last) parts.push(<Fragment key={`t${last}`}>{s.slice(last, m.index)}</Fragment>);
    parts.push(
      <span key={`z${m.index}`} className="zxid" title={zxidHex(z)}>
        {m[0]}
      </span>,
    );
    last = m.index + m[0].length;
  }
  if (last < s.length) parts.push(<Fragment key={`t${last}`}>{s.slice(last)}</Fragment>);
  return <>{parts}</>;
}
