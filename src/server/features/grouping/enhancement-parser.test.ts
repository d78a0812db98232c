import { describe, expect, it } from 'vitest';

import { validateRules } from './enhancement-parser.js';

describe('validateRules', () => {
  it('accepts valid stack-trace rules', () => {
    const text = [
      '# comment',
      'path:**/node_modules/** -app',
      'function:wrapped_view ^-group -group',
      'stack.module:sun.* v-group',
      '[ function:a ] | function:b +app',
      'family:native max-frames=3',
    ].join('\n');

    expect(validateRules(text)).toEqual([]);
  });

  it.each([
    ['function:foo', 'at least one action'],
    ['-app', 'at least one matcher'],
    ['colour:red -app', 'unknown matcher or action "colour:red"'],
    ['function:foo -app module:x', 'comes after an action'],
    ['[ function:a | function:b -app', 'unbalanced'],
  ])('reports %s', (line, message) => {
    const errors = validateRules(`function:ok +app\n${line}`);

    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(2);
    expect(errors[0]?.message).toContain(message);
  });
});
