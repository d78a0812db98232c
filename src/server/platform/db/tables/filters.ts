/** Tables of inbound filters. */
export interface FilterTables {
  projectFilterSettings: ProjectFilterSettingsTable;
}

/**
 * One row per project that has saved its inbound-filter settings (new projects get a row with
 * Sentry's defaults). Flags are 0 or 1; list columns hold one entry a line.
 */
export interface ProjectFilterSettingsTable {
  projectId: number;
  browserExtensions: number;
  localhost: number;
  webCrawlers: number;
  filteredTransaction: number;
  /** `0` (off), `1` (Relay's default set) or a JSON list of legacy-browser sub-filters. */
  legacyBrowsers: string;
  blacklistedIps: string;
  releases: string;
  errorMessages: string;
  updatedAt: number;
}
