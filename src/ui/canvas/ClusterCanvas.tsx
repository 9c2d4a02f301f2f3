import { useEffect, useRef, useState } from 'react';
import { useT, useUi } from '../../state/store';
import type { MessageKey } from '../../i18n/messages';
import { drawCluster } from './draw';
import { STATE_COLOR } from './palette';

/** What the colours, shapes and small print on the canvas mean. */
function Legend() {
  const t = useT();
  const states = ['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING', 'DOWN'] as const;
  return (
    <details className="legend" data-testid="legend">
      <summary>{t('legend')}</summary>
      <ul>
        {states.map((st) => (
          <li key={st}>
            <span className="sw" style={{ background: STATE_COLOR[st] }} />
            {t(`legend.${st}` as MessageKey)}
          </li>
        ))}
        <li>{t('legend.epochs')}</li>
        <li>{t('legend.zxid')}</li>
        <li>{t('legend.log')}</li>
      </ul>
    </details>
  );
}

/** The cluster drawn by d3 from the latest snapshot; React only owns the <svg> element. */
export function ClusterCanvas() {
  const wrap = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const [size, setSize] = useState({ width: 800, height: 560 });
  const snapshot = useUi((s) => s.snapshot);
  const selected = useUi((s) => s.selected);
  const select = useUi((s) => s.select);
  const t = useT();

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const { width, height } = entry.contentRect;
      setSize({ width: Math.max(320, Math.floor(width)), height: Math.max(320, Math.floor(height)) });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (!svg.current || !snapshot) return;
    drawCluster(svg.current, snapshot, {
      ...size,
      selected,
      onSelect: select,
      stateLabel: (st) => t(`state.${st}` as MessageKey),
      shortState: (st) => t(`stateShort.${st}` as MessageKey),
      texts: { round: t('canvas.round'), vote: t('canvas.vote'), cut: t('cutLink'), agree: (a, q) => t('canvas.agree', { a, q }), finalizing: t('canvas.finalizing') },
      violating: new Set(snapshot.violations.flatMap((v) => v.nodes)),
    });
  }, [snapshot, size, selected, select, t]);

  return (
    <div className="canvas" ref={wrap}>
      <svg ref={svg} data-testid="canvas" role="group" aria-label="cluster" />
      <Legend />
    </div>
  );
}
