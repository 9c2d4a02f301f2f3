import { useEffect, useRef, type RefObject } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/** The elements Tab can reach inside `root`, in document order (hidden ones left out). */
export function focusables(root: Element): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((e) => e.getClientRects().length > 0 && !e.closest('[inert]'));
}

type Focusable = HTMLElement | SVGElement;

/**
 * The last element focused on the page, kept because the opener may lose focus before the dialog
 * mounts: the page turns inert as soon as a dialog is asked for, and one whose content loads
 * first (the guides) comes a moment later.
 */
let lastFocused: Focusable | null = null;
if (typeof document !== 'undefined')
  document.addEventListener('focusin', (e) => {
    if ((e.target instanceof HTMLElement || e.target instanceof SVGElement) && !e.target.closest('[aria-modal="true"], [role="menu"]')) lastFocused = e.target;
  });

/**
 * A modal's keyboard contract: focus moves in when it opens (to its first control), Tab and
 * Shift+Tab cycle inside it, Esc closes it, and focus returns to where it was when it closes.
 * The page behind it is made inert by the App (the dialogs render outside that part of the page).
 * Returns the keydown handler to put on the modal's root.
 */
export function useModal(ref: RefObject<HTMLElement | null>, onClose: () => void): (e: React.KeyboardEvent) => void {
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  useEffect(() => {
    const root = ref.current;
    const active = document.activeElement;
    const before: Focusable | null = (active instanceof HTMLElement || active instanceof SVGElement) && active !== document.body ? active : lastFocused;
    // the opener's name, to find it again if what the dialog did drew it anew (logs opened: the toolbar changes)
    const testid = before instanceof HTMLElement ? before.dataset.testid : undefined;
    if (root) (focusables(root)[0] ?? root).focus();
    return () => {
      // back to the control that opened it (a server, a button), if it is still on the page
      if (before?.isConnected && before !== document.body) before.focus();
      else if (testid) document.querySelector<HTMLElement>(`[data-testid="${CSS.escape(testid)}"]`)?.focus();
    };
  }, [ref]);
  return (e) => {
    const root = ref.current;
    if (!root) return;
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close.current();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = focusables(root);
    const first = items[0];
    const last = items[items.length - 1];
    const at = document.activeElement;
    if (!first || !last) {
      e.preventDefault();
      return;
    }
    if (e.shiftKey && (at === first || at === root || !root.contains(at))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (at === last || !root.contains(at))) {
      e.preventDefault();
      first.focus();
    }
  };
}
