import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PASSWORD, acceptPath, call, createToken } from '../helpers/members.js';
import {
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import { decodeQuotedPrintable, startSmtp, type TestSmtp } from '../helpers/smtp.js';

describe.each([
  { name: 'with STARTTLS', starttls: true },
  { name: 'in plain text', starttls: false },
])('invitation e-mail $name', ({ starttls }) => {
  let smtp: TestSmtp;
  let picket: PicketInstance;
  let project: TestProject;
  let token: string;

  beforeAll(async () => {
    smtp = await startSmtp({ starttls });
    // The test server's certificate is self-signed, so this client does not verify it.
    picket = await startPicket({
      env: {
        PICKET_SMTP_URL: `smtp://127.0.0.1:${smtp.port}/?tls.rejectUnauthorized=false`,
        PICKET_SMTP_FROM: 'picket@example.com',
        PICKET_URL: 'http://127.0.0.1:1',
      },
    });
    project = await setupProject(picket, 'mail');
    token = await createToken(picket, project.email);
  });

  afterAll(async () => {
    await picket?.stop();
    await smtp?.close();
  });

  it('sends the link, which accepts once', async () => {
    const renamed = await call(
      picket,
      { token },
      'PUT',
      `/api/0/organizations/${project.orgSlug}/`,
      {
        name: 'Acme <b>&</b>',
      },
    );
    expect(renamed.status).toBe(200);

    const email = `invitee-${starttls ? 'tls' : 'plain'}@example.com`;
    const invited = await call(
      picket,
      { token },
      'POST',
      `/api/0/organizations/${project.orgSlug}/members/`,
      {
        email,
        orgRole: 'member',
      },
    );
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ inviteSent: true });

    const mail = await waitFor(() =>
      Promise.resolve(smtp.received.find((m) => m.to.includes(email))),
    );
    expect(mail.from).toBe('picket@example.com');
    expect(mail.secure).toBe(starttls);

    const body = decodeQuotedPrintable(mail.raw);
    expect(body).toMatch(/Content-Type: text\/plain/);
    expect(body).toMatch(/Content-Type: text\/html/);
    expect(body).toContain('Acme &lt;b&gt;&amp;&lt;/b&gt;');
    expect(body).not.toContain('<strong>Acme <b>');

    const links = [
      ...body.matchAll(/http:\/\/127\.0\.0\.1:1(\/accept-invite\/i\d+\/[0-9a-f]{64}\/)/g),
    ];
    const link = links[0]?.[1];
    expect(link).toBeDefined();
    const path = acceptPath(`http://x${link ?? ''}`);

    const accepted = await call(picket, undefined, 'POST', path, {
      name: 'Invitee',
      password: PASSWORD,
    });
    expect(accepted.status).toBe(200);
    const again = await call(picket, undefined, 'POST', path, {
      name: 'Invitee',
      password: PASSWORD,
    });
    expect(again.status).toBe(404);
  });

  it('leaves the e-mail out when sendInvite is false', async () => {
    const before = smtp.received.length;
    const invited = await call(
      picket,
      { token },
      'POST',
      `/api/0/organizations/${project.orgSlug}/members/`,
      {
        email: `quiet-${starttls ? 'tls' : 'plain'}@example.com`,
        sendInvite: false,
      },
    );
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ inviteSent: false });
    expect(smtp.received.length).toBe(before);
  });
});

describe('invitation e-mail with an unreachable server', () => {
  it('still returns the link to copy', async () => {
    const smtp = await startSmtp({ starttls: false });
    const port = smtp.port;
    await smtp.close();
    const picket = await startPicket({ env: { PICKET_SMTP_URL: `smtp://127.0.0.1:${port}` } });
    try {
      const project = await setupProject(picket, 'nomail');
      const token = await createToken(picket, project.email);
      const invited = await call(
        picket,
        { token },
        'POST',
        `/api/0/organizations/${project.orgSlug}/members/`,
        {
          email: 'lost@example.com',
        },
      );
      expect(invited.status).toBe(201);
      expect(invited.body).toMatchObject({ inviteSent: false });
      expect((invited.body as { inviteLink: string }).inviteLink).toMatch(
        /\/accept-invite\/i\d+\//,
      );
      // The log line reaches the test through the child's stdout pipe, which can lag the reply.
      await waitFor(async () =>
        picket.logs.some((line) => line.includes('invitation e-mail failed')) ? true : undefined,
      );
    } finally {
      await picket.stop();
    }
  });
});
