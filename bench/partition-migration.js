// Times migration 0018 on a schema holding 1M events (run from the worktree root).
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
const root = process.cwd();
const { migrateToLatest } = await import(`${root}/dist/server/platform/db/migrate.js`);
const schema = `t_retention_bench_${Date.now()}`;
const base = 'postgres://postgres@127.0.0.1:5432/test';
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE SCHEMA ${schema}`);
const url = new URL(base);
url.searchParams.set('options', `-c search_path=${schema}`);
const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
// Apply 0001..0016 through a provider of the compiled files.
const names = [
  '0001-initial',
  '0002-queue-position',
  '0003-performance',
  '0004-release-health',
  '0005-feedback-attachments',
  '0006-logs',
  '0007-ingest-controls',
  '0008-inbound-filters',
  '0009-list-indexes',
  '0010-issue-workflow',
  '0011-issue-indexes',
  '0012-issue-status-index',
  '0013-release-writes',
  '0014-artifacts',
  '0015-artifact-blob-index',
  '0016-security',
];
const migrations = {};
for (const name of names) {
  const module = await import(`${root}/dist/server/platform/db/migrations/${name}.js`);
  migrations[name] = { up: (k) => module.up(k, 'postgres') };
}
const migrator = new Migrator({
  db,
  provider: { getMigrations: async () => migrations },
  migrationTableSchema: schema,
});
const r = await migrator.migrateToLatest();
if (r.error) throw r.error;
const rows = Number(process.env.ROWS ?? 1_000_000);
await sql`INSERT INTO organizations (slug, name, created_at) VALUES ('o', 'o', 0)`.execute(db);
await sql`INSERT INTO projects (organization_id, slug, name, created_at, next_short_id) VALUES (1, 'p', 'p', 0, 1)`.execute(
  db,
);
await sql`INSERT INTO issues (project_id, short_id_number, title, culprit, type, level, status, platform, metadata, first_seen, last_seen, times_seen, user_count)
  SELECT 1, g, 't', 'c', 'error', 'error', 'unresolved', 'node', '{}', 0, 0, 1, 0 FROM generate_series(1, 1000) g`.execute(
  db,
);
let t = Date.now();
const now = Date.now();
await sql`INSERT INTO events (project_id, issue_id, event_id, timestamp, received_at, type, level, platform, title, payload, size, tag_line)
  SELECT 1, 1 + g % 1000, md5(g::text), ${now} - (g::bigint * 5000), ${now} - (g::bigint * 5000), 'error', 'error', 'node', 'TypeError: boom',
    decode(repeat('ab', 300), 'hex'), 600, E'\nlevel=error\n' FROM generate_series(1, ${rows}) g`.execute(
  db,
);
console.log(`seeded ${rows} events in ${Date.now() - t} ms`);
t = Date.now();
const pgModule = (await import('pg')).default;
const appDb = new Kysely({
  dialect: new PostgresDialect({ pool }),
  plugins: [new (await import('kysely')).CamelCasePlugin()],
});
const applied = await migrateToLatest(appDb, 'postgres');
console.log(`applied ${applied.join(', ')} in ${Date.now() - t} ms`);
const counts =
  await sql`SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM event_ids) AS ids, (SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass) AS partitions`.execute(
    db,
  );
console.log(counts.rows[0]);
await pool.end();
if (!process.env.KEEP) {
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
} else console.log(`kept schema ${schema}`);
await admin.end();
