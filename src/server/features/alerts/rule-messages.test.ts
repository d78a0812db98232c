import { describe, expect, it } from 'vitest';

import { alertEmail, discordBody, slackBody, type AlertMessage } from './rule-messages.js';

const MESSAGE: AlertMessage = {
  triggeredAt: Date.UTC(2026, 4, 1, 12),
  rule: { id: 12, name: 'New errors' },
  reasons: ['first_seen'],
  project: { id: 3, slug: 'web', name: 'Web' },
  issue: {
    id: 42,
    shortId: 'WEB-1A',
    title: 'TypeError: x is undefined',
    culprit: 'app.js in handler',
    level: 'error',
    status: 'unresolved',
    firstSeen: Date.UTC(2026, 4, 1, 11),
    lastSeen: Date.UTC(2026, 4, 1, 12),
    count: 1,
    userCount: 0,
    url: 'https://picket.test/organizations/acme/issues/42/',
  },
  event: null,
  settingsUrl: 'https://picket.test/settings/account/notifications/',
};

describe('alertEmail', () => {
  it('names the level and the reason of a firing', () => {
    const mail = alertEmail(MESSAGE);
    expect(mail.subject).toBe('[web] ERROR: TypeError: x is undefined');
    expect(mail.text).toContain('A new issue was created');
  });

  it('marks a test send in subject and body', () => {
    const mail = alertEmail({ ...MESSAGE, reasons: ['test'] });
    expect(mail.subject).toBe('[web] Test: ERROR: TypeError: x is undefined');
    expect(mail.text).toContain("Test notification sent from the alert rule's page.");
    expect(mail.text).not.toMatch(/^test$/m);
  });
});

/** A message whose event-controlled texts try mentions and masked links. */
function hostileMessage(): AlertMessage {
  return {
    triggeredAt: Date.UTC(2026, 4, 1),
    rule: { id: 1, name: 'New errors' },
    reasons: ['first_seen'],
    project: { id: 2, slug: 'web', name: 'Web' },
    issue: {
      id: 3,
      shortId: 'WEB-1',
      title: '<!channel> [click](https://phish.example/) @everyone',
      culprit: '[Reset your password](https://phish.example/) <@123>',
      level: 'error',
      status: 'unresolved',
      firstSeen: Date.UTC(2026, 4, 1),
      lastSeen: Date.UTC(2026, 4, 1),
      count: 1,
      userCount: 0,
      url: 'https://picket.example/organizations/acme/issues/3/',
    },
    event: {
      eventId: 'a'.repeat(32),
      timestamp: Date.UTC(2026, 4, 1),
      level: 'error',
      message: null,
      environment: '[prod](https://phish.example/)',
      release: '<!here>',
      platform: 'node',
      tags: [],
      url: 'https://picket.example/organizations/acme/issues/3/events/a/',
      frames: [],
    },
    settingsUrl: 'https://picket.example/settings/account/notifications/',
  };
}

describe('slackBody', () => {
  it('escapes mentions in the fallback text', () => {
    const body = slackBody(hostileMessage());
    expect(body.text).not.toContain('<!channel>');
    expect(body.text).toContain('&lt;!channel&gt;');
  });

  it('escapes mentions in the blocks', () => {
    const blocks = JSON.stringify(slackBody(hostileMessage()).blocks);
    expect(blocks).not.toContain('<!channel>');
    expect(blocks).not.toContain('<!here>');
  });
});

describe('discordBody', () => {
  const embedOf = (body: Record<string, unknown>) =>
    (body.embeds as Record<string, unknown>[])[0] ?? {};

  it('resolves no mentions', () => {
    expect(discordBody(hostileMessage()).allowed_mentions).toEqual({ parse: [] });
  });

  it('escapes masked links in the description', () => {
    const description = String(embedOf(discordBody(hostileMessage())).description);
    expect(description).not.toContain('[Reset your password](https://');
    expect(description).toContain('\\[Reset your password\\]\\(https');
  });

  it('escapes masked links in the fields', () => {
    const fields = embedOf(discordBody(hostileMessage())).fields as { value: string }[];
    const values = fields.map((field) => field.value);
    expect(values).toContain('\\[prod\\]\\(https://phish.example/\\)');
    expect(values.join('\n')).not.toContain('[prod](');
  });
});
