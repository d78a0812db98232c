export { connectDb, openSqlite, type Db, type Dialect, type ConnectOptions } from './connect.js';
export { migrateToLatest } from './migrate.js';
export type * from './schema.js';
