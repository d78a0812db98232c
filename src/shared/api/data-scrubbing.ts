/**
 * Wire types of the data-scrubbing settings, with Sentry's field names. The same fields are
 * accepted by `PUT /api/0/projects/{org}/{project}/` and by Picket's
 * `GET`/`PUT /api/0/organizations/{org}/data-scrubbing/` and
 * `GET`/`PUT /api/0/projects/{org}/{project}/data-scrubbing/`.
 */

/** The data-scrubbing settings of an organization or a project. */
export interface DataScrubbingSettings {
  /** Scrub data with the default rules and the additional sensitive fields. */
  dataScrubber: boolean;
  /** Apply the default rules (passwords, credit cards, keys, ...), not only the extra fields. */
  dataScrubberDefaults: boolean;
  /** Remove IP addresses from known fields and replace them in any value. */
  scrubIPAddresses: boolean;
  /** Extra field names to filter, matched as case-insensitive substrings of keys. */
  sensitiveFields: string[];
  /** Fields exempt from the default rules (advanced rules still apply to them). */
  safeFields: string[];
  /** Advanced rules as JSON text in Relay's PII config format, or null for none. */
  relayPiiConfig: string | null;
}

/** `GET .../data-scrubbing/` of a project: its own settings and what it inherits. */
export interface ProjectDataScrubbingResponse extends DataScrubbingSettings {
  /** The organization's settings; its `true` flags force the project's on. */
  organization: DataScrubbingSettings;
  /** The settings the worker applies: the project's combined with the organization's. */
  effective: DataScrubbingSettings;
}

/** Body of `POST .../data-scrubbing/preview/`. */
export interface DataScrubbingPreviewRequest {
  /** Unsaved settings to try; fields left out keep their stored values. */
  settings?: Partial<DataScrubbingSettings>;
  /** The event to scrub; the project's latest event when left out. */
  eventId?: string;
}

export interface DataScrubbingPreviewResponse {
  eventId: string;
  /** The stored event after the tried settings, in the stored (snake_case) layout. */
  event: Record<string, unknown>;
  /** Dotted paths of the values the tried settings change. */
  changedPaths: string[];
  /** `_meta` remarks of the changed values, in Relay's layout. */
  meta: Record<string, unknown>;
}
