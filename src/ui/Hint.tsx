import { useT, useUi } from '../state/store';

/** A first-time visitor's one-line guide to what to click. */
export function Hint() {
  const t = useT();
  const dismissed = useUi((s) => s.hintDismissed);
  const dismiss = useUi((s) => s.dismissHint);
  const protocol = useUi((s) => s.snapshot?.protocol ?? 'zab');
  // "Press Play to watch them elect a leader" is wrong once one leads (a link run to a moment)
  const led = useUi((s) => s.snapshot?.protocol === 'zab' && s.snapshot.lead.id !== null);
  // a real ensemble's logs have their own banner, and nothing to crash
  const logs = useUi((s) => s.snapshot?.source !== undefined);
  if (dismissed || led || logs) return null;
  return (
    <div className="hint" role="note">
      <span>{t(protocol === '2pc' ? 'hint2pc' : protocol === 'paxos' ? 'hintPaxos' : 'hint')}</span>
      <button onClick={dismiss}>{t('dismiss')}</button>
    </div>
  );
}
