import { createHash } from 'node:crypto';

/** One node of a grouping tree, as Sentry shows it in the grouping info. */
export interface GroupingComponent {
  id: string;
  name?: string | null;
  contributes: boolean;
  hint: string | null;
  values: (string | GroupingComponent)[];
}

export interface ComponentOptions {
  contributes?: boolean;
  hint?: string | null;
}

/**
 * Creates a component. Unless `contributes` is given, it contributes when it contains a string or a
 * contributing child, as Sentry's `_calculate_contributes` decides.
 */
export function createComponent(
  id: string,
  values: (string | GroupingComponent)[] = [],
  options: ComponentOptions = {},
): GroupingComponent {
  return {
    id,
    contributes: options.contributes ?? calculateContributes(values),
    hint: options.hint ?? null,
    values,
  };
}

function calculateContributes(values: (string | GroupingComponent)[]): boolean {
  return values.some((value) => typeof value === 'string' || value.contributes);
}

/** Changes a component in place. New values recompute `contributes` unless it is given too. */
export function updateComponent(
  component: GroupingComponent,
  changes: ComponentOptions & { values?: (string | GroupingComponent)[] },
): void {
  if (changes.hint !== undefined) {
    component.hint = changes.hint;
  }

  if (changes.values !== undefined) {
    component.values = changes.values;
    component.contributes = changes.contributes ?? calculateContributes(changes.values);
    return;
  }

  if (changes.contributes !== undefined) {
    component.contributes = changes.contributes;
  }
}

/** Marks a component as not contributing, with the reason shown in the grouping info. */
export function ignoreComponent(component: GroupingComponent, hint: string | null): void {
  updateComponent(component, { contributes: false, hint });
}

/** Yields the leaf values of all contributing components, depth first. */
export function* iterContributingValues(component: GroupingComponent): Generator<string> {
  if (!component.contributes) {
    return;
  }

  for (const value of component.values) {
    if (typeof value === 'string') {
      yield value;
    } else {
      yield* iterContributingValues(value);
    }
  }
}

/** Sentry's `hash_from_values`: the MD5 of the UTF-8 values concatenated without separator. */
export function hashFromValues(values: Iterable<string>): string {
  const hash = createHash('md5');

  for (const value of values) {
    hash.update(value, 'utf8');
  }

  return hash.digest('hex');
}

/** Returns the component's grouping hash, or null when it does not contribute. */
export function componentHash(component: GroupingComponent): string | null {
  return component.contributes ? hashFromValues(iterContributingValues(component)) : null;
}

/** Finds the first child component with the given id. */
export function findChild(component: GroupingComponent, id: string): GroupingComponent | undefined {
  return component.values.find(
    (value): value is GroupingComponent => typeof value !== 'string' && value.id === id,
  );
}

/** Tells whether the tree contains a contributing component with the given id. */
export function hasContributingDescendant(component: GroupingComponent, id: string): boolean {
  return component.values.some(
    (value) =>
      typeof value !== 'string' &&
      ((value.id === id && value.contributes) || hasContributingDescendant(value, id)),
  );
}
