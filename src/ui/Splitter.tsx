import { useRef } from 'react';

/**
 * A bar between two panes that resizes one of them: dragged with the pointer, or focused and moved
 * with the arrow keys (Home / End for the limits), as WAI-ARIA's window splitter pattern has it.
 * `grow` says which way the pane grows: +1 when it grows as the bar moves right or down.
 */
export function Splitter(props: { orientation: 'vertical' | 'horizontal'; value: number; min: number; max: number; grow: 1 | -1; label: string; testid: string; onChange(px: number): void }) {
  const start = useRef<{ at: number; value: number } | null>(null);
  const axis = (e: { clientX: number; clientY: number }) => (props.orientation === 'vertical' ? e.clientX : e.clientY);
  const keys: Record<string, number> = props.orientation === 'vertical' ? { ArrowLeft: -1, ArrowRight: 1 } : { ArrowUp: -1, ArrowDown: 1 };
  return (
    <div
      className={`splitter ${props.orientation}`}
      role="separator"
      aria-orientation={props.orientation}
      aria-label={props.label}
      aria-valuenow={props.value}
      aria-valuemin={props.min}
      aria-valuemax={props.max}
      tabIndex={0}
      data-testid={props.testid}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { at: axis(e), value: props.value };
      }}
      onPointerMove={(e) => {
        if (start.current) props.onChange(start.current.value + props.grow * (axis(e) - start.current.at));
      }}
      onPointerUp={() => (start.current = null)}
      onPointerCancel={() => (start.current = null)}
      onKeyDown={(e) => {
        const dir = keys[e.key];
        // the page's own keys (N, B, arrows stepping the run) must not fire while a splitter has focus
        if (dir !== undefined) props.onChange(props.value + props.grow * dir * (e.shiftKey ? 64 : 16));
        else if (e.key === 'Home') props.onChange(props.min);
        else if (e.key === 'End') props.onChange(props.max);
        else return;
        e.preventDefault();
        e.stopPropagation();
      }}
    />
  );
}
