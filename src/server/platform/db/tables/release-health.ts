/** Tables of releases, sessions, monitors and check-ins. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the feature
export interface ReleaseHealthTables {}
