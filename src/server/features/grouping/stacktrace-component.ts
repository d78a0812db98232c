import type { StackFrame, Stacktrace } from '../processing/event-types.js';

import {
  type ExceptionData,
  type RuleSet,
  applyFrameModifications,
  applyGroupingRules,
} from './enhancements.js';
import { frameComponent, hasUrlOrigin } from './frame-component.js';
import { getBehaviorFamily } from './function-name.js';
import { type GroupingComponent, createComponent, ignoreComponent } from './grouping-component.js';

export type StacktraceVariant = 'app' | 'system';

/** Components of one interface per variant. `app` is the mandatory variant, `system` optional. */
export type ComponentsByVariant = Partial<Record<string, GroupingComponent>>;

export interface GroupingOptions {
  platform: string;
  rules: RuleSet;
}

/** Frame fields that must all be equal for a frame to count as a recursive call of the last. */
const RECURSION_FIELDS = [
  'abs_path',
  'package',
  'module',
  'filename',
  'function',
  'lineno',
  'colno',
] as const;

function isRecursiveFrame(frame: StackFrame, previous: StackFrame | undefined): boolean {
  return (
    previous !== undefined && RECURSION_FIELDS.every((field) => frame[field] === previous[field])
  );
}

function singleVariant(
  frames: StackFrame[],
  variant: StacktraceVariant,
  exception: ExceptionData,
  options: GroupingOptions,
): { component: GroupingComponent; inApp: boolean[] } {
  const groupingFrames = applyFrameModifications(
    frames,
    options.platform,
    exception,
    options.rules,
  );
  const frameComponents = frames.map((frame, index) => {
    const component = frameComponent(frame, options.platform);

    if (isRecursiveFrame(frame, frames[index - 1])) {
      ignoreComponent(component, 'ignored due to recursion');
    }

    if (variant === 'app' && groupingFrames[index]?.inApp !== true) {
      ignoreComponent(component, 'non app frame');
    }

    return component;
  });

  ignoreSingleJavascriptFrame(frames, frameComponents, options.platform);

  const result = applyGroupingRules(
    frameComponents,
    groupingFrames,
    variant,
    exception,
    options.rules,
  );
  const component = createComponent('stacktrace', frameComponents);
  const contributing = frameComponents.filter((frame) => frame.contributes).length;

  if (result.minFrames > 0 && contributing > 0 && contributing < result.minFrames) {
    ignoreComponent(
      component,
      `discarded because stack trace only contains ${contributing} frame${contributing === 1 ? '' : 's'} which is under the configured threshold`,
    );
  }

  return { component, inApp: groupingFrames.map((frame) => frame.inApp) };
}

/**
 * Sentry ignores a lone JavaScript frame without a function name. Under the 2023-01-11 config
 * this applies when the frame's path is a URL, a check Sentry keeps inverted on purpose so that
 * existing hashes stay stable.
 */
function ignoreSingleJavascriptFrame(
  frames: StackFrame[],
  components: GroupingComponent[],
  platform: string,
): void {
  const [frame] = frames;
  const [component] = components;

  if (
    frames.length !== 1 ||
    frame === undefined ||
    component === undefined ||
    !component.contributes
  ) {
    return;
  }

  if (
    getBehaviorFamily(frame.platform ?? platform) === 'javascript' &&
    frame.function === undefined &&
    hasUrlOrigin(frame.abs_path, true)
  ) {
    ignoreComponent(component, 'ignored single non-URL JavaScript frame');
  }
}

/**
 * Builds the `app` and `system` stack trace components, as Sentry's `stacktrace:v1` strategy.
 * The app variant only counts in-app frames; a stack trace without frames, or without
 * (contributing) in-app frames for the app variant, does not contribute.
 */
export function stacktraceComponents(
  stacktrace: Stacktrace,
  exception: ExceptionData,
  options: GroupingOptions,
): Record<StacktraceVariant, GroupingComponent> {
  const app = singleVariant(stacktrace.frames, 'app', exception, options);
  const system = singleVariant(stacktrace.frames, 'system', exception, options);

  if (stacktrace.frames.length === 0) {
    ignoreComponent(app.component, 'ignored because it contains no frames');
    ignoreComponent(system.component, 'ignored because it contains no frames');
    return { app: app.component, system: system.component };
  }

  const systemFrames = system.component.values as GroupingComponent[];
  const contributing = systemFrames.filter((frame) => frame.contributes).length;
  const inAppContributing = systemFrames.filter(
    (frame, index) => frame.contributes && system.inApp[index] === true,
  ).length;
  const inAppTotal = system.inApp.filter(Boolean).length;

  if (contributing === 0) {
    ignoreComponent(system.component, 'ignored because it contains no contributing frames');
  }

  if (inAppTotal === 0) {
    ignoreComponent(app.component, 'ignored because it contains no in-app frames');
  } else if (inAppContributing === 0) {
    ignoreComponent(app.component, 'ignored because it contains no contributing frames');
  }

  return { app: app.component, system: system.component };
}
