import { describe, expect, it } from 'vitest';

import { describeSmtpError } from './settings-test-email.js';

describe('describeSmtpError', () => {
  it('blanks the password and user name of the URL', () => {
    const error = new Error('Invalid login for mailer with p@ss/word: 535 denied');

    const message = describeSmtpError(error, 'smtp://mailer:p%40ss%2Fword@127.0.0.1:25');

    expect(message).toBe('Invalid login for *** with ***: 535 denied');
  });

  it('blanks credentials of any URL in the message', () => {
    const message = describeSmtpError(new Error('failed smtp://u:secret@host'), undefined);

    expect(message).toBe('failed smtp://***@host');
  });

  it('keeps a message without secrets', () => {
    const message = describeSmtpError(new Error('connect ECONNREFUSED 127.0.0.1:25'), 'smtp://x');

    expect(message).toBe('connect ECONNREFUSED 127.0.0.1:25');
  });
});
