/**
 * A strict reader of the Prometheus text exposition format, version 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). It throws on the first line
 * that is not valid, so a test that scrapes `/metrics` also checks the format.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: string;
  help: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)( -?\d+)?$/;

/** Parses an exposition text into metric families, keyed by family name. */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  let current: Family | undefined;
  const closed = new Set<string>();

  const lines = text.split('\n');
  if (lines.at(-1) !== '') {
    throw new Error('exposition text does not end with a line feed');
  }
  lines.pop();

  lines.forEach((line, index) => {
    const where = `line ${index + 1} ${JSON.stringify(line)}`;
    if (line === '') {
      return;
    }

    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (match === null) {
        return;
      }
      const [, keyword, name = '', rest = ''] = match;
      if (!METRIC_NAME.test(name)) {
        throw new Error(`invalid metric name at ${where}`);
      }
      if (current?.name !== name) {
        if (current !== undefined) {
          closed.add(current.name);
        }
        if (closed.has(name) || families.has(name)) {
          throw new Error(`family ${name} appears twice, at ${where}`);
        }
        current = { name, type: 'untyped', help: '', samples: [] };
        families.set(name, current);
      }
      if (keyword === 'TYPE') {
        if (!TYPES.has(rest) || current.samples.length > 0) {
          throw new Error(`invalid or late TYPE at ${where}`);
        }
        current.type = rest;
      } else {
        current.help = rest;
      }
      return;
    }

    const match = SAMPLE.exec(line);
    if (match === null) {
      throw new Error(`invalid sample at ${where}`);
    }
    const [, name = '', labelText, valueText = ''] = match;
    const value = parseValue(valueText, where);
    const labels = labelText === undefined ? {} : parseLabels(labelText.slice(1, -1), where);
    if (current === undefined || !belongsTo(name, current)) {
      throw new Error(`sample outside its family's block at ${where}`);
    }
    current.samples.push({ name, labels, value });
  });

  for (const family of families.values()) {
    if (family.type === 'histogram') {
      checkHistogram(family);
    }
  }
  return families;
}

function belongsTo(name: string, family: Family): boolean {
  if (name === family.name) {
    return family.type !== 'histogram';
  }
  const suffixes =
    family.type === 'histogram'
      ? ['_bucket', '_sum', '_count']
      : family.type === 'summary'
        ? ['_sum', '_count']
        : [];
  return suffixes.some((suffix) => name === family.name + suffix);
}

// Values follow Go's strconv.ParseFloat, which Prometheus uses: NaN and Inf in any letter case
// (prom-client writes `Nan`), with an optional sign for Inf.
function parseValue(text: string, where: string): number {
  if (/^nan$/i.test(text)) {
    return Number.NaN;
  }
  const infinity = /^([-+]?)inf(inity)?$/i.exec(text);
  if (infinity !== null) {
    return infinity[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    throw new Error(`invalid value at ${where}`);
  }
  return Number(text);
}

function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest !== '') {
    const match = /^([^=]+)="((?:[^"\\\n]|\\["\\n])*)"(,?)/.exec(rest);
    if (match === null) {
      throw new Error(`invalid labels at ${where}`);
    }
    const [whole, name = '', raw = '', comma] = match;
    if (!LABEL_NAME.test(name) || name in labels) {
      throw new Error(`invalid or repeated label ${JSON.stringify(name)} at ${where}`);
    }
    labels[name] = raw.replace(/\\(["\\n])/g, (_escape, char: string) =>
      char === 'n' ? '\n' : char,
    );
    rest = rest.slice(whole.length);
    if (comma === '' && rest !== '') {
      throw new Error(`missing comma between labels at ${where}`);
    }
  }
  return labels;
}

/** Checks that each series of a histogram has rising buckets ending in +Inf equal to _count. */
function checkHistogram(family: Family): void {
  const series = new Map<string, { buckets: Sample[]; count?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(rest);
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (sample.name.endsWith('_bucket')) {
      if (le === undefined) {
        throw new Error(`bucket without le in ${family.name}`);
      }
      entry.buckets.push(sample);
    } else if (sample.name.endsWith('_count')) {
      entry.count = sample.value;
    }
  }

  for (const [key, entry] of series) {
    const last = entry.buckets.at(-1);
    if (last?.labels.le !== '+Inf' || last.value !== entry.count) {
      throw new Error(`histogram ${family.name}${key} lacks a +Inf bucket equal to its count`);
    }
    for (let index = 1; index < entry.buckets.length; index += 1) {
      const previous = entry.buckets[index - 1];
      const bucket = entry.buckets[index];
      if (previous === undefined || bucket === undefined || bucket.value < previous.value) {
        throw new Error(`histogram ${family.name}${key} has falling buckets`);
      }
    }
  }
}

/** Returns the value of the sample with exactly these labels, or 0 when there is none. */
export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number {
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name === name && sameLabels(sample.labels, labels)) {
        return sample.value;
      }
    }
  }
  return 0;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
