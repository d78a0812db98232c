/**
 * Returns `next` when it is a path inside this app, and `/` otherwise. The login page takes
 * its redirect target from the URL, so an absolute or protocol-relative URL here would let a
 * crafted link send users to another site after they log in.
 */
export function readSafeRedirect(next: string | null): string {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return '/';
  }

  // Browsers drop tabs and newlines from URLs, so `/\t/evil.example` resolves to another host.
  // Parsing against a placeholder origin catches that and any other form that leaves the app.
  const base = 'http://picket.invalid';
  let hasControlCharacter = false;
  for (let index = 0; index < next.length; index += 1) {
    const code = next.charCodeAt(index);
    hasControlCharacter ||= code < 0x20 || code === 0x7f;
  }
  if (hasControlCharacter || new URL(next, base).origin !== base) {
    return '/';
  }
  return next;
}
