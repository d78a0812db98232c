/**
 * Returns `next` when it is a path inside this app, and `/` otherwise. The login page takes
 * its redirect target from the URL, so an absolute or protocol-relative URL here would let a
 * crafted link send users to another site after they log in.
 */
export function readSafeRedirect(next: string | null): string {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return '/';
  }

  return next;
}
