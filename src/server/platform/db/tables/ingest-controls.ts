/** Tables of rate limits and spike protection. */
export interface IngestControlTables {
  projectIngestSettings: ProjectIngestSettingsTable;
}

/**
 * Per-project ingest settings. A project without a row has no project rate limit and spike
 * protection on. `rateLimitCount` and `rateLimitWindow` (seconds) are both set or both null.
 */
export interface ProjectIngestSettingsTable {
  projectId: number;
  rateLimitCount: number | null;
  rateLimitWindow: number | null;
  spikeProtection: number;
  updatedAt: number;
}
