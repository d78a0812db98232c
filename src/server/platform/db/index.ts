export { connectDb, type Db, type Dialect, type ConnectOptions } from './connect.js';
export { openSqlite } from './sqlite.js';
export { migrateToLatest } from './migrate.js';
export type * from './schema.js';
