const MAX_NAME_LENGTH = 1024;
const ENCODED_SEPARATOR = /%(2f|5c|00)/i;
const DRIVE_LETTER = /^[a-z]:/i;

/**
 * Checks a path inside a bundle: the name of a ZIP entry or a key of `manifest.json`. Picket
 * never turns these names into file paths, but a name that could escape a folder when some
 * tool extracts the bundle is rejected all the same. Returns what is wrong, as the end of a
 * sentence ("contains a backslash"), or undefined for a safe name.
 */
export function checkEntryName(name: string): string | undefined {
  if (name === '') {
    return 'is empty';
  }
  if (name.length > MAX_NAME_LENGTH) {
    return `is longer than ${MAX_NAME_LENGTH} characters`;
  }
  if (name.includes('\u0000')) {
    return 'contains NUL';
  }
  if (hasControlCharacter(name)) {
    return 'contains a control character';
  }
  if (name.includes('\\')) {
    return 'contains a backslash';
  }
  if (name.startsWith('/') || DRIVE_LETTER.test(name)) {
    return 'is an absolute path';
  }
  if (ENCODED_SEPARATOR.test(name)) {
    return 'contains a percent-encoded separator or NUL';
  }
  if (hasDotDotSegment(name) || hasDotDotSegment(percentDecode(name))) {
    return 'contains a ".." segment';
  }
  return undefined;
}

/** Returns whether the text contains a C0 control character or DEL. */
export function hasControlCharacter(name: string): boolean {
  for (let index = 0; index < name.length; index += 1) {
    const code = name.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) {
      return true;
    }
  }
  return false;
}

function hasDotDotSegment(name: string): boolean {
  return name.split('/').includes('..');
}

/** Decodes `%XX` escapes, leaving malformed ones as they are. */
function percentDecode(name: string): string {
  return name.replace(/%[0-9a-f]{2}/gi, (escape) =>
    String.fromCharCode(Number.parseInt(escape.slice(1), 16)),
  );
}
