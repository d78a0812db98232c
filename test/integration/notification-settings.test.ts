import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SERVER_ENGINES } from '../helpers/engines.js';
import { PASSWORD, call, createUser, logIn } from '../helpers/members.js';
import {
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import { decodeQuotedPrintable, startSmtp, type TestSmtp } from '../helpers/smtp.js';

const SETTINGS = '/api/0/users/me/picket-notifications/';
const TEST_EMAIL = '/api/0/users/me/picket-test-email/';

const DEFAULTS = {
  alerts: 'always',
  workflow: 'subscribe_only',
  digest: 'never',
  crons: 'always',
  quota: 'always',
  selfNotifications: false,
};

describe.each(SERVER_ENGINES)('notification settings on $name', (engine) => {
  let smtp: TestSmtp;
  let picket: PicketInstance;
  let project: TestProject;
  let otherToken: string;

  beforeAll(async () => {
    smtp = await startSmtp({ starttls: false });
    picket = await startPicket({
      databaseUrl: await engine.databaseUrl(),
      env: {
        PICKET_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        PICKET_SMTP_FROM: 'picket@example.com',
        PICKET_URL: 'http://picket.example',
      },
    });
    project = await setupProject(picket, 'notify');
    otherToken = await createUser(picket, `other-${engine.name}@example.com`);
  });

  afterAll(async () => {
    await picket?.stop();
    await smtp?.close();
  });

  it('returns the defaults before any change', async () => {
    const response = await call(picket, { token: project.token }, 'GET', SETTINGS);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(DEFAULTS);
  });

  it('changes only the settings sent', async () => {
    const changed = await call(picket, { token: project.token }, 'PUT', SETTINGS, {
      workflow: 'always',
      selfNotifications: true,
    });
    const again = await call(picket, { token: project.token }, 'PUT', SETTINGS, {
      digest: 'weekly',
    });
    const read = await call(picket, { token: project.token }, 'GET', SETTINGS);

    expect(changed.status).toBe(200);
    expect(again.status).toBe(200);
    expect(read.body).toEqual({
      ...DEFAULTS,
      workflow: 'always',
      selfNotifications: true,
      digest: 'weekly',
    });
  });

  it("leaves other users' settings alone", async () => {
    await call(picket, { token: project.token }, 'PUT', SETTINGS, { alerts: 'never' });
    const other = await call(picket, { token: otherToken }, 'GET', SETTINGS);

    expect(other.status).toBe(200);
    expect(other.body).toEqual(DEFAULTS);
  });

  it('rejects unknown keys and values per field', async () => {
    const response = await call(picket, { token: project.token }, 'PUT', SETTINGS, {
      workflow: 'sometimes',
      selfNotifications: 'yes',
      colour: 'blue',
    });
    const read = await call(picket, { token: project.token }, 'GET', SETTINGS);

    expect(response.status).toBe(400);
    const body = response.body as Record<string, string[]>;
    expect(body.workflow?.[0]).toMatch(/"always", "subscribe_only", "never"/);
    expect(body.selfNotifications?.[0]).toMatch(/true or false/);
    expect(body.colour).toEqual(['Unknown setting']);
    expect((read.body as { workflow: string }).workflow).not.toBe('sometimes');
  });

  it('rejects a body that is not an object', async () => {
    const response = await call(picket, { token: project.token }, 'PUT', SETTINGS, ['always']);

    expect(response.status).toBe(400);
  });

  it('returns 401 without credentials', async () => {
    const read = await call(picket, undefined, 'GET', SETTINGS);
    const write = await call(picket, undefined, 'PUT', SETTINGS, { alerts: 'never' });
    const mail = await call(picket, undefined, 'POST', TEST_EMAIL);

    expect(read.status).toBe(401);
    expect(write.status).toBe(401);
    expect(mail.status).toBe(401);
  });

  it('takes sessions and checks their CSRF token', async () => {
    const session = await logIn(picket, `other-${engine.name}@example.com`, PASSWORD);
    const changed = await call(picket, session, 'PUT', SETTINGS, { crons: 'never' });
    const forged = await call(picket, { cookie: session.cookie, csrf: 'wrong' }, 'PUT', SETTINGS, {
      crons: 'always',
    });
    const read = await call(picket, session, 'GET', SETTINGS);

    expect(changed.status).toBe(200);
    expect(forged.status).toBe(403);
    expect((read.body as { crons: string }).crons).toBe('never');
  });

  it('sends a test e-mail to the caller', async () => {
    const response = await call(picket, { token: project.token }, 'POST', TEST_EMAIL);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ sent: true, to: project.email });
    const mail = smtp.received.find((message) => message.to.includes(project.email));
    expect(mail).toBeDefined();
    const raw = decodeQuotedPrintable(mail?.raw ?? '');
    expect(raw).toMatch(/Subject: Picket test e-mail/);
    expect(raw).toMatch(/Content-Type: text\/plain/);
    expect(raw).toMatch(/Content-Type: text\/html/);
    expect(raw).toContain('http://picket.example/settings/account/notifications/');
    expect(raw).toContain('<a href="http://picket.example/settings/account/notifications/">');
  });

  it('limits test e-mails per user', async () => {
    const session = await logIn(picket, `other-${engine.name}@example.com`, PASSWORD);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      statuses.push((await call(picket, session, 'POST', TEST_EMAIL)).status);
    }

    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses[5]).toBe(429);
  });
});

describe('test e-mail without a working SMTP server', () => {
  let picket: PicketInstance | undefined;

  afterAll(async () => {
    await picket?.stop();
  });

  it('returns 409 when SMTP is not configured', async () => {
    picket = await startPicket();
    const project = await setupProject(picket, 'nosmtp');

    const response = await call(picket, { token: project.token }, 'POST', TEST_EMAIL);

    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({
      detail: 'SMTP is not configured: set PICKET_SMTP_URL',
    });
  });

  it('returns 502 with the reason and no password', async () => {
    const smtp = await startSmtp({ starttls: false, reject: true });
    const server = await startPicket({
      env: { PICKET_SMTP_URL: `smtp://mailer:s3cret-pw@127.0.0.1:${smtp.port}` },
    });
    try {
      const project = await setupProject(server, 'badsmtp');

      const response = await call(server, { token: project.token }, 'POST', TEST_EMAIL);

      expect(response.status).toBe(502);
      const detail = (response.body as { detail: string }).detail;
      expect(detail).toMatch(/^SMTP: /);
      expect(detail).toMatch(/Mailbox full|552/);
      expect(detail).not.toContain('s3cret-pw');
    } finally {
      await server.stop();
      await smtp.close();
    }
  });
});
