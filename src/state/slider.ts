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
  /**
   * values sent that the worker has not shown yet, oldest first (it takes them in order), each
   * with the count of actions the worker will have applied once it has taken it (its count when
   * sent, plus what was pending then, plus itself): a snapshot counting fewer is from before it
   * arrived, whatever value it shows (sent 0 then 45 while the worker was at 45, an old
   * snapshot's 45 is not the 45 sent; sent 15, 0, 15, the first 15 shown is the first one's)
   */
  pending: { value: number; at: number }[];
  /** the worker's value, as last seen */
  confirmed: number;
  /** what to send, numbered so that the same value sent twice is two sends */
  outbox: { value: number; n: number } | null;
}

export type SliderEvent =
  /** the input moved (a key held, a drag) */
  | { type: 'change'; value: number }
  /** the person let go (keyup, pointerup, blur while moving): the input's value, and the worker's action count as last seen */
  | { type: 'commit'; value: number; actions: number }
  /** the worker's value, from a snapshot, and how many actions it had applied */
  | { type: 'worker'; value: number; actions: number };

export function sliderInit(value: number): SliderState {
  return { shown: value, editing: false, pending: [], confirmed: value, outbox: null };
}

export function sliderStep(s: SliderState, e: SliderEvent): SliderState {
  switch (e.type) {
    case 'change':
      return { ...s, editing: true, shown: e.value };
    case 'commit': {
      // what the worker will hold once what was sent arrives: send only a change from that
      const target = s.pending.length > 0 ? s.pending[s.pending.length - 1]!.value : s.confirmed;
      if (e.value === target) return { ...s, editing: false, shown: e.value };
      return { ...s, editing: false, shown: e.value, pending: [...s.pending, { value: e.value, at: e.actions + s.pending.length + 1 }], outbox: { value: e.value, n: (s.outbox?.n ?? 0) + 1 } };
    }
    case 'worker': {
      // the worker took a value sent (it shows it, and has applied an action since it was sent):
      // it has taken those sent before it too
      let at = -1;
      s.pending.forEach((p, i) => {
        if (p.value === e.value && e.actions >= p.at) at = i;
      });
      const pending = at < 0 ? s.pending : s.pending.slice(at + 1);
      return { ...s, confirmed: e.value, pending, shown: !s.editing && pending.length === 0 ? e.value : s.shown };
    }
  }
}
