// Prints the plan and the time of the statements behind the issue list and the issue page, on
// a database seeded by the issue benchmark (run it with --keep to keep the database).
// Usage: node bench/issues-explain.js --sqlite DIR/picket.sqlite | --postgres URL
//        [--issue ID] (default: the issue with the most events)
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: {
    sqlite: { type: 'string' },
    postgres: { type: 'string' },
    issue: { type: 'string' },
  },
});

const ISSUE_COLUMNS =
  'issues.id, issues.project_id, issues.short_id_number, issues.title, issues.culprit, issues.type, issues.level, issues.status, issues.substatus, issues.platform, issues.metadata, issues.first_seen, issues.last_seen, issues.times_seen, issues.user_count, projects.slug';
const EVENT_COLUMNS = 'id, project_id, issue_id, event_id, timestamp, received_at, payload, size';

/** The statements, as the repositories write them, with `$issue`, `$ts` and `$id` to fill. */
function statements(now) {
  const list = (where, order) =>
    `SELECT ${ISSUE_COLUMNS} FROM issues JOIN projects ON projects.id = issues.project_id WHERE issues.project_id IN (1) AND issues.status IN ('unresolved') ${where} ORDER BY ${order} DESC, issues.id DESC LIMIT 26 OFFSET 0`;
  return {
    'list sort=date': list('', 'issues.last_seen'),
    'list sort=freq': list('', 'issues.times_seen'),
    'list sort=new': list('', 'issues.first_seen'),
    'list level:error browser:Chrome': list(
      `AND issues.level = 'error' AND EXISTS (SELECT 1 FROM issue_tag_values AS t WHERE t.issue_id = issues.id AND t.key = 'browser' AND t.value LIKE 'Chrome' ESCAPE '\\')`,
      'issues.last_seen',
    ),
    'list free text': list(
      `AND (lower(issues.title) LIKE '%cannot read cart%' ESCAPE '\\' OR lower(issues.culprit) LIKE '%cannot read cart%' ESCAPE '\\')`,
      'issues.last_seen',
    ),
    'stats 30d': `SELECT issue_id, hour, count FROM issue_hourly_counts WHERE issue_id IN ($issue) AND hour >= ${now - 30 * 86_400_000} AND hour < ${now + 86_400_000}`,
    'tag values': `SELECT key, value, times_seen, first_seen, last_seen FROM issue_tag_values WHERE issue_id = $issue ORDER BY key, times_seen DESC`,
    'latest event': `SELECT ${EVENT_COLUMNS} FROM events WHERE issue_id = $issue ORDER BY timestamp DESC, id DESC LIMIT 1`,
    'older neighbor': `SELECT event_id FROM events WHERE issue_id = $issue AND (timestamp < $ts OR (timestamp = $ts AND id < $id)) ORDER BY timestamp DESC, id DESC LIMIT 1`,
    'newer neighbor': `SELECT event_id FROM events WHERE issue_id = $issue AND (timestamp > $ts OR (timestamp = $ts AND id > $id)) ORDER BY timestamp ASC, id ASC LIMIT 1`,
    'events list': `SELECT ${EVENT_COLUMNS} FROM events WHERE issue_id = $issue ORDER BY timestamp DESC, id DESC LIMIT 101 OFFSET 0`,
  };
}

async function open() {
  if (values.sqlite !== undefined) {
    const Sqlite = require('better-sqlite3');
    const db = new Sqlite(values.sqlite, { readonly: true });
    return {
      all: async (text) => db.prepare(text).all(),
      plan: async (text) =>
        db
          .prepare(`EXPLAIN QUERY PLAN ${text}`)
          .all()
          .map((row) => row.detail)
          .join('\n'),
      close: async () => db.close(),
    };
  }
  const pg = require('pg');
  const client = new pg.Client({ connectionString: values.postgres });
  await client.connect();
  return {
    all: async (text) => (await client.query(text)).rows,
    plan: async (text) =>
      (await client.query(`EXPLAIN ANALYZE ${text}`)).rows
        .map((row) => row['QUERY PLAN'])
        .join('\n'),
    close: () => client.end(),
  };
}

const db = await open();
const [largest] = await db.all('SELECT id FROM issues ORDER BY times_seen DESC LIMIT 1');
const issue = Number(values.issue ?? largest.id);
const [latest] = await db.all(
  `SELECT id, timestamp FROM events WHERE issue_id = ${issue} ORDER BY timestamp DESC, id DESC LIMIT 1`,
);
for (const [name, template] of Object.entries(statements(Date.now()))) {
  const text = template
    .replaceAll('$issue', String(issue))
    .replaceAll('$ts', String(latest.timestamp))
    .replaceAll('$id', String(latest.id));
  await db.all(text);
  const started = process.hrtime.bigint();
  const rows = await db.all(text);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(
    `== ${name}: ${ms.toFixed(1)} ms, ${rows.length} rows\n${await db.plan(text)}\n`,
  );
}
await db.close();
