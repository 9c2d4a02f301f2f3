import { useEffect } from 'react';
import { send } from '../state/worker';
import { useUi } from '../state/store';

/** Space: play / pause; N: step; W: a client write; C: crash or restart the selected server. */
export function useKeyboard(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const tag = (e.target as HTMLElement | null)?.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || e.ctrlKey || e.metaKey || e.altKey) return;
      const { snapshot, selected } = useUi.getState();
      if (e.key === ' ') {
        e.preventDefault();
        send({ type: snapshot?.playing ? 'pause' : 'play' });
      } else if (e.key === 'n' || e.key === 'N') {
        send({ type: 'step' });
      } else if (e.key === 'w' || e.key === 'W') {
        send({ type: 'action', action: { verb: 'write', count: 1 } });
      } else if ((e.key === 'c' || e.key === 'C') && selected !== null && snapshot) {
        const node = snapshot.nodes.find((n) => n.id === selected);
        if (node) send({ type: 'action', action: { verb: node.up ? 'crash' : 'restart', id: selected } });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
