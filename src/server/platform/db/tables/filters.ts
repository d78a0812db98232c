/** Tables of inbound filters. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the feature
export interface FilterTables {}
