/**
 * Wire types of the grouping endpoints, in Sentry's shapes:
 * `GET /api/0/projects/{org}/{project}/events/{event_id}/grouping-info/` and the rule fields
 * `groupingEnhancements` and `fingerprintingRules` of `GET`/`PUT /api/0/projects/{org}/{project}/`.
 */

/** One node of a grouping tree. A string value is a leaf that enters the hash when it contributes. */
export interface GroupingComponentJson {
  id: string;
  name: string;
  contributes: boolean;
  hint: string | null;
  values: (string | GroupingComponentJson)[];
}

/** One grouping variant of an event, such as `app`, `system` or `custom-fingerprint`. */
export interface GroupingVariantJson {
  key: string;
  /** `component`, `custom-fingerprint`, `salted-component`, `checksum` or `fallback`. */
  type: string;
  description: string;
  hash: string | null;
  /** Whether this hash is not among the hashes stored with the event (the rules changed since). */
  hashMismatch: boolean;
  contributes: boolean;
  hint: string | null;
  component?: GroupingComponentJson;
  /** Fingerprint values of fingerprint and salted variants. */
  values?: string[];
  /** The fingerprint rule that set the fingerprint, as written. */
  matchedRule?: string;
  /** Picket's own field: whether this variant's hash is the event's primary hash. */
  isPrimary: boolean;
}

/** Response of `GET .../events/{event_id}/grouping-info/`, keyed by variant name. */
export type GroupingInfoResponse = Record<string, GroupingVariantJson>;

/** The grouping fields of the project details, read and written as rule text. */
export interface ProjectGroupingRules {
  groupingEnhancements: string;
  fingerprintingRules: string;
}

/** One invalid line of submitted rules. */
export interface RuleLineError {
  /** 1-based line number. */
  line: number;
  message: string;
}

/**
 * Response of Picket's `POST /api/0/projects/{org}/{project}/grouping-rules/validate/`, which
 * takes a `ProjectGroupingRules` body (either field may be left out) and saves nothing.
 */
export interface GroupingRulesValidation {
  groupingEnhancements: RuleLineError[];
  fingerprintingRules: RuleLineError[];
}
