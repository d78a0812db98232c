import { describe, expect, it } from 'vitest';

import {
  DEFAULT_NOTIFICATION_SETTINGS,
  type NotificationSettings,
} from '../../../shared/api/alerts.js';
import type { Recipient } from './recipients.js';
import { chooseWorkflowRecipients } from './workflow-recipients.js';

function recipient(userId: number, settings: Partial<NotificationSettings> = {}): Recipient {
  return {
    userId,
    email: `user${userId}@example.com`,
    name: `User ${userId}`,
    role: 'member',
    settings: { ...DEFAULT_NOTIFICATION_SETTINGS, ...settings },
  };
}

function chosen(
  visible: Recipient[],
  audience: Partial<Parameters<typeof chooseWorkflowRecipients>[1]>,
) {
  return chooseWorkflowRecipients(visible, {
    actorId: null,
    subscriptions: new Map(),
    assigneeId: null,
    ...audience,
  }).map(({ recipient: { userId }, reason }) => [userId, reason]);
}

describe('chooseWorkflowRecipients', () => {
  it('takes subscribers with subscribe_only', () => {
    const result = chosen([recipient(1), recipient(2)], { subscriptions: new Map([[1, true]]) });

    expect(result).toEqual([[1, 'subscribed']]);
  });

  it('takes everyone with always unless unsubscribed', () => {
    const visible = [recipient(1, { workflow: 'always' }), recipient(2, { workflow: 'always' })];

    const result = chosen(visible, { subscriptions: new Map([[2, false]]) });

    expect(result).toEqual([[1, 'always']]);
  });

  it('skips never even for the assignee', () => {
    const result = chosen([recipient(1, { workflow: 'never' })], {
      assigneeId: 1,
      subscriptions: new Map([[1, true]]),
    });

    expect(result).toEqual([]);
  });

  it('skips the actor without selfNotifications', () => {
    const visible = [
      recipient(1, { workflow: 'always' }),
      recipient(2, { selfNotifications: true }),
    ];

    const result = chosen(visible, {
      actorId: 1,
      subscriptions: new Map([
        [1, true],
        [2, true],
      ]),
    });

    expect(result).toEqual([[2, 'subscribed']]);
  });

  it('mails the assignee who unsubscribed', () => {
    const result = chosen([recipient(1)], { assigneeId: 1, subscriptions: new Map([[1, false]]) });

    expect(result).toEqual([[1, 'assignee']]);
  });
});
