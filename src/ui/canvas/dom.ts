/**
 * Writing to the DOM only what changed. A frame of the canvas touches thousands of attributes;
 * an unchanged setAttribute or textContent still costs the browser style and layout work.
 */
import type { Selection } from 'd3-selection';

/**
 * Set an element's text only when it changes: d3's .text() replaces the text node every time,
 * and at 60 frames a second over hundreds of labels that churn is what makes frames late.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function text<D>(sel: Selection<any, D, any, any>, f: (d: D) => string): void {
  sel.each(function (d) {
    const v = f(d);
    // the element's own text node, not textContent: that reads (and setting it wipes) a <title> inside
    const el = this as Element;
    const first = el.firstChild;
    if (first && first.nodeType === Node.TEXT_NODE) {
      if ((first as Text).data !== v) (first as Text).data = v;
    } else el.insertBefore(el.ownerDocument.createTextNode(v), first);
  });
}

/**
 * Set an attribute only when its value changes (null removes it). Writing an unchanged value
 * still makes the browser redo style work, and a frame sets thousands of them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function attr<D>(sel: Selection<any, D, any, any>, name: string, f: ((d: D, i: number) => string | number | null) | string | number | null): void {
  sel.each(function (d, i) {
    setAttr(this as Element, name, typeof f === 'function' ? f(d, i) : f);
  });
}

/** The values this module last wrote on each element: comparing with them is cheaper than reading the DOM. */
const written = new WeakMap<Element, Record<string, string | null>>();

export function setAttr(el: Element, name: string, value: string | number | null): void {
  let w = written.get(el);
  if (!w) written.set(el, (w = {}));
  const v = value === null ? null : String(value);
  if (w[name] === v) return;
  w[name] = v;
  if (v === null) el.removeAttribute(name);
  else el.setAttribute(name, v);
}

/** Show or hide an element (display), touching it only when that changes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function shown<D>(sel: Selection<any, D, any, any>, f: (d: D) => boolean): void {
  sel.each(function (d) {
    const v = f(d) ? '' : 'none';
    const st = (this as SVGElement).style;
    if (st.display !== v) st.display = v;
  });
}

