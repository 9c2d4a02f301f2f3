import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A scrolling box that says when more of its content lies below what is shown: a shadow at its
 * bottom edge and a small "more below" tab that scrolls on when clicked.
 */
export function ScrollCue(props: { className: string; more: string; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState(false);
  // a box that scrolls is reachable by keyboard (its arrows scroll it), also when nothing inside takes focus
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const check = () => {
      setMore(el.scrollTop + el.clientHeight < el.scrollHeight - 4);
      setScrolls(el.scrollHeight > el.clientHeight);
    };
    check();
    el.addEventListener('scroll', check, { passive: true });
    const ro = new ResizeObserver(check);
    ro.observe(el);
    // the content changes size as the run moves (a log grows, a section opens)
    const mo = new MutationObserver(check);
    mo.observe(el, { childList: true, subtree: true, characterData: true });
    return () => {
      el.removeEventListener('scroll', check);
      ro.disconnect();
      mo.disconnect();
    };
  }, []);
  return (
    <div className={`scroll-cue ${props.className}`} data-more={more ? '1' : '0'}>
      <div className="scroll-cue-box" ref={box} {...(scrolls ? { tabIndex: 0 } : {})}>
        {props.children}
      </div>
      {more && (
        <button type="button" className="scroll-cue-tab" data-testid="more-below" tabIndex={-1} onClick={() => box.current?.scrollBy({ top: box.current.clientHeight * 0.8, behavior: 'smooth' })}>
          ▼ {props.more}
        </button>
      )}
    </div>
  );
}
