import type { Note, NoteArgs } from '../core/sim/types';
import { isMessageKey, translate, type Locale } from '../i18n/messages';

/** Render a core event (a catalogue code and its arguments) in the current language. */
export function describeEvent(locale: Locale, code: string, args: NoteArgs): string {
  if (code === 'goesLooking') {
    const { reason, ...rest } = args;
    return translate(locale, 'ev.goesLooking', { reason: describeReason(locale, { code: String(reason), args: rest }) });
  }
  const key = `ev.${code}`;
  return isMessageKey(key) ? translate(locale, key, args) : `${code} ${JSON.stringify(args)}`;
}

/** Why a server went back to LOOKING. */
export function describeReason(locale: Locale, reason: Note): string {
  const key = `reason.${reason.code}`;
  return isMessageKey(key) ? translate(locale, key, reason.args) : reason.code;
}
