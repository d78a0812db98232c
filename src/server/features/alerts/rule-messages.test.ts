import { describe, expect, it } from 'vitest';

import { alertEmail, type AlertMessage } from './rule-messages.js';

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
