/** Maximum length of a release version that Relay and Sentry accept, in characters. */
export const MAX_VERSION_LENGTH = 200;

const FORBIDDEN_CHARACTERS = /[\n\r\t\f\v/\\]/;
const RESERVED_VERSIONS = new Set(['', '.', '..', 'latest']);

export type VersionCheck = { ok: true; version: string } | { ok: false; reason: string };

/**
 * Checks a release version as Relay does before it stores sessions: a string that is not
 * empty, not a reserved name (`.`, `..`, `latest`), at most 200 characters and without line
 * breaks, tabs, slashes or NUL. Surrounding whitespace is trimmed.
 */
export function checkReleaseVersion(value: unknown): VersionCheck {
  if (value === undefined || value === null) {
    return { ok: false, reason: 'missing_release' };
  }
  if (typeof value !== 'string') {
    return { ok: false, reason: 'invalid_release' };
  }

  const version = value.trim();
  if (version === '') {
    return { ok: false, reason: 'missing_release' };
  }

  // PostgreSQL cannot store NUL in text, so a version containing one is rejected here.
  const hasBadCharacter = FORBIDDEN_CHARACTERS.test(version) || version.includes('\u0000');
  const isReserved = RESERVED_VERSIONS.has(version.toLowerCase());
  if (isReserved || version.length > MAX_VERSION_LENGTH || hasBadCharacter) {
    return { ok: false, reason: 'invalid_release' };
  }

  return { ok: true, version };
}

/**
 * Shortens a version for display as Sentry's `shortVersion` does for the common forms:
 * `package@1.2.3+build` becomes `1.2.3 (build)` and a 40-digit commit hash its first 12 digits.
 */
export function shortenVersion(version: string): string {
  const at = version.indexOf('@');
  const withoutPackage = at > 0 && at < version.length - 1 ? version.slice(at + 1) : version;

  if (/^[0-9a-f]{40}$/i.test(withoutPackage)) {
    return withoutPackage.slice(0, 12);
  }

  const plus = withoutPackage.indexOf('+');
  if (plus > 0 && plus < withoutPackage.length - 1) {
    return `${withoutPackage.slice(0, plus)} (${withoutPackage.slice(plus + 1)})`;
  }
  return withoutPackage;
}
