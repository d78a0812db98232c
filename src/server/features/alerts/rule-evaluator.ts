import {
  CONDITION_IDS,
  FILTER_IDS,
  FREQUENCY_INTERVALS,
  type RuleMatch,
  type RuleNode,
} from '../../../shared/api/alerts.js';

/** The parts of a rule that decide whether it fires. */
export interface RuleLogic {
  environment: string | null;
  actionMatch: RuleMatch;
  filterMatch: RuleMatch;
  conditions: readonly RuleNode[];
  filters: readonly RuleNode[];
}

/** The event a rule is checked against: stored (scrubbed) columns and its payload. */
export interface EventView {
  level: string;
  environment: string | null;
  tags: readonly (readonly [string, string])[];
  /** The stored event JSON; attributes and contexts are read from it. */
  payload: Record<string, unknown>;
}

export interface IssueView {
  type: string;
  firstSeen: number;
  timesSeen: number;
}

/**
 * What happened to the issue with this event. The counts are asked only for rules with a
 * frequency condition, since each one is a query.
 */
export interface IssueSignals {
  firstSeen: boolean;
  regression: boolean;
  escalating: boolean;
  releaseFirstEvent: boolean;
  countEvents: (minutes: number) => Promise<number>;
  countUsers: (minutes: number) => Promise<number>;
}

/** The condition keys of the webhook body's `reasons` and of `alert_firings.reasons`. */
export const CONDITION_REASONS: Record<string, string> = {
  [CONDITION_IDS.firstSeen]: 'first_seen',
  [CONDITION_IDS.regression]: 'regression',
  [CONDITION_IDS.reappeared]: 'escalating',
  [CONDITION_IDS.frequency]: 'frequency',
  [CONDITION_IDS.userFrequency]: 'user_frequency',
  [CONDITION_IDS.releaseFirstEvent]: 'release_first_event',
};

/** Sentry's numeric log levels. */
export const LEVELS: Record<string, number> = {
  fatal: 50,
  error: 40,
  warning: 30,
  info: 20,
  debug: 10,
  sample: 0,
};

const TIME_UNITS: Record<string, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

const ISSUE_CATEGORY_ERROR = '1';
const ISSUE_CATEGORY_FEEDBACK = '6';

/**
 * Sentry's match operators over the values an event has for a key (lower-cased on both sides):
 * positive operators hold when one value matches, negative ones when none does, `is` and `ns`
 * when the key has a value or none.
 */
export function matchValues(values: readonly string[], match: string, wanted: string): boolean {
  const list = values.map((value) => value.toLowerCase());
  const target = wanted.toLowerCase();
  switch (match) {
    case 'eq':
      return list.includes(target);
    case 'ne':
      return !list.includes(target);
    case 'sw':
      return list.some((value) => value.startsWith(target));
    case 'nsw':
      return !list.some((value) => value.startsWith(target));
    case 'ew':
      return list.some((value) => value.endsWith(target));
    case 'new':
      return !list.some((value) => value.endsWith(target));
    case 'co':
      return list.some((value) => value.includes(target));
    case 'nc':
      return !list.some((value) => value.includes(target));
    case 'is':
      return list.length > 0;
    case 'ns':
      return list.length === 0;
    default:
      return false;
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

function text(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return [String(value)];
  }
  return [];
}

function exceptions(payload: Record<string, unknown>): Record<string, unknown>[] {
  return list(record(payload.exception).values).map(record);
}

function frames(payload: Record<string, unknown>): Record<string, unknown>[] {
  const stacktraces = [
    ...exceptions(payload).map((exception) => record(exception.stacktrace)),
    record(payload.stacktrace),
  ];
  return stacktraces.flatMap((stacktrace) => list(stacktrace.frames).map(record));
}

/** The values of an event attribute of the attribute filter, read from the stored event. */
export function attributeValues(payload: Record<string, unknown>, attribute: string): string[] {
  const user = record(payload.user);
  const request = record(payload.request);
  const handled = () =>
    exceptions(payload).flatMap((exception) => {
      const value = record(exception.mechanism).handled;
      return typeof value === 'boolean' ? [value] : [];
    });
  switch (attribute) {
    case 'message': {
      const message = payload.message;
      const logentry = record(typeof message === 'object' ? message : payload.logentry);
      return [
        ...text(typeof message === 'string' ? message : undefined),
        ...text(logentry.formatted),
        ...text(logentry.message),
        ...text(payload.title),
      ];
    }
    case 'platform':
    case 'environment':
    case 'type':
      return text(payload[attribute]);
    case 'exception.type':
    case 'exception.value': {
      const key = attribute === 'exception.type' ? 'type' : 'value';
      return exceptions(payload).flatMap((exception) => text(exception[key]));
    }
    case 'error.handled':
      return handled().map(String);
    case 'error.unhandled':
      return handled().map((value) => String(!value));
    case 'user.id':
    case 'user.email':
    case 'user.username':
      return text(user[attribute.slice('user.'.length)]);
    case 'http.method':
    case 'http.url':
      return text(request[attribute.slice('http.'.length)]);
    case 'sdk.name':
      return text(record(payload.sdk).name);
    case 'stacktrace.filename':
    case 'stacktrace.module':
    case 'stacktrace.abs_path': {
      const key = attribute.slice('stacktrace.'.length);
      return frames(payload).flatMap((frame) => text(frame[key]));
    }
    default:
      return [];
  }
}

/** The value at a dotted path inside the event's contexts, such as `os.name`. */
export function contextValues(payload: Record<string, unknown>, path: string): string[] {
  let current: unknown = record(payload.contexts);
  for (const part of path.split('.')) {
    current = record(current)[part];
    if (current === undefined) {
      return [];
    }
  }
  return text(current);
}

function intervalMinutes(node: RuleNode): number {
  return FREQUENCY_INTERVALS[String(node.interval)]?.minutes ?? 1;
}

async function conditionHolds(node: RuleNode, signals: IssueSignals): Promise<boolean> {
  switch (node.id) {
    case CONDITION_IDS.firstSeen:
      return signals.firstSeen;
    case CONDITION_IDS.regression:
      return signals.regression;
    case CONDITION_IDS.reappeared:
      return signals.escalating;
    case CONDITION_IDS.releaseFirstEvent:
      return signals.releaseFirstEvent;
    case CONDITION_IDS.frequency:
      return (await signals.countEvents(intervalMinutes(node))) > Number(node.value);
    case CONDITION_IDS.userFrequency:
      return (await signals.countUsers(intervalMinutes(node))) > Number(node.value);
    default:
      return false;
  }
}

/** Whether a filter passes for the event and its issue at `now`. */
export function filterPasses(
  node: RuleNode,
  event: EventView,
  issue: IssueView,
  now: number,
): boolean {
  const value =
    typeof node.value === 'string' || typeof node.value === 'number' ? String(node.value) : '';
  switch (node.id) {
    case FILTER_IDS.level: {
      const level = LEVELS[event.level] ?? LEVELS.error ?? 40;
      const wanted = Number(node.level);
      if (node.match === 'gte') {
        return level >= wanted;
      }
      return node.match === 'lte' ? level <= wanted : level === wanted;
    }
    case FILTER_IDS.tagged: {
      const key = String(node.key).toLowerCase();
      const values = event.tags.filter(([tag]) => tag.toLowerCase() === key).map(([, v]) => v);
      return matchValues(values, String(node.match), value);
    }
    case FILTER_IDS.attribute:
      return matchValues(
        attributeValues(event.payload, String(node.attribute)),
        String(node.match),
        value,
      );
    case FILTER_IDS.context:
      return matchValues(contextValues(event.payload, String(node.key)), String(node.match), value);
    case FILTER_IDS.age: {
      const age = Number(node.value) * (TIME_UNITS[String(node.time)] ?? TIME_UNITS.minute ?? 0);
      return node.comparison_type === 'older'
        ? issue.firstSeen < now - age
        : issue.firstSeen > now - age;
    }
    case FILTER_IDS.category: {
      const category = issue.type === 'feedback' ? ISSUE_CATEGORY_FEEDBACK : ISSUE_CATEGORY_ERROR;
      return value === category;
    }
    case FILTER_IDS.occurrences:
      return issue.timesSeen >= Number(node.value);
    default:
      return false;
  }
}

function combine(match: RuleMatch, results: readonly boolean[]): boolean {
  if (match === 'any') {
    return results.some(Boolean);
  }
  if (match === 'none') {
    return !results.some(Boolean);
  }
  return results.every(Boolean);
}

/** Whether a rule fires, and the condition keys that held (none with `actionMatch: none`). */
export interface RuleVerdict {
  fires: boolean;
  reasons: string[];
}

/**
 * Checks a rule against an event of an issue: the environment first, then the filters (cheap,
 * no queries), then the conditions, combined with `filterMatch` and `actionMatch` as Sentry
 * does. A rule without filters passes its filters whatever `filterMatch` says.
 */
export async function evaluateRule(
  rule: RuleLogic,
  event: EventView,
  issue: IssueView,
  signals: IssueSignals,
  now: number,
): Promise<RuleVerdict> {
  const no = { fires: false, reasons: [] };
  if (rule.environment !== null && rule.environment !== event.environment) {
    return no;
  }
  if (
    rule.filters.length > 0 &&
    !combine(
      rule.filterMatch,
      rule.filters.map((node) => filterPasses(node, event, issue, now)),
    )
  ) {
    return no;
  }
  const held: string[] = [];
  const results: boolean[] = [];
  for (const node of rule.conditions) {
    const holds = await conditionHolds(node, signals);
    results.push(holds);
    if (holds) {
      held.push(CONDITION_REASONS[node.id] ?? node.id);
    }
    // `any` needs one, `all` fails with one miss, `none` fails with one hit.
    if (
      (rule.actionMatch === 'any' && holds) ||
      (rule.actionMatch === 'all' && !holds) ||
      (rule.actionMatch === 'none' && holds)
    ) {
      break;
    }
  }
  if (!combine(rule.actionMatch, results)) {
    return no;
  }
  return { fires: true, reasons: rule.actionMatch === 'none' ? [] : held };
}
