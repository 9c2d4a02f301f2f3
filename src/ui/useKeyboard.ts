import { useEffect } from 'react';
import { send } from '../state/worker';
import { useUi } from '../state/store';
import { moveAcrossPartition } from './partition';
import { backToCaption, playToNextCaption } from './Caption';

/**
 * Space: play / pause; N or →: step; B or ←: step back; W: a client write; C: crash or restart
 * the selected server; D: fail or repair its disk; Z: pause or resume its process; P: move it to the other side of a partition
 * (or cut it off); H: heal all links; L: open a real ensemble's logs; ?: help; Esc: close. A dialog handles its own keys.
 * Presenter mode takes a clicker's keys: PageDown / → the next caption, PageUp / ← the one before,
 * B or . a blank screen.
 */
export function useKeyboard(opts: { dialogs?: boolean } = {}): void {
  // the embed page has no dialogs: their keys do nothing there
  const dialogs = opts.dialogs ?? true;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLInputElement | null;
      const tag = el?.tagName;
      const type = tag === 'INPUT' ? el!.type : null;
      // text fields keep every key; a slider (the timeline, speed) only its arrows, a checkbox its Space
      const typing = tag === 'TEXTAREA' || tag === 'SELECT' || (tag === 'INPUT' && type !== 'range' && type !== 'checkbox');
      if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
      if ((type === 'range' && e.key.startsWith('Arrow')) || (type === 'checkbox' && e.key === ' ')) return;
      // a focused slider of our own (the space-time diagram) keeps its arrows, Home, End and Enter
      if (el?.getAttribute?.('role') === 'slider' && /^(Arrow|Home|End|Enter)/.test(e.key)) return;
      const { snapshot, selected, dialog, openDialog, openMenu, presenting, blanked, setBlanked, setPresenting, menu } = useUi.getState();
      // presenter mode: what a presentation clicker sends steps through a story's captions
      if (presenting && !dialog) {
        if (e.key === 'b' || e.key === 'B' || e.key === '.') {
          e.preventDefault();
          return setBlanked(!blanked);
        }
        if (e.key === 'PageDown' || e.key === 'ArrowRight') {
          e.preventDefault();
          const played = playToNextCaption();
          // a question waits for its answer: the clicker's key moves to the choices instead
          if (played === 'asking') document.querySelector<HTMLButtonElement>('[data-testid="choice-0"]')?.focus();
          else if (played === 'none') send({ type: 'step' });
          return;
        }
        if (e.key === 'PageUp' || e.key === 'ArrowLeft') {
          e.preventDefault();
          if (!backToCaption()) send({ type: 'back' });
          return;
        }
      }
      if (e.key === 'Escape') {
        // nothing open to close: Esc leaves presenter mode
        if (presenting && !dialog && !menu) return setPresenting(false);
        openDialog(null);
        openMenu(null);
        return;
      }
      if (dialog) return;
      const node = selected !== null ? snapshot?.nodes.find((n) => n.id === selected) : undefined;
      switch (e.key) {
        case ' ':
          e.preventDefault();
          return send({ type: snapshot?.playing ? 'pause' : 'play' });
        case 'n':
        case 'N':
        case 'ArrowRight':
          return send({ type: 'step' });
        case 'b':
        case 'B':
        case 'ArrowLeft':
          return send({ type: 'back' });
        case 'w':
        case 'W':
          return send({ type: 'action', action: { verb: 'write', count: 1 } });
        case 'h':
        case 'H':
          return send({ type: 'action', action: { verb: 'heal' } });
        case '?':
          return dialogs ? openDialog('help') : undefined;
        case 'l':
        case 'L':
          return dialogs ? openDialog('logs') : undefined;
        case 'c':
        case 'C':
          if (node) send({ type: 'action', action: { verb: node.up ? 'crash' : 'restart', id: node.id } });
          return;
        case 'd':
        case 'D':
          if (node) send({ type: 'action', action: { verb: node.diskFailed ? 'diskok' : 'diskfail', id: node.id } });
          return;
        case 'z':
        case 'Z':
          if (node?.up) send({ type: 'action', action: { verb: node.paused ? 'resume' : 'pause', id: node.id } });
          return;
        case 'p':
        case 'P': {
          const action = node && snapshot ? moveAcrossPartition(snapshot, node.id) : null;
          if (action) send({ type: 'action', action });
          return;
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialogs]);
}
