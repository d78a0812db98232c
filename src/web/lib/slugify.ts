const MAX_SLUG_LENGTH = 50;

/**
 * Derives a URL slug from a display name, as Sentry does: lower case, runs of other
 * characters replaced by one hyphen, and no hyphen at either end.
 */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH);
}
