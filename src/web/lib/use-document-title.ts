import { useEffect } from 'react';

import { stripBidiControls } from './bidi';

const APP_NAME = 'Picket';
const SEPARATOR = ' — ';
/** Maximum characters of one title part, because an issue title can be very long. */
const MAX_PART_LENGTH = 80;

/**
 * Builds a browser tab title from the most specific part to the least, as "TypeError: x —
 * Issues — acme — Picket". Missing and empty parts are left out.
 */
export function formatDocumentTitle(parts: readonly (string | null | undefined)[]): string {
  const cleanParts = parts
    .filter((part): part is string => part != null)
    .map((part) => truncate(stripBidiControls(part).replace(/\s+/g, ' ').trim()))
    .filter((part) => part !== '');

  return [...cleanParts, APP_NAME].join(SEPARATOR);
}

/** Sets the browser tab title while the calling page is shown, and resets it afterwards. */
export function useDocumentTitle(parts: readonly (string | null | undefined)[]): void {
  const title = formatDocumentTitle(parts);

  useEffect(() => {
    document.title = title;
    return () => {
      document.title = APP_NAME;
    };
  }, [title]);
}

function truncate(text: string): string {
  const characters = Array.from(text);
  return characters.length <= MAX_PART_LENGTH
    ? text
    : `${characters.slice(0, MAX_PART_LENGTH - 1).join('')}…`;
}
