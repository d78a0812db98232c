// Fills a migrated Picket database with one project's issues and events for the issue
// benchmark: issues with a skewed event count (a few issues hold most events), events spread
// over 30 days with deflated payloads, and the rows the issue list and issue page read (hashes,
// tag values, hourly counts, bookmarks, activity). Rows are written in the formats of
// src/server/features/worker/store-events.ts, straight into the tables, in large transactions.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { deflateSync, inflateSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WORDS = [
  'order',
  'cart',
  'user',
  'payment',
  'invoice',
  'session',
  'report',
  'queue',
  'cache',
  'search',
  'profile',
  'checkout',
  'upload',
  'billing',
  'export',
  'import',
];
const TYPES = ['TypeError', 'RangeError', 'ReferenceError', 'Error', 'SyntaxError', 'ApiError'];
const BROWSERS = [
  ['Chrome', '120.0.0', 0.6],
  ['Firefox', '121.0', 0.2],
  ['Safari', '17.2', 0.15],
  ['Edge', '120.0.0', 0.05],
];
const SYSTEMS = [
  ['Windows', '10', 0.45],
  ['Mac OS X', '14.2', 0.3],
  ['Linux', '6.1', 0.1],
  ['iOS', '17.2', 0.1],
  ['Android', '14', 0.05],
];
const ENVIRONMENTS = [
  ['production', 0.75],
  ['staging', 0.2],
  ['development', 0.05],
];
const RELEASES = 20;

/**
 * Returns a seeded pseudo-random generator (mulberry32), so that two runs write the same
 * issues and events, with times relative to the start of the run.
 */
export function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted(random, entries) {
  let roll = random();
  for (const entry of entries) {
    roll -= entry.at(-1);
    if (roll < 0) {
      return entry;
    }
  }
  return entries[0];
}

/**
 * Splits `events` over `issues` with a Zipf-like skew (weight 1/rank): with 10,000 issues the
 * largest has about 10 % of the events and the 100 largest about half. Every issue gets at
 * least one event. Returns the count of each rank, largest first.
 */
export function skewedCounts(issues, events) {
  const weights = Array.from({ length: issues }, (_, rank) => 1 / (rank + 1));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const counts = weights.map((weight) => Math.max(1, Math.floor((events * weight) / total)));
  const assigned = counts.reduce((sum, count) => sum + count, 0);
  counts[0] += events - assigned;
  return counts;
}

// Spells a number in letters: grouping replaces the digits of messages with a placeholder.
function letters(number) {
  let text = '';
  for (let rest = number; text === '' || rest > 0; rest = Math.floor(rest / 26)) {
    text += String.fromCharCode(97 + (rest % 26));
  }
  return text;
}

function rawEvent(index, random) {
  const word = WORDS[index % WORDS.length];
  const other = WORDS[(index * 7 + 3) % WORDS.length];
  const frames = [];
  for (let depth = 0; depth < 12; depth += 1) {
    const inApp = depth >= 6;
    const file = inApp
      ? `https://shop.example.com/static/js/${other}-${index % 97}.js`
      : `https://shop.example.com/static/js/vendor-${depth}.js`;
    frames.push({
      filename: file,
      abs_path: file,
      function: inApp ? `${word}${depth}Handler${index}` : `vendorCall${depth}`,
      lineno: 10 + ((index * 13 + depth * 17) % 400),
      colno: 5 + (depth % 30),
      in_app: inApp,
      pre_context: inApp ? ['  const input = load(id);', '  if (!input) {', '  }'] : undefined,
      context_line: inApp ? `  return compute${word}(input, options);` : undefined,
      post_context: inApp ? ['}', '', `export function compute${word}(value) {`] : undefined,
    });
  }
  const isMessage = index % 10 === 9;
  return {
    event_id: randomBytes(16).toString('hex'),
    timestamp: Date.now() / 1000,
    platform: 'javascript',
    level: isMessage ? 'warning' : random() < 0.1 ? 'fatal' : 'error',
    logger: 'javascript',
    release: 'web@1.0.0',
    environment: 'production',
    tags: { region: WORDS[index % 3], feature: other },
    user: { id: '1', ip_address: '10.0.0.1' },
    ...(isMessage
      ? { message: { formatted: `Slow ${word} response from the ${letters(index)} service` } }
      : {
          exception: {
            values: [
              {
                type: TYPES[index % TYPES.length],
                value: `cannot read ${word} of undefined in ${other} (${index})`,
                mechanism: { type: 'onerror', handled: index % 3 !== 0 },
                stacktrace: { frames },
              },
            ],
          },
        }),
    breadcrumbs: {
      values: Array.from({ length: 10 }, (_, step) => ({
        timestamp: Date.now() / 1000 - step,
        category: step % 2 === 0 ? 'fetch' : 'ui.click',
        message: `GET /api/${WORDS[(index + step) % WORDS.length]}/${step} 200`,
        level: 'info',
      })),
    },
    contexts: {
      browser: { name: 'Chrome', version: '120.0.0' },
      os: { name: 'Windows', version: '10' },
      trace: { trace_id: randomBytes(16).toString('hex'), span_id: randomBytes(8).toString('hex') },
    },
    request: {
      url: `https://shop.example.com/${word}/1`,
      method: 'GET',
      headers: { 'User-Agent': 'Mozilla/5.0', Referer: `https://shop.example.com/${other}` },
    },
    sdk: { name: 'sentry.javascript.browser', version: '8.40.0' },
  };
}

/**
 * Plans the issues: event count, time span, status, browser bias and the prepared template
 * event (title, culprit, metadata and grouping hashes computed by Picket's own code).
 */
function planIssues(options, prepareEvent, random) {
  const { issues: issueCount, events: eventCount, now, projectId } = options;
  const counts = skewedCounts(issueCount, eventCount);
  // Ranks are shuffled over issue ids, so that large issues are not all the oldest.
  const ranks = counts.map((_, index) => index);
  for (let index = ranks.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [ranks[index], ranks[other]] = [ranks[other], ranks[index]];
  }
  const seenHashes = new Set();
  const plans = [];
  for (let index = 0; index < issueCount; index += 1) {
    const rank = ranks[index];
    const count = counts[rank];
    let template;
    for (let attempt = 0; ; attempt += 1) {
      const raw = rawEvent(index + attempt * issueCount, random);
      const body = JSON.stringify({
        meta: { eventId: raw.event_id, sentAt: undefined, clientIp: '10.0.0.1', client: 'bench' },
        event: raw,
      });
      template = prepareEvent(projectId, now, body);
      if (!template.hashes.some((hash) => seenHashes.has(hash))) {
        break;
      }
    }
    template.hashes.forEach((hash) => seenHashes.add(hash));
    const stored = JSON.parse(inflateSync(template.payload).toString());
    const large = rank < 100;
    const firstSeen = large ? now - 30 * DAY_MS + random() * DAY_MS : now - random() * 30 * DAY_MS;
    const status = pickStatus(random());
    // Resolved issues stopped before now; the others may still be active.
    const activeUntil =
      status === 'resolved'
        ? firstSeen + (now - firstSeen) * random()
        : large || random() < 0.5
          ? now - random() * HOUR_MS
          : firstSeen + (now - firstSeen) * random();
    plans.push({
      id: index + 1,
      count,
      firstSeen,
      lastSeen: count === 1 ? firstSeen : Math.max(firstSeen, activeUntil),
      status,
      template,
      stored,
      users: Math.max(1, Math.min(50_000, Math.round(count / 3))),
      userBase: Math.floor(random() * 100_000),
      onlyBrowser: random() < 0.15 ? BROWSERS[Math.floor(random() * BROWSERS.length)] : undefined,
      pages: 1 + Math.floor(random() * 40),
    });
  }
  return plans;
}

function randomHex(random) {
  let text = '';
  for (let part = 0; part < 4; part += 1) {
    text += Math.floor(random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  }
  return text;
}

function releaseAt(timestamp, options, random) {
  const step = (30 * DAY_MS) / RELEASES;
  const index = Math.floor((timestamp - (options.now - 30 * DAY_MS)) / step);
  const lagging = random() < 0.1 ? 1 : 0;
  return `web@1.${Math.max(0, Math.min(RELEASES - 1, index - lagging))}.0`;
}

/** Builds one event of an issue: its columns, tags and stored payload. */
/** Picks a status: 70 % unresolved, 20 % resolved and 10 % ignored. */
function pickStatus(roll) {
  if (roll < 0.7) {
    return 'unresolved';
  }
  return roll < 0.9 ? 'resolved' : 'ignored';
}

function buildEvent(plan, timestamp, options, random) {
  const [browser, browserVersion] = plan.onlyBrowser ?? weighted(random, BROWSERS);
  const [os, osVersion] = weighted(random, SYSTEMS);
  const [environment] = weighted(random, ENVIRONMENTS);
  const release = releaseAt(timestamp, options, random);
  const user = `id:${plan.userBase + Math.floor(random() ** 2 * plan.users)}`;
  const url = `https://shop.example.com/${WORDS[plan.id % WORDS.length]}/${Math.floor(random() * plan.pages)}`;
  const values = {
    environment,
    release,
    user,
    url,
    browser: `${browser} ${browserVersion}`,
    'browser.name': browser,
    os: `${os} ${osVersion}`,
    'os.name': os,
  };
  const tags = plan.stored.tags.map(([key, value]) => [key, values[key] ?? value]);
  const eventId = randomHex(random);
  const traceId = randomHex(random);
  const stored = {
    ...plan.stored,
    event_id: eventId,
    timestamp: timestamp / 1000,
    received: timestamp / 1000,
    environment,
    release,
    tags,
    user: { id: user.slice(3), ip_address: '10.0.0.1' },
    request: { ...plan.stored.request, url },
    contexts: {
      ...plan.stored.contexts,
      browser: { ...plan.stored.contexts?.browser, name: browser, version: browserVersion },
      os: { ...plan.stored.contexts?.os, name: os, version: osVersion },
      trace: { ...plan.stored.contexts?.trace, trace_id: traceId },
    },
  };
  const json = JSON.stringify(stored);
  return {
    tags,
    row: [
      options.projectId,
      plan.id,
      eventId,
      Math.round(timestamp),
      Math.round(timestamp),
      plan.template.type,
      plan.template.level,
      plan.template.platform,
      plan.template.title,
      release,
      environment,
      traceId,
      user,
      deflateSync(json, { level: 1 }),
      Buffer.byteLength(json),
      plan.template.hashes[0] ?? null,
      `\n${tags.map(([key, value]) => `${key}=${value}`).join('\n')}\n`,
    ],
  };
}

const EVENT_COLUMNS = [
  'project_id',
  'issue_id',
  'event_id',
  'timestamp',
  'received_at',
  'type',
  'level',
  'platform',
  'title',
  'release',
  'environment',
  'trace_id',
  'user_tag',
  'payload',
  'size',
  'primary_hash',
  'tag_line',
];
const ISSUE_COLUMNS = [
  'id',
  'project_id',
  'short_id_number',
  'title',
  'culprit',
  'type',
  'level',
  'status',
  'substatus',
  'platform',
  'metadata',
  'first_seen',
  'last_seen',
  'times_seen',
  'user_count',
  'resolved_at',
  'first_release',
  'last_release',
  'status_details',
  'assignee_user_id',
  'assignee_team_id',
];

function toNumbered(text) {
  let number = 0;
  return text.replace(/\?/g, () => `$${(number += 1)}`);
}

/** Opens a writer with one `insert(table, columns, rows)` for SQLite or PostgreSQL. */
async function openWriter(target) {
  if (target.databaseUrl === undefined) {
    const Sqlite = require('better-sqlite3');
    const db = new Sqlite(target.sqliteFile);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -500000');
    const statements = new Map();
    return {
      async begin() {
        db.exec('BEGIN');
      },
      async commit() {
        db.exec('COMMIT');
      },
      async insert(table, columns, rows) {
        const key = `${table}:${columns.join(',')}`;
        let statement = statements.get(key);
        if (statement === undefined) {
          statement = db.prepare(
            `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
          );
          statements.set(key, statement);
        }
        for (const row of rows) {
          statement.run(row);
        }
      },
      async run(text, params = []) {
        db.prepare(text).run(params);
      },
      async get(text, params = []) {
        return db.prepare(text).get(params);
      },
      async close() {
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
      },
    };
  }

  const pg = require('pg');
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  let pending = Promise.resolve();
  return {
    async begin() {
      await client.query('BEGIN');
    },
    async commit() {
      await pending;
      await client.query('COMMIT');
    },
    // The statement is sent while the caller builds the next rows; a failure surfaces at the
    // next insert or commit.
    async insert(table, columns, rows) {
      await pending;
      const perStatement = Math.floor(30_000 / columns.length);
      const statements = [];
      for (let start = 0; start < rows.length; start += perStatement) {
        const slice = rows.slice(start, start + perStatement);
        const placeholders = slice.map(
          (_, row) =>
            `(${columns.map((__, column) => `$${row * columns.length + column + 1}`).join(', ')})`,
        );
        statements.push(
          client.query(
            `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders.join(', ')}`,
            slice.flat(),
          ),
        );
      }
      pending = Promise.all(statements);
    },
    async run(text, params = []) {
      await pending;
      await client.query(toNumbered(text), params);
    },
    async get(text, params = []) {
      await pending;
      return (await client.query(toNumbered(text), params)).rows[0];
    },
    async close() {
      await pending;
      await client.query('ANALYZE');
      await client.end();
    },
  };
}

/**
 * Seeds one project of a migrated database. `target` names the database (`sqliteFile` or
 * `databaseUrl`); `options` gives `orgSlug`, `projectSlug`, `userEmail` (who bookmarks, is
 * assigned and comments), `issues`, `events`, `now` and an optional `onProgress(done, total)`.
 * Returns counts of what was written.
 */
export async function seedIssues(target, options) {
  const { prepareEvent } = await import('../dist/server/features/worker/prepare-event.js');
  const random = createRandom(4);
  const started = Date.now();
  const writer = await openWriter(target);
  const project = await writer.get(
    'SELECT projects.id AS id, projects.organization_id AS organization FROM projects JOIN organizations ON organizations.id = projects.organization_id WHERE organizations.slug = ? AND projects.slug = ?',
    [options.orgSlug, options.projectSlug],
  );
  const user = await writer.get('SELECT id FROM users WHERE email = ?', [options.userEmail]);
  const team = await writer.get('SELECT id FROM teams WHERE organization_id = ? ORDER BY id', [
    project.organization,
  ]);
  options = {
    ...options,
    projectId: Number(project.id),
    userId: Number(user.id),
    teamId: Number(team.id),
  };
  const plans = planIssues(options, prepareEvent, random);

  await writer.begin();
  const issueRows = plans.map((plan) => {
    const assigned = random();
    return [
      plan.id,
      options.projectId,
      plan.id,
      plan.template.title,
      plan.template.culprit,
      plan.template.type,
      plan.template.level,
      plan.status,
      plan.status === 'resolved'
        ? null
        : plan.status === 'ignored'
          ? 'archived_until_escalating'
          : options.now - plan.firstSeen < 7 * DAY_MS
            ? 'new'
            : random() < 0.05
              ? 'regressed'
              : 'ongoing',
      plan.template.platform,
      JSON.stringify(plan.template.metadata),
      Math.round(plan.firstSeen),
      Math.round(plan.lastSeen),
      plan.count,
      0,
      plan.status === 'resolved' ? Math.round(plan.lastSeen + HOUR_MS) : null,
      null,
      null,
      plan.status === 'ignored' ? '{}' : null,
      assigned < 0.1 ? options.userId : null,
      assigned >= 0.1 && assigned < 0.13 ? options.teamId : null,
    ];
  });
  for (let start = 0; start < issueRows.length; start += 1000) {
    await writer.insert('issues', ISSUE_COLUMNS, issueRows.slice(start, start + 1000));
  }
  const hashRows = plans.flatMap((plan) =>
    plan.template.hashes.map((hash) => [options.projectId, hash, plan.id]),
  );
  await writer.insert('issue_hashes', ['project_id', 'hash', 'issue_id'], hashRows);
  await writer.run('UPDATE projects SET next_short_id = ?, first_event_at = ? WHERE id = ?', [
    plans.length + 1,
    Math.round(options.now - 30 * DAY_MS),
    options.projectId,
  ]);
  const bookmarks = plans
    .filter((plan) => plan.id % 50 === 0)
    .map((plan) => [plan.id, options.userId, options.now]);
  await writer.insert('issue_bookmarks', ['issue_id', 'user_id', 'created_at'], bookmarks);
  const activity = plans
    .filter((plan) => plan.status !== 'unresolved' || plan.id % 20 === 0)
    .map((plan) => [
      plan.id,
      options.projectId,
      options.userId,
      plan.status === 'resolved'
        ? 'set_resolved'
        : plan.status === 'ignored'
          ? 'set_ignored'
          : 'note',
      plan.status === 'unresolved' ? JSON.stringify({ text: 'Looking into this.' }) : '{}',
      Math.round(plan.lastSeen),
    ]);
  await writer.insert(
    'issue_activity',
    ['issue_id', 'project_id', 'user_id', 'type', 'data', 'created_at'],
    activity,
  );
  await writer.commit();

  // Every event's time and issue, sorted by time, so that rows land in the order the worker
  // would have written them.
  const total = plans.reduce((sum, plan) => sum + plan.count, 0);
  const times = new Float64Array(total);
  const owners = new Uint32Array(total);
  let cursor = 0;
  for (const [index, plan] of plans.entries()) {
    for (let event = 0; event < plan.count; event += 1) {
      times[cursor] =
        event === 0
          ? plan.firstSeen
          : event === plan.count - 1
            ? plan.lastSeen
            : plan.firstSeen + random() * (plan.lastSeen - plan.firstSeen);
      owners[cursor] = index;
      cursor += 1;
    }
  }
  const order = new Uint32Array(total).map((_, index) => index);
  order.sort((a, b) => times[a] - times[b]);

  const tagValues = plans.map(() => new Map());
  const hourly = plans.map(() => new Map());
  const releases = plans.map(() => ({ first: null, last: null }));
  let batch = [];
  let payloadBytes = 0;
  await writer.begin();
  for (const [position, index] of order.entries()) {
    const plan = plans[owners[index]];
    const timestamp = times[index];
    const { row, tags } = buildEvent(plan, timestamp, options, random);
    payloadBytes += row[13].length;
    batch.push(row);
    const values = tagValues[owners[index]];
    for (const [key, value] of tags) {
      const id = `${key}\u0000${value}`;
      const existing = values.get(id);
      if (existing === undefined) {
        values.set(id, [key, value, 1, timestamp, timestamp]);
      } else {
        existing[2] += 1;
        existing[4] = timestamp;
      }
    }
    const hour = Math.floor(timestamp / HOUR_MS) * HOUR_MS;
    const counts = hourly[owners[index]];
    counts.set(hour, (counts.get(hour) ?? 0) + 1);
    releases[owners[index]].first ??= row[9];
    releases[owners[index]].last = row[9];

    if (batch.length === 1000) {
      await writer.insert('events', EVENT_COLUMNS, batch);
      batch = [];
    }
    if ((position + 1) % 50_000 === 0) {
      await writer.commit();
      await writer.begin();
      options.onProgress?.(position + 1, total);
    }
  }
  await writer.insert('events', EVENT_COLUMNS, batch);
  await writer.commit();

  await writer.begin();
  let tagRows = [];
  let hourRows = 0;
  let tagCount = 0;
  for (const [index, plan] of plans.entries()) {
    for (const [key, value, timesSeen, firstSeen, lastSeen] of tagValues[index].values()) {
      tagRows.push([plan.id, key, value, timesSeen, Math.round(firstSeen), Math.round(lastSeen)]);
    }
    if (tagRows.length >= 5000) {
      tagCount += tagRows.length;
      await writer.insert(
        'issue_tag_values',
        ['issue_id', 'key', 'value', 'times_seen', 'first_seen', 'last_seen'],
        tagRows,
      );
      tagRows = [];
    }
    const hours = [...hourly[index]].map(([hour, count]) => [plan.id, hour, count]);
    hourRows += hours.length;
    await writer.insert('issue_hourly_counts', ['issue_id', 'hour', 'count'], hours);
    const users = [...tagValues[index].values()].filter(([key]) => key === 'user').length;
    await writer.run(
      'UPDATE issues SET user_count = ?, first_release = ?, last_release = ? WHERE id = ?',
      [users, releases[index].first, releases[index].last, plan.id],
    );
  }
  tagCount += tagRows.length;
  await writer.insert(
    'issue_tag_values',
    ['issue_id', 'key', 'value', 'times_seen', 'first_seen', 'last_seen'],
    tagRows,
  );
  await writer.commit();
  if (target.databaseUrl !== undefined) {
    await writer.run(`SELECT setval(pg_get_serial_sequence('issues', 'id'), ?)`, [plans.length]);
  }
  await writer.close();

  return {
    issues: plans.length,
    events: total,
    largestIssueEvents: Math.max(...plans.map((plan) => plan.count)),
    payloadMb: Math.round(payloadBytes / 2 ** 20),
    tagValues: tagCount,
    hourlyCounts: hourRows,
    seconds: Math.round((Date.now() - started) / 1000),
  };
}
