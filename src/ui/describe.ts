import { clientName, isClientNode } from '../state/clients';
import type { Note, NoteArgs } from '../core/sim/types';
import { isMessageKey, translate, type Locale } from '../i18n/messages';
import type { Problem } from '../core/scenario/problems';
import type { UiError } from '../state/store';

/** Render a core event (a catalogue code and its arguments) in the current language. */
export function describeEvent(locale: Locale, code: string, args: NoteArgs): string {
  if (code === 'goesLooking') {
    const { reason, ...rest } = args;
    return translate(locale, 'ev.goesLooking', { reason: describeReason(locale, { code: String(reason), args: rest }) });
  }
  const key = `ev.${code}`;
  // a client is named as the page names it (C1), a server by its number, as before
  const named: NoteArgs = { ...args };
  for (const k of ['from', 'to', 'peer']) {
    const v = named[k];
    if (typeof v === 'number' && isClientNode(v)) named[k] = clientName(v);
  }
  // a session id is hex as ZooKeeper prints it, but no zxid: a word joiner keeps the page's
  // zxid shortener (Zxid.tsx) from writing 0x300000001 as 3:1
  if (typeof named.session === 'string') named.session = named.session.replace('0x', '0\u2060x');
  return isMessageKey(key) ? translate(locale, key, named) : `${code} ${JSON.stringify(named)}`;
}

/** What a broken invariant says, in the person's language (its English text if the code is unknown). */
export function describeViolation(locale: Locale, v: { message: string; code?: string; args?: Record<string, string | number> }): string {
  const key = `inv.${v.code}`;
  return v.code && isMessageKey(key) ? translate(locale, key, v.args) : v.message;
}

/** What is wrong with a link or a file, in the person's language. */
export function describeProblem(locale: Locale, p: Problem): string {
  return translate(locale, p.code, p.args);
}

/** The error banner's text. */
export function describeError(locale: Locale, e: UiError): string {
  if (typeof e === 'string') return e;
  return translate(locale, e.key, { ...e.vars, ...(e.problem ? { problem: describeProblem(locale, e.problem) } : {}) });
}

/** Why a server went back to LOOKING. */
export function describeReason(locale: Locale, reason: Note): string {
  const key = `reason.${reason.code}`;
  return isMessageKey(key) ? translate(locale, key, reason.args) : reason.code;
}
