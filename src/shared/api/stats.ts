/** Types of the rate-limit, spike protection and stats APIs, shared by server and web. */

/** A limit of `count` events per `window` seconds, as Sentry's key API writes it. */
export interface RateLimitSetting {
  window: number;
  count: number;
}

/** Ingest settings that the keys API adds to each key (`rateLimit` is Sentry's field). */
export interface KeyIngestSettings {
  rateLimit: RateLimitSetting | null;
  /** Picket's field: origins browsers may send from, such as `*` or `*.example.com`. */
  allowedDomains: string[];
}

/** Body of `PUT /api/0/projects/{org}/{project}/keys/{key_id}/`; absent fields keep their value. */
export interface UpdateProjectKeyRequest {
  name?: string;
  isActive?: boolean;
  rateLimit?: RateLimitSetting | null;
  allowedDomains?: string[];
}

export interface SpikeProtectionGroup {
  /** `error` (with `default` and `security`), `transaction` or `span`. */
  category: string;
  baselinePerMinute: number;
  /** Null while the project has less history than the warm-up needs. */
  thresholdPerMinute: number | null;
}

export interface SpikeProtectionState {
  enabled: boolean;
  /** Whether spike protection dropped events of the project in the last two minutes. */
  active: boolean;
  lastThrottledAt: string | null;
  factor: number;
  minPerMinute: number;
  warmupMinutes: number;
  groups: SpikeProtectionGroup[];
}

/** `GET|PUT /api/0/projects/{org}/{project}/ingest-controls/`. */
export interface ProjectIngestControls {
  rateLimit: RateLimitSetting | null;
  spikeProtection: SpikeProtectionState;
}

export interface UpdateProjectIngestControlsRequest {
  rateLimit?: RateLimitSetting | null;
  spikeProtection?: { enabled: boolean };
}

/** One entry of `GET /api/0/organizations/{org}/ingest-controls/`. */
export interface ProjectSpikeProtection {
  project: { id: string; slug: string; name: string };
  spikeProtection: SpikeProtectionState;
}

export type StatsOutcome =
  | 'accepted'
  | 'filtered'
  | 'rate_limited'
  | 'invalid'
  | 'abuse'
  | 'client_discard'
  | 'cardinality_limited';

/** One group of `GET /api/0/organizations/{org}/stats_v2/`. */
export interface StatsGroup {
  by: { outcome?: StatsOutcome; category?: string; reason?: string; project?: number };
  totals: { 'sum(quantity)': number };
  series: { 'sum(quantity)': number[] };
}

export interface StatsResponse {
  start: string;
  end: string;
  intervals: string[];
  groups: StatsGroup[];
}
