import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sliderInit, sliderStep, type SliderEvent, type SliderState } from './slider';

/**
 * A person moves the slider by key or pointer (change, then commit) while the worker's value
 * comes back late, out of step, any number of times: what was last committed is sent once, and
 * once the worker shows it the slider does too.
 */
describe('a slider whose value the worker owns', () => {
  it('sends what the person last let go at, shows it meanwhile, and follows the worker once it arrives', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.nat({ max: 3 })), { minLength: 1, maxLength: 12 }), (start, moves) => {
        let st: SliderState = sliderInit(start);
        let worker = start;
        const sent: number[] = [];
        let lastOutbox = 0;
        const step = (e: SliderEvent) => {
          st = sliderStep(st, e);
          if (st.outbox && st.outbox.n !== lastOutbox) {
            lastOutbox = st.outbox.n;
            sent.push(st.outbox.value);
          }
        };
        const inFlight: number[] = [];
        for (const [value, echoes] of moves) {
          // a snapshot from before the key lands between keydown and keyup (the race CI met)
          step({ type: 'worker', value: worker });
          step({ type: 'change', value });
          step({ type: 'worker', value: worker });
          // keyup reads the input, which shows what the state says (a controlled input)
          step({ type: 'commit', value: st.shown });
          expect(st.shown).toBe(value);
          inFlight.push(...sent.splice(0).filter(() => true));
          // the worker takes some of what was sent, in order, and shows each
          for (let k = 0; k < echoes && inFlight.length > 0; k++) {
            worker = inFlight.shift()!;
            step({ type: 'worker', value: worker });
          }
        }
        const last = moves.at(-1)![0];
        expect(st.shown).toBe(last);
        // the worker ends where the person let go: everything sent arrives
        while (inFlight.length > 0) {
          worker = inFlight.shift()!;
          step({ type: 'worker', value: worker });
        }
        expect(worker).toBe(last);
        expect(st).toMatchObject({ shown: last, pending: [], editing: false });
      }),
      { numRuns: 500 },
    );
  });

  it('sends nothing when let go where the worker already is, and follows the worker when nobody moves it', () => {
    let st = sliderStep(sliderInit(2), { type: 'commit', value: 2 });
    expect(st.outbox).toBeNull();
    st = sliderStep(st, { type: 'worker', value: 7 });
    expect(st.shown).toBe(7);
  });
});
