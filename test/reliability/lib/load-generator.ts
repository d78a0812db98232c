/**
 * An in-process client that sends events at a steady rate to the ingest processes and
 * retries like an SDK with an offline cache. On 429 and 503 it waits for `Retry-After`
 * (capped), and on a connection error it tries the next ingest process. It records each event
 * id and whether a 200 acknowledged it.
 */
import { randomUUID } from 'node:crypto';

import type { Random } from './random.js';

export interface LoadProject {
  projectId: number;
  publicKey: string;
}

export interface LoadOptions {
  /** Base URLs of the ingest processes; events are spread over them. */
  ingestUrls: string[];
  projects: LoadProject[];
  eventsPerSecond: number;
  random: Random;
  /** Maximum wait before a retry, whatever `Retry-After` requests. */
  maxRetryDelayMs?: number;
  /** Events waiting for a response above which no new event is made (a full SDK buffer). */
  maxInFlight?: number;
}

/** What happened to one event id. */
export interface SentEvent {
  projectId: number;
  attempts: number;
  acknowledged: boolean;
}

/** Responses that break the ingest contract, kept with a few examples. */
export interface ContractViolations {
  /** 429 or 503 responses without a `Retry-After` header. */
  missingRetryAfter: number;
  /** 5xx responses other than 503, and 4xx other than 429. */
  unexpectedStatus: number;
  examples: string[];
}

const TICK_MS = 50;
const REQUEST_TIMEOUT_MS = 20_000;
const MESSAGES = [
  'reliability load: timeout',
  'reliability load: refused',
  'reliability load: nil',
];

export class LoadGenerator {
  readonly events = new Map<string, SentEvent>();
  readonly statuses = new Map<string, number>();
  readonly violations: ContractViolations = {
    missingRetryAfter: 0,
    unexpectedStatus: 0,
    examples: [],
  };
  /** Events given up after `finish`'s deadline without a 200. */
  abandoned = 0;
  readonly #options: Required<LoadOptions>;
  readonly #inFlight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #deadline = Number.POSITIVE_INFINITY;
  #credit = 0;
  #nextTarget = 0;
  #sequence = 0;

  constructor(options: LoadOptions) {
    this.#options = { maxRetryDelayMs: 2_000, maxInFlight: 400, ...options };
  }

  get sent(): number {
    return this.events.size;
  }

  get acknowledged(): number {
    let count = 0;
    for (const event of this.events.values()) {
      count += event.acknowledged ? 1 : 0;
    }
    return count;
  }

  /** Counts responses with `status` (or `error`), so a scenario can assert on them. */
  countOf(status: string): number {
    return this.statuses.get(status) ?? 0;
  }

  start(): void {
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
  }

  /**
   * Stops making new events, then lets the pending ones retry until they get a 200 or
   * `retryForMs` passes; the rest are counted as abandoned.
   */
  async finish(retryForMs: number): Promise<void> {
    clearInterval(this.#timer);
    this.#deadline = Date.now() + retryForMs;
    while (this.#inFlight.size > 0) {
      await Promise.race(this.#inFlight);
    }
  }

  #tick(): void {
    this.#credit += (this.#options.eventsPerSecond * TICK_MS) / 1_000;
    while (this.#credit >= 1) {
      this.#credit -= 1;
      if (this.#inFlight.size >= this.#options.maxInFlight) {
        continue;
      }
      const task = this.#send();
      this.#inFlight.add(task);
      void task.finally(() => this.#inFlight.delete(task));
    }
  }

  async #send(): Promise<void> {
    const { projects, random } = this.#options;
    const project = projects[random.integer(projects.length)];
    if (project === undefined) {
      return;
    }
    const eventId = randomUUID().replaceAll('-', '');
    const sequence = (this.#sequence += 1);
    const event: SentEvent = { projectId: project.projectId, attempts: 0, acknowledged: false };
    this.events.set(eventId, event);
    const body = buildEnvelope(eventId, sequence);

    while (Date.now() < this.#deadline) {
      event.attempts += 1;
      const delay = await this.#attempt(project, body);
      if (delay === undefined) {
        event.acknowledged = true;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    this.abandoned += 1;
  }

  /** Sends once; returns undefined on 200, else how long to wait before the next try. */
  async #attempt(project: LoadProject, body: string): Promise<number | undefined> {
    const { ingestUrls, maxRetryDelayMs } = this.#options;
    const base = ingestUrls[this.#nextTarget % ingestUrls.length];
    this.#nextTarget += 1;
    const url = `${base}/api/${project.projectId}/envelope/?sentry_key=${project.publicKey}&sentry_version=7`;

    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-sentry-envelope' },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.arrayBuffer();
    } catch {
      // Refused, reset or timed out: the process may have died. The next try goes elsewhere.
      this.#count('error');
      return 100 + this.#options.random.integer(200);
    }

    this.#count(String(response.status));
    if (response.status === 200) {
      return undefined;
    }

    const retryAfter = Number(response.headers.get('retry-after'));
    const isBackoff = response.status === 429 || response.status === 503;
    if (isBackoff && !(retryAfter > 0)) {
      this.#violate(`${response.status} without Retry-After from ${base}`);
    }
    if (!isBackoff) {
      this.#violate(`${response.status} from ${base}`);
    }
    const asked = retryAfter > 0 ? retryAfter * 1_000 : 500;
    return Math.min(asked, maxRetryDelayMs);
  }

  #count(status: string): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  #violate(example: string): void {
    if (example.includes('Retry-After')) {
      this.violations.missingRetryAfter += 1;
    } else {
      this.violations.unexpectedStatus += 1;
    }
    if (this.violations.examples.length < 10) {
      this.violations.examples.push(example);
    }
  }
}

function buildEnvelope(eventId: string, sequence: number): string {
  const now = new Date().toISOString();
  const event = {
    event_id: eventId,
    timestamp: Date.now() / 1_000,
    platform: 'javascript',
    level: 'error',
    message: MESSAGES[sequence % MESSAGES.length],
    extra: { sequence },
  };
  return [
    JSON.stringify({ event_id: eventId, sent_at: now }),
    JSON.stringify({ type: 'event' }),
    JSON.stringify(event),
  ].join('\n');
}
