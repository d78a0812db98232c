import { readFileSync } from 'node:fs';

import { compileFilterConfig, shouldFilterEvent } from './inbound-filters.js';
import { isLegacyBrowserSubfilter, type LegacyBrowserOption } from './legacy-browsers.js';

/**
 * One inbound-filter decision taken from Relay's unit tests: a filter, its config, an event
 * that sets one field, and whether Relay drops the event.
 */
export interface FilterCase {
  filter: string;
  config: { is_enabled: boolean; browsers?: string[] };
  input: Record<string, unknown>;
  expected_filtered: boolean;
  relay_test: string;
}

export interface FilterMismatch {
  index: number;
  filter: string;
  relayTest: string;
  input: Record<string, unknown>;
  expectedFiltered: boolean;
  /** The reason Picket gave, or null when it kept the event. */
  actualReason: string | null;
}

export interface FilterConformanceReport {
  total: number;
  matched: number;
  byFilter: Record<string, { matched: number; total: number }>;
  mismatches: FilterMismatch[];
}

/**
 * Builds the event a case describes. Field names follow the data file: `user_agent` is the
 * User-Agent request header, `exception_value` the first exception's value,
 * `exception_source_abs_path` the path of its first frame (followed by two anonymous frames).
 */
export function buildCaseEvent(input: Record<string, unknown>): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  const headers: unknown[] = [];

  if (typeof input.user_agent === 'string') {
    headers.push(['User-Agent', input.user_agent]);
  }
  if (Array.isArray(input['request.headers'])) {
    headers.push(...(input['request.headers'] as unknown[]));
  }
  const url = input['request.url'];
  if (headers.length > 0 || typeof url === 'string') {
    event.request = { ...(typeof url === 'string' ? { url } : {}), headers };
  }

  if (typeof input['user.ip_address'] === 'string') {
    event.user = { ip_address: input['user.ip_address'] };
  }

  const source = input.exception_source_abs_path;
  if (typeof input.exception_value === 'string' || typeof source === 'string') {
    const frames =
      typeof source === 'string'
        ? [{ abs_path: source }, { abs_path: '<anonymous>' }, { abs_path: '<anonymous>' }]
        : undefined;
    event.exception = {
      values: [
        {
          ...(typeof input.exception_value === 'string' ? { value: input.exception_value } : {}),
          ...(frames === undefined ? {} : { stacktrace: { frames } }),
        },
        {},
        {},
      ],
    };
  }

  return event;
}

function legacyOptions(browsers: string[] | undefined): LegacyBrowserOption[] {
  // Relay ignores option names it does not know.
  return (browsers ?? []).filter(
    (name): name is LegacyBrowserOption => name === 'default' || isLegacyBrowserSubfilter(name),
  );
}

/**
 * Runs one case through Picket's filters with only its filter configured. The event goes in
 * as built, without normalization, because Relay's unit tests call the filter that way. A
 * normalized event would lose an exception that has a stack trace but neither type nor value.
 */
export function decideCase(testCase: FilterCase): string | undefined {
  const enabled = testCase.config.is_enabled;
  const config = compileFilterConfig({
    browserExtensions: testCase.filter === 'browser-extensions' && enabled,
    localhost: testCase.filter === 'localhost' && enabled,
    webCrawlers: testCase.filter === 'web-crawlers' && enabled,
    healthChecks: false,
    legacyBrowsers:
      testCase.filter === 'legacy-browsers' && enabled
        ? legacyOptions(testCase.config.browsers)
        : [],
    blacklistedIps: [],
    releases: [],
    errorMessages: [],
  });
  return shouldFilterEvent(buildCaseEvent(testCase.input), config, undefined);
}

/** Reads the cases file and compares every decision with Relay's. */
export function runFilterConformance(casesFile: string): FilterConformanceReport {
  const data = JSON.parse(readFileSync(casesFile, 'utf8')) as { cases: FilterCase[] };
  const report: FilterConformanceReport = { total: 0, matched: 0, byFilter: {}, mismatches: [] };

  data.cases.forEach((testCase, index) => {
    const reason = decideCase(testCase);
    const isMatch = (reason === testCase.filter) === testCase.expected_filtered;
    const tally = (report.byFilter[testCase.filter] ??= { matched: 0, total: 0 });

    report.total += 1;
    tally.total += 1;
    if (isMatch) {
      report.matched += 1;
      tally.matched += 1;
      return;
    }
    report.mismatches.push({
      index,
      filter: testCase.filter,
      relayTest: testCase.relay_test,
      input: testCase.input,
      expectedFiltered: testCase.expected_filtered,
      actualReason: reason ?? null,
    });
  });

  return report;
}

/** Formats the report as text lines: the total, one line per filter, then each mismatch. */
export function formatFilterConformance(report: FilterConformanceReport): string[] {
  const lines = [`relay-filter: ${report.matched}/${report.total}`];

  for (const [filter, tally] of Object.entries(report.byFilter)) {
    lines.push(`  ${filter}: ${tally.matched}/${tally.total}`);
  }
  for (const mismatch of report.mismatches) {
    const expected = mismatch.expectedFiltered ? 'drop' : 'keep';
    const actual = mismatch.actualReason === null ? 'kept' : `dropped (${mismatch.actualReason})`;
    lines.push(
      `  mismatch #${mismatch.index} ${mismatch.relayTest}: Relay would ${expected}, Picket ${actual}: ${JSON.stringify(mismatch.input)}`,
    );
  }
  return lines;
}
