/**
 * Wire types of the inbound-filter endpoints, in Sentry's shapes:
 * `GET /api/0/projects/{org}/{project}/filters/`, `PUT .../filters/{filter_id}/`, and the
 * custom filter lists as project options of `GET`/`PUT /api/0/projects/{org}/{project}/`.
 */

/** The switchable filters, by Sentry's filter id. */
export const FILTER_IDS = [
  'browser-extensions',
  'localhost',
  'legacy-browsers',
  'web-crawlers',
  'filtered-transaction',
] as const;

export type FilterId = (typeof FILTER_IDS)[number];

/** One entry of `GET .../filters/`. */
export interface ProjectFilter {
  id: FilterId;
  /** A boolean, or for `legacy-browsers` the list of enabled sub-filters. */
  active: boolean | string[];
  description: string;
  name: string;
  /** `<id> - <name>`, a field Sentry keeps for old clients. */
  hello: string;
}

/** Body of `PUT .../filters/{filter_id}/`; `subfilters` applies to `legacy-browsers` only. */
export interface UpdateFilterRequest {
  active?: boolean;
  subfilters?: string[];
}

/** Sentry's project option keys of the custom filters. Each value has one entry a line. */
export const FILTER_OPTION_KEYS = [
  'filters:blacklisted_ips',
  'filters:releases',
  'filters:error_messages',
] as const;

export type FilterOptionKey = (typeof FILTER_OPTION_KEYS)[number];

export type FilterOptions = Record<FilterOptionKey, string>;

/** Body of `PUT /api/0/projects/{org}/{project}/` as Picket supports it. */
export interface UpdateProjectRequest {
  name?: string;
  slug?: string;
  options?: Partial<FilterOptions>;
}

/** Outcome reasons of dropped events, one per filter, as Relay reports them. */
export const FILTER_REASONS = [
  'ip-address',
  'release-version',
  'error-message',
  'localhost',
  'browser-extensions',
  'legacy-browsers',
  'web-crawlers',
  'filtered-transaction',
] as const;

export type FilterReason = (typeof FILTER_REASONS)[number];

/** Response of `GET .../filters/stats/`: events each filter dropped since `since`. */
export interface FilterStats {
  /** ISO 8601 start of the counted period (30 days, from the start of an hour). */
  since: string;
  counts: Record<FilterReason, number>;
}
