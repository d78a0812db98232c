/** Seed requests for the fuzz tests: real SDK captures and a few hand-made envelopes. */
import fs from 'node:fs';
import path from 'node:path';

const CAPTURES = '/work/shared/sdk-captures';

export interface SeedBody {
  name: string;
  /** Ingest route after `/api/{id}/`, such as `envelope/` or `store/`. */
  route: string;
  body: Buffer;
}

/** Reads every capture that has a text body and an envelope or store path. */
export function loadCaptures(): SeedBody[] {
  if (!fs.existsSync(CAPTURES)) {
    return [];
  }
  const seeds: SeedBody[] = [];
  for (const folder of fs.readdirSync(CAPTURES)) {
    const dir = path.join(CAPTURES, folder);
    if (!fs.statSync(dir).isDirectory()) {
      continue;
    }
    for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      const capture = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
        path?: string;
        body?: string;
      };
      const match = /^\/api\/\d+\/(envelope|store)\/$/.exec(capture.path ?? '');
      if (match?.[1] !== undefined && typeof capture.body === 'string') {
        seeds.push({
          name: `${folder}/${file}`,
          route: `${match[1]}/`,
          body: Buffer.from(capture.body),
        });
      }
    }
  }
  return seeds;
}

/** A store-style event with every field the UI shows, for seeds when captures are missing. */
export function sampleEvent(eventId: string): Record<string, unknown> {
  return {
    event_id: eventId,
    timestamp: Date.now() / 1000,
    platform: 'javascript',
    level: 'error',
    message: 'sample',
    exception: {
      values: [
        {
          type: 'Error',
          value: 'sample',
          stacktrace: { frames: [{ filename: 'a.js', function: 'f', lineno: 1, colno: 2 }] },
        },
      ],
    },
    tags: { a: 'b' },
    user: { id: '1', email: 'u@example.com' },
    request: { url: 'https://example.com/', headers: { 'User-Agent': 'x' } },
    breadcrumbs: { values: [{ message: 'crumb', category: 'ui' }] },
  };
}
