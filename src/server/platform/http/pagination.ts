import type { FastifyReply, FastifyRequest } from 'fastify';

import { ValidationError } from '../errors.js';

export interface PageRequest {
  offset: number;
  limit: number;
}

const MAX_PAGE_SIZE = 100;

// Offsets past this are refused: no list is paged that deep, and larger numbers lose precision.
const MAX_CURSOR_OFFSET = 10_000_000;

/**
 * Reads Sentry's offset cursor (`value:offset:is_prev`) and page size (`per_page` or `limit`).
 * @throws ValidationError for a malformed cursor or page size.
 */
export function readPage(query: Record<string, unknown>, defaultLimit = 100): PageRequest {
  const rawLimit = query.per_page ?? query.limit;
  const limit = rawLimit === undefined ? defaultLimit : Number(rawLimit);

  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError(`Invalid page size ${JSON.stringify(rawLimit)}: use 1 to 100`);
  }

  const cursor = query.cursor;
  if (cursor === undefined || cursor === '') {
    return { offset: 0, limit };
  }

  const match = typeof cursor === 'string' ? /^(\d+):(\d+):([01])$/.exec(cursor) : null;
  if (match === null) {
    throw new ValidationError(`Invalid cursor ${JSON.stringify(cursor)}`);
  }

  const offset = Number(match[2]);
  if (offset > MAX_CURSOR_OFFSET) {
    throw new ValidationError(`Invalid cursor ${JSON.stringify(cursor)}: offset too large`);
  }
  return { offset, limit };
}

/**
 * Sets Sentry's `Link` header. `hasMore` is whether a next page exists, which callers learn
 * by fetching `limit + 1` rows.
 */
export function setPageLinks(
  request: FastifyRequest,
  reply: FastifyReply,
  page: PageRequest,
  hasMore: boolean,
): void {
  const url = new URL(request.url, requestOrigin(request));
  url.searchParams.delete('cursor');
  const base = `${url.origin}${url.pathname}?${url.searchParams.toString()}`;
  const separator = url.searchParams.size > 0 ? '&' : '';
  const previousOffset = Math.max(0, page.offset - page.limit);
  const previous = `0:${previousOffset}:1`;
  const next = `0:${page.offset + page.limit}:0`;

  reply.header(
    'Link',
    `<${base}${separator}cursor=${previous}>; rel="previous"; results="${page.offset > 0}"; cursor="${previous}", ` +
      `<${base}${separator}cursor=${next}>; rel="next"; results="${hasMore}"; cursor="${next}"`,
  );
}

/** Returns the origin the client used, from the Host header. */
export function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * Returns the page of an in-memory list that the request's cursor names, and sets the `Link`
 * header. For short lists such as organizations, teams, projects and keys.
 * @throws ValidationError for a malformed cursor or page size.
 */
export function paginateList<T>(request: FastifyRequest, reply: FastifyReply, items: T[]): T[] {
  const page = readPage(request.query as Record<string, unknown>);
  setPageLinks(request, reply, page, items.length > page.offset + page.limit);
  return items.slice(page.offset, page.offset + page.limit);
}
