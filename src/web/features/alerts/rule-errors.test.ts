import { describe, expect, it } from 'vitest';

import { RequestError } from '../../lib/api-client';
import { otherErrorMessages, readFieldErrors } from './rule-errors';

const badRequest = (body: unknown) =>
  new RequestError('POST', '/api/0/projects/a/b/rules/', 400, null, null, body);

describe('readFieldErrors', () => {
  it('reads Sentry field messages', () => {
    const errors = readFieldErrors(badRequest({ name: ['This field is required.'] }));

    expect(errors).toEqual({ name: ['This field is required.'] });
  });

  it('flattens messages nested under list items', () => {
    const errors = readFieldErrors(
      badRequest({ actions: [{}, { url: ['Enter a valid URL.'] }], frequency: 'Too large.' }),
    );

    expect(errors).toEqual({ actions: ['Enter a valid URL.'], frequency: ['Too large.'] });
  });

  it('places dotted keys under their row', () => {
    const errors = readFieldErrors(
      badRequest({
        'actions.1.url': ['Expected an http or https URL.'],
        'actions.0.secret': ['Expected 16 to 256 characters.'],
        'owner.id': ['Unknown.'],
      }),
    );

    expect(errors).toEqual({
      actions: [
        'Action 2 url: Expected an http or https URL.',
        'Action 1 secret: Expected 16 to 256 characters.',
      ],
      owner: ['id: Unknown.'],
    });
  });

  it('skips the summary detail and the code', () => {
    const errors = readFieldErrors(
      badRequest({ detail: 'name: Required.', code: 'bad_request', name: ['Required.'] }),
    );

    expect(errors).toEqual({ name: ['Required.'] });
  });

  it('ignores failures other than 400', () => {
    const error = new RequestError('POST', '/x', 500, null, null, { name: ['x'] });

    expect(readFieldErrors(error)).toBeNull();
  });

  it('ignores a 400 without a JSON body', () => {
    expect(readFieldErrors(badRequest(null))).toBeNull();
  });
});

describe('otherErrorMessages', () => {
  it('lists fields the form has no place for', () => {
    const messages = otherErrorMessages({
      name: ['Required.'],
      owner: ['Unknown team.'],
    });

    expect(messages).toEqual(['owner: Unknown team.']);
  });
});
