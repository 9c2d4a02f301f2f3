/**
 * A slider whose value the worker owns (the write rate, the network's loss and latency): what it
 * shows while a person moves it, what it sends when they let go, and when it follows the
 * worker's value again. A reducer, so that each step starts from the state the last one left:
 * a React effect's closure could be a render old, and its update land after a key's (the value
 * snapped back and was never sent).
 */
export interface SliderState {
  /** the value drawn */
  shown: number;
  /** a key or pointer is moving it */
  editing: boolean;
  /** values sent that the worker has not shown yet, oldest first (it takes them in order) */
  pending: number[];
  /** the worker's value, as last seen */
  confirmed: number;
  /** what to send, numbered so that the same value sent twice is two sends */
  outbox: { value: number; n: number } | null;
}

export type SliderEvent =
  /** the input moved (a key held, a drag) */
  | { type: 'change'; value: number }
  /** the person let go (keyup, pointerup, blur while moving): the input's value */
  | { type: 'commit'; value: number }
  /** the worker's value, from a snapshot */
  | { type: 'worker'; value: number };

export function sliderInit(value: number): SliderState {
  return { shown: value, editing: false, pending: [], confirmed: value, outbox: null };
}

export function sliderStep(s: SliderState, e: SliderEvent): SliderState {
  switch (e.type) {
    case 'change':
      return { ...s, editing: true, shown: e.value };
    case 'commit': {
      // what the worker will hold once what was sent arrives: send only a change from that
      const target = s.pending.length > 0 ? s.pending[s.pending.length - 1] : s.confirmed;
      if (e.value === target) return { ...s, editing: false, shown: e.value };
      return { ...s, editing: false, shown: e.value, pending: [...s.pending, e.value], outbox: { value: e.value, n: (s.outbox?.n ?? 0) + 1 } };
    }
    case 'worker': {
      // the worker took a value sent: it has taken those sent before it too
      const at = s.pending.indexOf(e.value);
      const pending = at < 0 ? s.pending : s.pending.slice(at + 1);
      return { ...s, confirmed: e.value, pending, shown: !s.editing && pending.length === 0 ? e.value : s.shown };
    }
  }
}
