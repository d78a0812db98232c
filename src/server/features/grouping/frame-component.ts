import type { StackFrame } from '../processing/event-types.js';

import { getBehaviorFamily, trimFunctionName } from './function-name.js';
import {
  type GroupingComponent,
  createComponent,
  ignoreComponent,
  updateComponent,
} from './grouping-component.js';

/** Platforms whose context lines are trusted for grouping (Sentry's `contextline_platforms`). */
const CONTEXT_LINE_PLATFORMS = new Set(['javascript', 'node', 'python', 'php', 'ruby']);

/** Longer context lines are most likely minified code and do not group. */
const MAX_CONTEXT_LINE_CHARS = 120;

const RUBY_ERB_SUFFIX = /__\d{4,}_\d{4,}$/;
const JAVA_REFLECT = /(sun\.reflect\.Generated(?:Serialization)?ConstructorAccessor)\d+/g;
const JAVA_CGLIB = /(\$\$[\w_]+?CGLIB\$\$)[a-fA-F0-9]+(_[0-9]+)?/g;
const JAVA_ASSIST = /(\$\$_javassist)(?:_seam)?(?:_[0-9]+)?/g;
const CLOJURE_FN = /(\$fn__)\d+/g;
const JAVA_ENHANCER_BY = /(\$\$?EnhancerBy[\w_]+?\$?\$)[a-fA-F0-9]+(_[0-9]+)?/g;
const JAVA_FAST_CLASS_BY = /(\$\$?FastClassBy[\w_]+?\$?\$)[a-fA-F0-9]+(_[0-9]+)?/g;
const JAVA_HIBERNATE_PROXY = /(\$\$?HibernateProxy\$?\$)\w+(_[0-9]+)?/g;

const UNKNOWN_JAVASCRIPT_FUNCTIONS = new Set([
  '?',
  '<anonymous function>',
  '<anonymous>',
  'Anonymous function',
]);
const LOW_QUALITY_JAVASCRIPT_PATHS = new Set([
  '[native code]',
  'native code',
  'eval code',
  '<anonymous>',
]);

/**
 * Sentry's `has_url_origin`: whether a path is a URL. `file:` paths count only when
 * `filesCountAsUrls` is set.
 */
export function hasUrlOrigin(path: string | undefined, filesCountAsUrls: boolean): boolean {
  if (path === undefined || path === '') {
    return false;
  }

  if (/^(?:https?|applewebdata|blob):/.test(path)) {
    return true;
  }

  return path.startsWith('file:') && filesCountAsUrls;
}

function filenameComponent(frame: StackFrame, platform: string | undefined): GroupingComponent {
  if (frame.filename === undefined) {
    return createComponent('filename');
  }

  const basename = (frame.filename.split(/[/\\]/).at(-1) ?? '').toLowerCase();
  const component = createComponent('filename', [basename]);

  if (hasUrlOrigin(frame.abs_path, false)) {
    ignoreComponent(component, 'ignored because frame points to a URL');
  } else if (basename === '<anonymous>') {
    ignoreComponent(component, 'ignored because filename is anonymous');
  } else if (basename === '[native code]') {
    ignoreComponent(component, 'ignored because filename suggests native code');
  } else if (platform === 'java') {
    const cleaned = basename.replace(JAVA_ASSIST, '$1<auto>');

    if (cleaned !== basename) {
      updateComponent(component, { values: [cleaned], hint: 'cleaned javassist parts' });
    }
  }

  return component;
}

function cleanJavaModule(module: string): string {
  return module
    .replace(JAVA_REFLECT, '$1<auto>')
    .replace(JAVA_CGLIB, '$1<auto>')
    .replace(JAVA_ASSIST, '$1<auto>')
    .replace(CLOJURE_FN, '$1<auto>')
    .replace(JAVA_ENHANCER_BY, '$1<auto>')
    .replace(JAVA_FAST_CLASS_BY, '$1<auto>')
    .replace(JAVA_HIBERNATE_PROXY, '$1<auto>');
}

function moduleComponent(frame: StackFrame, platform: string | undefined): GroupingComponent {
  const { module, abs_path: absPath } = frame;

  if (module === undefined) {
    return createComponent('module');
  }

  const component = createComponent('module', [module]);

  if (platform === 'javascript' && module.includes('/') && absPath?.endsWith(module) === true) {
    ignoreComponent(component, 'ignored bad javascript module');
  } else if (platform === 'java') {
    if (module.includes('$$Lambda$')) {
      ignoreComponent(component, 'ignored java lambda');
    }

    const reflectionPrefix = [
      'sun.reflect.GeneratedMethodAccessor',
      'jdk.internal.reflect.GeneratedMethodAccessor',
    ].find((prefix) => module.startsWith(prefix));

    if (reflectionPrefix !== undefined) {
      updateComponent(component, {
        values: [reflectionPrefix],
        contributes: component.contributes,
        hint: 'removed reflection marker',
      });
    } else {
      const cleaned = cleanJavaModule(module);

      if (cleaned !== module) {
        updateComponent(component, {
          values: [cleaned],
          contributes: component.contributes,
          hint: 'removed codegen marker',
        });
      }
    }
  }

  return component;
}

function contextLineComponent(
  frame: StackFrame,
  platform: string | undefined,
): GroupingComponent | undefined {
  if (
    frame.context_line === undefined ||
    frame.context_line === '' ||
    platform === undefined ||
    !CONTEXT_LINE_PLATFORMS.has(platform)
  ) {
    return undefined;
  }

  const line = frame.context_line.split(/\s+/).filter(Boolean).join(' ');

  if (line === '') {
    return createComponent('context-line');
  }

  const component = createComponent('context-line', [line]);

  if (frame.context_line.length > MAX_CONTEXT_LINE_CHARS) {
    ignoreComponent(component, 'ignored because line is too long');
  } else if (
    getBehaviorFamily(platform) === 'javascript' &&
    frame.function === undefined &&
    hasUrlOrigin(frame.abs_path, true)
  ) {
    ignoreComponent(component, 'ignored because file path is a URL and function name is missing');
  }

  return component;
}

function functionComponent(
  frame: StackFrame,
  platform: string | undefined,
  contextLineContributes: boolean,
): GroupingComponent {
  let name: string | undefined;

  if (platform === 'csharp') {
    name = frame.raw_function ?? frame.function;
  } else {
    name = frame.function ?? frame.raw_function;

    if (frame.raw_function === undefined && frame.function !== undefined) {
      name = trimFunctionName(frame.function, platform);
    }
  }

  if (name === undefined || name === '') {
    return createComponent('function');
  }

  const component = createComponent('function', [name]);
  normalizeFunctionComponent(component, name, frame, platform, contextLineContributes);
  return component;
}

function normalizeFunctionComponent(
  component: GroupingComponent,
  name: string,
  frame: StackFrame,
  platform: string | undefined,
  contextLineContributes: boolean,
): void {
  const family = getBehaviorFamily(platform);

  if (platform === 'ruby') {
    const cleaned = name.startsWith('block ') ? 'block' : name.replace(RUBY_ERB_SUFFIX, '');

    if (cleaned !== name) {
      updateComponent(component, {
        values: [cleaned],
        hint: name.startsWith('block ') ? 'ruby block' : 'removed generated erb template suffix',
      });
    }
  } else if (platform === 'php') {
    if (name.startsWith('[Anonymous') || name.startsWith('class@anonymous\x00')) {
      ignoreComponent(component, 'ignored anonymous function');
    }

    if (name.startsWith('class@anonymous') && name.includes('::')) {
      updateComponent(component, {
        values: [name.slice(name.lastIndexOf('::') + 2)],
        contributes: component.contributes,
        hint: 'anonymous class method',
      });
    }
  } else if (platform === 'java') {
    if (name.startsWith('lambda$')) {
      ignoreComponent(component, 'ignored lambda function');
    }
  } else if (family === 'native' && (name === '<redacted>' || name === '<unknown>')) {
    ignoreComponent(component, 'ignored unknown function');
  } else if (family === 'javascript') {
    const trimmed = name.slice(name.lastIndexOf('.') + 1);

    if (trimmed !== name) {
      updateComponent(component, { values: [trimmed], hint: 'trimmed javascript function' });
    }

    if (frame.data?.sourcemap !== undefined && contextLineContributes) {
      ignoreComponent(component, 'ignored because sourcemap used and context line available');
    }
  }
}

/** Builds the grouping component of one stack frame, as Sentry's `frame:v1` strategy does. */
export function frameComponent(frame: StackFrame, eventPlatform: string): GroupingComponent {
  const platform = frame.platform ?? eventPlatform;
  const filename = filenameComponent(frame, platform);
  const module = moduleComponent(frame, platform);

  if (module.contributes && filename.contributes) {
    ignoreComponent(filename, 'ignored because module takes precedence');
  }

  const contextLine = contextLineComponent(frame, platform);
  const func = functionComponent(frame, platform, contextLine?.contributes === true);
  const component = createComponent(
    'frame',
    contextLine === undefined ? [module, filename, func] : [module, filename, func, contextLine],
  );

  if (getBehaviorFamily(platform) === 'javascript') {
    ignoreLowQualityJavascript(component, func, frame);
  }

  return component;
}

/** Ignores JavaScript function names and whole frames that differ between browsers. */
function ignoreLowQualityJavascript(
  component: GroupingComponent,
  func: GroupingComponent,
  frame: StackFrame,
): void {
  const rawName = frame.raw_function ?? frame.function;
  const name = rawName === undefined ? undefined : rawName.slice(rawName.lastIndexOf('.') + 1);

  if (name === undefined || name === '') {
    updateComponent(func, { contributes: false });
  } else if (UNKNOWN_JAVASCRIPT_FUNCTIONS.has(name) || name.endsWith('/<')) {
    ignoreComponent(func, 'ignored unknown function name');
  }

  if (
    name === 'eval' ||
    (frame.abs_path !== undefined && LOW_QUALITY_JAVASCRIPT_PATHS.has(frame.abs_path))
  ) {
    ignoreComponent(component, 'ignored low quality javascript frame');
  }
}
