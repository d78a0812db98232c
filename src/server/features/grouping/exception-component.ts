import type { ExceptionValue, NormalizedEvent, Thread } from '../processing/event-types.js';

import {
  type GroupingComponent,
  componentHash,
  createComponent,
  hasContributingDescendant,
  ignoreComponent,
  updateComponent,
} from './grouping-component.js';
import { normalizeMessageForGrouping } from './parameterize-message.js';
import {
  type ComponentsByVariant,
  type GroupingOptions,
  stacktraceComponents,
} from './stacktrace-component.js';

/** Builds the exception components per variant, as Sentry's `single-exception:v1` strategy. */
function singleException(exception: ExceptionValue, options: GroupingOptions): ComponentsByVariant {
  const exceptionData = {
    type: exception.type,
    value: exception.value,
    mechanism: exception.mechanism?.type,
  };
  const stacktraces: ComponentsByVariant =
    exception.stacktrace === undefined
      ? { app: createComponent('stacktrace') }
      : stacktraceComponents(exception.stacktrace, exceptionData, options);
  const result: ComponentsByVariant = {};

  for (const [variant, stacktrace] of Object.entries(stacktraces)) {
    if (stacktrace === undefined) {
      continue;
    }

    const type = createComponent('type', exception.type === undefined ? [] : [exception.type]);

    if (exception.mechanism?.synthetic === true) {
      ignoreComponent(type, 'ignored because exception is synthetic');
    }

    const nsError = nsErrorComponent(exception);
    const value = valueComponent(exception.value);

    if (stacktrace.contributes && value.contributes) {
      ignoreComponent(value, 'ignored because stacktrace takes precedence');
    }

    if (nsError?.contributes === true && value.contributes) {
      ignoreComponent(value, 'ignored because ns-error info takes precedence');
    }

    // The 2023-01-11 config keeps Sentry's original child order, which the hash depends on.
    const children =
      nsError === undefined ? [stacktrace, type, value] : [stacktrace, type, nsError, value];
    result[variant] = createComponent('exception', children);
  }

  return result;
}

function valueComponent(raw: string | undefined): GroupingComponent {
  const component = createComponent('value');

  if (raw === undefined) {
    return component;
  }

  const normalized = normalizeMessageForGrouping(raw);

  if (normalized !== '') {
    updateComponent(component, {
      values: [normalized],
      hint: raw === normalized ? null : 'stripped event-specific values',
    });
  }

  return component;
}

function nsErrorComponent(exception: ExceptionValue): GroupingComponent | undefined {
  const nsError = exception.mechanism?.meta?.ns_error;

  if (typeof nsError !== 'object' || nsError === null || Array.isArray(nsError)) {
    return undefined;
  }

  const toValues = (value: unknown): string[] =>
    typeof value === 'string' || typeof value === 'number' ? [String(value)] : [];

  return createComponent('ns-error', [
    createComponent('domain', toValues(nsError.domain)),
    createComponent('code', toValues(nsError.code)),
  ]);
}

/**
 * Builds the components for the exception interface, as Sentry's `chained-exception:v1`: one
 * exception component, or a `chained-exception` holding one per exception (oldest first) after
 * exception groups are reduced to their distinct top-level exceptions.
 */
export function exceptionComponents(
  event: NormalizedEvent,
  options: GroupingOptions,
): ComponentsByVariant {
  const all = event.exception?.values ?? [];
  const byException = new Map(
    all.map((exception) => [exception, singleException(exception, options)]),
  );
  const exceptions = filterExceptionGroups(all, byException, event);

  if (exceptions.length === 1 && exceptions[0] !== undefined) {
    return finishVariants(byException.get(exceptions[0]) ?? {});
  }

  const byVariant = new Map<string, GroupingComponent[]>();

  for (const exception of exceptions) {
    for (const [variant, component] of Object.entries(byException.get(exception) ?? {})) {
      if (component !== undefined) {
        byVariant.set(variant, [...(byVariant.get(variant) ?? []), component]);
      }
    }
  }

  const result: ComponentsByVariant = {};

  for (const [variant, components] of byVariant) {
    result[variant] = createComponent('chained-exception', components);
  }

  return finishVariants(result);
}

/**
 * Sentry's exception-group rules: when the exceptions form a tree through `exception_id` and
 * `parent_id`, keep the distinct top-level (non-group) exceptions. With only one distinct one,
 * keep it and its first chain of children; otherwise keep one of each plus the root group.
 */
function filterExceptionGroups(
  exceptions: ExceptionValue[],
  byException: Map<ExceptionValue, ComponentsByVariant>,
  event: NormalizedEvent,
): ExceptionValue[] {
  if (
    exceptions.length <= 1 ||
    (event.platform === 'python' && event.sdk?.version.startsWith('3') === true)
  ) {
    return exceptions;
  }

  const nodes = new Map<number, { exception?: ExceptionValue; children: ExceptionValue[] }>();

  for (const exception of [...exceptions].reverse()) {
    const mechanism = exception.mechanism;
    const id = mechanism?.exception_id;

    if (
      mechanism === undefined ||
      id === undefined ||
      id === mechanism.parent_id ||
      nodes.get(id)?.exception !== undefined
    ) {
      return exceptions;
    }

    const node = nodes.get(id) ?? { children: [] };
    node.exception = exception;
    nodes.set(id, node);

    if (mechanism.parent_id !== undefined) {
      const parent = nodes.get(mechanism.parent_id) ?? { children: [] };
      parent.children.push(exception);
      nodes.set(mechanism.parent_id, parent);
    }
  }

  const childrenOf = (exception: ExceptionValue): ExceptionValue[] =>
    nodes.get(exception.mechanism?.exception_id ?? -1)?.children ?? [];
  const topLevel = (exception: ExceptionValue, seen: Set<ExceptionValue>): ExceptionValue[] => {
    if (seen.has(exception)) {
      return [];
    }

    seen.add(exception);
    return exception.mechanism?.is_exception_group === true
      ? childrenOf(exception).flatMap((child) => topLevel(child, seen))
      : [exception];
  };

  const root = nodes.get(0)?.exception;

  if (root === undefined) {
    return exceptions;
  }

  const sorted = topLevel(root, new Set()).sort((a, b) =>
    String(b.type) > String(a.type) ? 1 : String(b.type) < String(a.type) ? -1 : 0,
  );

  if (sorted.length === 0) {
    return exceptions;
  }

  const hashOf = (exception: ExceptionValue): string =>
    Object.values(byException.get(exception) ?? {})
      .map((component) => (component === undefined ? '' : (componentHash(component) ?? '')))
      .join('|');
  const distinct = sorted.filter(
    (exception, index) =>
      index === 0 || hashOf(exception) !== hashOf(sorted[index - 1] as ExceptionValue),
  );

  if (distinct.length === 1 && distinct[0] !== undefined) {
    const path: ExceptionValue[] = [];
    let current: ExceptionValue | undefined = distinct[0];

    while (current !== undefined && !path.includes(current)) {
      path.push(current);
      current = childrenOf(current)[0];
    }

    return path;
  }

  return [...distinct, root];
}

/** Builds the components for the threads interface, as Sentry's `threads:v1` strategy. */
export function threadComponents(threads: Thread[], options: GroupingOptions): ComponentsByVariant {
  const candidates = [
    threads.filter((thread) => thread.crashed === true),
    threads.filter((thread) => thread.current === true),
    threads,
  ];

  for (const candidate of candidates) {
    const [thread] = candidate;

    if (candidate.length !== 1 || thread === undefined) {
      continue;
    }

    if (thread.stacktrace === undefined) {
      return {
        app: createComponent('threads', [], {
          contributes: false,
          hint: 'ignored because thread has no stacktrace',
        }),
      };
    }

    const stacktraces = stacktraceComponents(thread.stacktrace, {}, options);
    return finishVariants({
      app: createComponent('threads', [stacktraces.app]),
      system: createComponent('threads', [stacktraces.system]),
    });
  }

  const hint = `ignored because it contains neither a single thread nor multiple threads with exactly one crashing or current thread`;
  return { app: createComponent('threads', [], { contributes: false, hint }) };
}

/** Components for a stack trace sent outside any exception or thread. */
export function bareStacktraceComponents(
  event: NormalizedEvent,
  options: GroupingOptions,
): ComponentsByVariant {
  return event.stacktrace === undefined
    ? {}
    : finishVariants({ ...stacktraceComponents(event.stacktrace, {}, options) });
}

/**
 * Applies Sentry's rules between the variants of one strategy: the optional `system` variant
 * stops contributing when it hashes like the mandatory `app` one, and a variant without a
 * contributing stack trace stops contributing when another variant has one.
 */
function finishVariants(variants: ComponentsByVariant): ComponentsByVariant {
  const { app, system } = variants;

  if (
    app?.contributes === true &&
    system?.contributes === true &&
    componentHash(app) === componentHash(system)
  ) {
    ignoreComponent(system, 'ignored because hash matches app variant');
  }

  const withStacktrace = Object.entries(variants).filter(
    ([, component]) =>
      component !== undefined && hasContributingDescendant(component, 'stacktrace'),
  );

  if (withStacktrace.length > 0) {
    const suffix =
      withStacktrace.length === 1 ? `the ${withStacktrace[0]?.[0]} variant does` : 'others do';

    for (const [name, component] of Object.entries(variants)) {
      if (component !== undefined && !withStacktrace.some(([other]) => other === name)) {
        ignoreComponent(
          component,
          `ignored because this variant does not have a contributing stacktrace, but ${suffix}`,
        );
      }
    }
  }

  return variants;
}
