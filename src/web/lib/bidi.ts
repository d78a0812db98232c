/**
 * Unicode's explicit directional formatting characters: embeddings and overrides (U+202A to
 * U+202E), isolates (U+2066 to U+2069) and the marks LRM, RLM and ALM.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

const FIRST_STRONG_ISOLATE = '\u2068';
const POP_DIRECTIONAL_ISOLATE = '\u2069';

/**
 * Wraps text in a first-strong isolate for plain-text places such as tooltips, where no element
 * can isolate it. Control characters inside then reorder only the text itself.
 */
export function isolateBidi(text: string): string {
  return `${FIRST_STRONG_ISOLATE}${text}${POP_DIRECTIONAL_ISOLATE}`;
}

/**
 * Removes directional formatting characters, for the document title: browsers draw the tab
 * title as one paragraph, so an override in it would reverse the rest of the title.
 */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}
