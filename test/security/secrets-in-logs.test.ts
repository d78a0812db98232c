/**
 * S25: secrets must not appear in the server's output or in API error bodies. The test plants
 * unique passwords, tokens and session ids, uses them right and wrong, and searches everything
 * the server wrote and answered. Files such as `/.git/config` and `/.env` must not be served.
 */
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { send, type HttpResult } from './lib/http-client.js';
import { reportScore } from './lib/scorecard.js';
import { startSecurityPicket, type SecurityPicket } from './lib/security-server.js';
import {
  buildSingleOrganization,
  createToken,
  createUser,
  type Organization,
} from './lib/world.js';

function secret(label: string): string {
  return `${label}-${randomBytes(12).toString('hex')}`;
}

describe('S25 secrets in logs and bodies', () => {
  let picket: SecurityPicket;
  let org: Organization;

  beforeAll(async () => {
    picket = await startSecurityPicket({ env: { LOG_LEVEL: 'debug', PICKET_LOG_REQUESTS: '1' } });
    org = await buildSingleOrganization(picket);
  }, 120_000);

  afterAll(async () => {
    await picket?.stop();
  });

  it('keeps planted secrets out of logs and error bodies', async () => {
    const password = secret('pw');
    const wrongPassword = secret('wrongpw');
    const badToken = secret('sntryu_bad');
    const email = await createUser(picket, 'secrets', password);
    const token = await createToken(picket, email, ['org:read', 'project:read', 'project:write']);
    expect(token).toBeDefined();
    const planted = new Map<string, string>([
      ['password', password],
      ['wrong password', wrongPassword],
      ['invalid token', badToken],
      ['api token', token ?? ''],
      ['owner token', org.ownerToken],
    ]);
    const answers: HttpResult[] = [];
    const call = async (
      method: string,
      path: string,
      headers: Record<string, string> = {},
      body?: unknown,
    ) => {
      const result = await send({
        method,
        url: `${picket.url}${path}`,
        headers: {
          ...headers,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      answers.push(result);
      return result;
    };

    // Logins: wrong password, unknown user, right password, and a malformed body.
    await call('POST', '/api/0/auth/login/', {}, { email, password: wrongPassword });
    await call(
      'POST',
      '/api/0/auth/login/',
      {},
      { email: `nobody-${email}`, password: wrongPassword },
    );
    await call('POST', '/api/0/auth/login/', {}, { email, password: { value: wrongPassword } });
    const login = await call('POST', '/api/0/auth/login/', {}, { email, password });
    expect(login.status).toBe(200);
    for (const cookie of login.headers.getSetCookie()) {
      const value = cookie.split(';')[0]?.split('=')[1];
      if (value !== undefined && value.length >= 16) {
        planted.set(`cookie ${cookie.split('=')[0] ?? ''}`, value);
      }
    }
    const cookieHeader = login.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');

    // Tokens: a valid one, an invalid one, and one in the query string.
    await call('GET', '/api/0/organizations/', { authorization: `Bearer ${token ?? ''}` });
    await call('GET', '/api/0/organizations/', { authorization: `Bearer ${badToken}` });
    await call('GET', `/api/0/organizations/?token=${badToken}`, {});
    await call('GET', `/api/0/organizations/${org.slug}/`, { cookie: cookieHeader });
    await call('DELETE', `/api/0/projects/${org.slug}/${org.ids.project}/`, {
      authorization: `Bearer ${token ?? ''}`,
    });
    // A session write without its CSRF header is rejected, and the response must not echo the session.
    await call('POST', '/api/0/auth/logout/', { cookie: cookieHeader });

    // Keys: the new key's secret must stay out of the logs.
    const key = await call(
      'POST',
      `/api/0/projects/${org.slug}/${org.ids.project}/keys/`,
      {
        authorization: `Bearer ${org.ownerToken}`,
      },
      { name: `key ${secret('label')}` },
    );
    const keyBody = JSON.parse(key.text || '{}') as { secret?: string; dsn?: { secret?: string } };
    if (typeof keyBody.secret === 'string') {
      planted.set('key secret', keyBody.secret);
    }

    // Invites, where the server has them: the invite link's token must stay out of the logs.
    const invite = await call(
      'POST',
      `/api/0/organizations/${org.slug}/members/`,
      {
        authorization: `Bearer ${org.ownerToken}`,
      },
      { email: `invitee-${randomBytes(3).toString('hex')}@example.com`, role: 'member' },
    );
    const inviteLink = /[?&/]token[=/]([A-Za-z0-9_-]{16,})/.exec(invite.text)?.[1];
    if (inviteLink !== undefined) {
      planted.set('invite token', inviteLink);
    }

    // Wait for the log lines of the last requests.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const output = picket.logs.join('\n');
    const errorBodies = answers
      .filter((answer) => answer.status >= 400)
      .map((answer) => answer.text)
      .join('\n');
    const hits: string[] = [];
    for (const [name, value] of planted) {
      if (value === '') {
        continue;
      }
      if (output.includes(value)) {
        hits.push(`${name} in server output`);
      }
      if (errorBodies.includes(value)) {
        hits.push(`${name} in an error body`);
      }
    }

    const files = [
      '/.git/config',
      '/.git/HEAD',
      '/.env',
      '/config.json',
      '/package.json',
      '/.npmrc',
      '/data/picket.sqlite',
    ];
    const served: string[] = [];
    for (const file of files) {
      const result = await send({ method: 'GET', url: `${picket.url}${file}` });
      if (result.status !== 404) {
        served.push(`${file}: ${result.status}`);
      }
    }
    reportScore(
      `S25 secrets: ${hits.length} hits for ${planted.size} planted secrets in server output and ${answers.filter((a) => a.status >= 400).length} error bodies; ${served.length} of ${files.length} sensitive paths not 404${inviteLink === undefined ? ' (no invite route yet)' : ''}`,
    );
    expect(hits).toEqual([]);
    expect(served).toEqual([]);
  }, 120_000);
});
