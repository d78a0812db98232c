/** Tables of logs. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the feature
export interface LogTables {}
