/** Tables of rate limits, spike protection and inbound filters. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the feature
export interface IngestControlTables {}
