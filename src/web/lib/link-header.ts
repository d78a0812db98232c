/** One target of a Sentry-style `Link` header, as used for cursor pagination. */
export interface PageLink {
  url: string;
  cursor: string;
  /** Whether the server has results at this cursor. */
  hasResults: boolean;
}

export interface PageLinks {
  previous: PageLink | null;
  next: PageLink | null;
}

const LINK_PATTERN = /<([^>]*)>((?:\s*;\s*[a-z]+="[^"]*")*)/gi;
const PARAMETER_PATTERN = /;\s*([a-z]+)="([^"]*)"/gi;

/**
 * Parses the `Link` header of a paginated Sentry API response, for example
 * `<url>; rel="next"; results="true"; cursor="0:25:0"`. Missing or malformed parts yield null
 * links, so a page without a header simply has no previous or next page.
 */
export function parseLinkHeader(header: string | null): PageLinks {
  const links: PageLinks = { previous: null, next: null };
  if (header === null) {
    return links;
  }

  for (const match of header.matchAll(LINK_PATTERN)) {
    const parameters = new Map<string, string>();
    for (const parameter of (match[2] ?? '').matchAll(PARAMETER_PATTERN)) {
      parameters.set((parameter[1] ?? '').toLowerCase(), parameter[2] ?? '');
    }

    const rel = parameters.get('rel');
    const cursor = parameters.get('cursor');
    if ((rel !== 'previous' && rel !== 'next') || cursor === undefined) {
      continue;
    }

    links[rel] = {
      url: match[1] ?? '',
      cursor,
      hasResults: parameters.get('results') === 'true',
    };
  }

  return links;
}
