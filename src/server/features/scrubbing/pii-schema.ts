import type { PiiLevel, ValueType } from './selector.js';

/**
 * Scrubbing view of one field of a payload: its PII level and, for the interfaces of the
 * event protocol, its value type and known fields. The levels follow the `pii` attributes of
 * Relay's event schema (`relay-event-schema`): `false` fields (ids, timestamps, levels, function
 * names) are never scrubbed, `maybe` fields are scrubbed only by a selector that names them,
 * and `true` fields by any matching selector.
 */
export interface FieldSpec {
  pii: PiiLevel;
  /** The value type of an object of this field, when it is a protocol interface. */
  type?: ValueType;
  /** Known fields of the interface. */
  fields?: Record<string, FieldSpec>;
  /** Spec of fields not listed in `fields`; without it they inherit this field's level. */
  other?: FieldSpec;
  /** Spec of the items of an array, or of the values of a map. */
  items?: FieldSpec;
  /** A list of `[key, value]` pairs, whose values are matched under their key. */
  pairs?: boolean;
  /** The name this field has in selectors, when the stored key differs (`message`). */
  selectorKey?: string;
  /** A sibling field whose last dotted segment is the key for key-based rules. */
  keyFromSibling?: string;
  /** A map of `{type, value}` attributes, whose `value` is matched under the attribute name. */
  attributes?: boolean;
}

const FALSE: FieldSpec = { pii: 'false' };
const MAYBE: FieldSpec = { pii: 'maybe' };
const TRUE: FieldSpec = { pii: 'true' };
const PAIRS: FieldSpec = { pii: 'true', pairs: true };
const ATTRIBUTES: FieldSpec = { pii: 'true', attributes: true };

function falseFields(...names: string[]): Record<string, FieldSpec> {
  return Object.fromEntries(names.map((name) => [name, FALSE]));
}

const FRAME: FieldSpec = {
  pii: 'true',
  type: 'frame',
  fields: {
    ...falseFields(
      'function',
      'raw_function',
      'module',
      'package',
      'platform',
      'lineno',
      'colno',
      'in_app',
      'instruction_addr',
      'symbol_addr',
      'image_addr',
      'symbol',
      'data',
      'addr_mode',
      'function_id',
    ),
    filename: TRUE,
    abs_path: TRUE,
    context_line: TRUE,
    pre_context: TRUE,
    post_context: TRUE,
    vars: TRUE,
  },
};

const STACKTRACE: FieldSpec = {
  pii: 'true',
  type: 'stacktrace',
  fields: {
    frames: { pii: 'true', items: FRAME },
    ...falseFields(
      'frames_omitted',
      'registers',
      'snapshot',
      'instruction_addr_adjustment',
      'lang',
    ),
  },
};

const EXCEPTION: FieldSpec = {
  pii: 'true',
  type: 'exception',
  fields: {
    type: MAYBE,
    value: TRUE,
    module: FALSE,
    thread_id: FALSE,
    mechanism: { pii: 'false', fields: { data: TRUE } },
    stacktrace: STACKTRACE,
    raw_stacktrace: STACKTRACE,
  },
};

const THREAD: FieldSpec = {
  pii: 'true',
  type: 'thread',
  fields: {
    ...falseFields('id', 'crashed', 'current', 'main', 'state', 'held_locks'),
    name: MAYBE,
    stacktrace: STACKTRACE,
  },
};

const BREADCRUMB: FieldSpec = {
  pii: 'true',
  type: 'breadcrumb',
  fields: {
    ...falseFields('timestamp', 'type', 'category', 'level', 'event_id'),
    message: TRUE,
    data: TRUE,
  },
};

const USER: FieldSpec = { pii: 'true', type: 'user', fields: { data: TRUE, geo: TRUE } };

const REQUEST: FieldSpec = {
  pii: 'true',
  type: 'request',
  fields: {
    ...falseFields('method', 'inferred_content_type', 'api_target', 'protocol'),
    url: TRUE,
    query_string: PAIRS,
    fragment: TRUE,
    data: TRUE,
    cookies: PAIRS,
    headers: PAIRS,
    env: TRUE,
  },
};

const LOGENTRY: FieldSpec = {
  pii: 'true',
  type: 'logentry',
  fields: { formatted: TRUE, message: TRUE, params: TRUE },
};

const SDK: FieldSpec = {
  pii: 'false',
  type: 'sdk',
  fields: { client_ip: TRUE },
};

const TRACE_FIELDS = falseFields(
  'type',
  'trace_id',
  'span_id',
  'parent_span_id',
  'segment_id',
  'op',
  'status',
  'origin',
  'exclusive_time',
  'start_timestamp',
  'timestamp',
  'same_process_as_parent',
  'is_segment',
  'sampled',
  'received',
  'kind',
);

const CONTEXTS: FieldSpec = { pii: 'true', items: { pii: 'true', fields: TRACE_FIELDS } };

/** A span as it appears in a transaction's `spans`, and as a standalone span item. */
export const SPAN_SPEC: FieldSpec = {
  pii: 'true',
  type: 'span',
  fields: {
    ...TRACE_FIELDS,
    ...falseFields('measurements', 'name', 'links', 'status_code'),
    description: TRUE,
    data: TRUE,
    tags: TRUE,
    sentry_tags: TRUE,
    attributes: ATTRIBUTES,
  },
};

/** An event (error, transaction or feedback) after Picket's normalization, or as sent. */
export const EVENT_SPEC: FieldSpec = {
  pii: 'true',
  type: 'event',
  fields: {
    ...falseFields(
      'event_id',
      'timestamp',
      'received',
      'start_timestamp',
      'level',
      'platform',
      'type',
      'release',
      'dist',
      'environment',
      'fingerprint',
      'checksum',
      'modules',
      'logger',
      'transaction',
      'transaction_info',
      'culprit',
      'version',
      'measurements',
      'breakdowns',
      'title',
      'location',
      'metadata',
      'hashes',
      '_meta',
    ),
    logentry: LOGENTRY,
    message: { ...LOGENTRY, selectorKey: 'logentry' },
    user: USER,
    request: REQUEST,
    contexts: CONTEXTS,
    tags: PAIRS,
    extra: TRUE,
    server_name: TRUE,
    exception: { pii: 'true', fields: { values: { pii: 'true', items: EXCEPTION } } },
    stacktrace: STACKTRACE,
    threads: { pii: 'true', fields: { values: { pii: 'true', items: THREAD } } },
    breadcrumbs: { pii: 'true', fields: { values: { pii: 'true', items: BREADCRUMB } } },
    sdk: SDK,
    debug_meta: MAYBE,
    spans: { pii: 'true', items: SPAN_SPEC },
    errors: {
      pii: 'false',
      items: { pii: 'false', fields: { value: { pii: 'true', keyFromSibling: 'name' } } },
    },
  },
  other: TRUE,
};

const LOG: FieldSpec = {
  pii: 'true',
  type: 'log',
  fields: {
    ...falseFields('timestamp', 'trace_id', 'span_id', 'level', 'severity_number'),
    body: MAYBE,
    attributes: ATTRIBUTES,
  },
};

/** A `log` envelope item: `{"items": [log, ...]}`. */
export const LOG_ITEM_SPEC: FieldSpec = {
  pii: 'true',
  fields: { items: { pii: 'true', items: LOG } },
};

/** A `span` envelope item: one span, or `{"items": [span, ...]}` in the span v2 format. */
export const SPAN_ITEM_SPEC: FieldSpec = {
  ...SPAN_SPEC,
  fields: { ...SPAN_SPEC.fields, items: { pii: 'true', items: SPAN_SPEC } },
};

/** A `user_report` item, Sentry's older user feedback: name, e-mail and comments. */
export const USER_REPORT_SPEC: FieldSpec = {
  pii: 'true',
  fields: falseFields('event_id'),
};

/** Returns the spec of a child field, or the inherited databag spec. */
export function childSpec(spec: FieldSpec, key: string): FieldSpec {
  return spec.fields?.[key] ?? spec.items ?? spec.other ?? { pii: spec.pii };
}

/** Returns the spec of an array item. */
export function itemSpec(spec: FieldSpec): FieldSpec {
  return spec.items ?? { pii: spec.pii };
}
