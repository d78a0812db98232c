import { queryOptions } from '@tanstack/react-query';

import type { NotificationSettings } from '../../../shared/api/alerts';
import { fetchApi } from '../../lib/api-client';

const SETTINGS_PATH = '/api/0/users/me/picket-notifications/';

export const notificationSettingsKey = ['current-user', 'notification-settings'] as const;

export function notificationSettingsOptions() {
  return queryOptions({
    queryKey: notificationSettingsKey,
    queryFn: ({ signal }) => fetchApi<NotificationSettings>(SETTINGS_PATH, { signal }),
  });
}

/** Saves some of the user's choices; the server keeps the others and returns all of them. */
export function updateNotificationSettings(
  changes: Partial<NotificationSettings>,
): Promise<NotificationSettings> {
  return fetchApi<NotificationSettings>(SETTINGS_PATH, { method: 'PUT', body: changes });
}

/** Sends a test e-mail to the signed-in user at once, and returns the address it went to. */
export function sendTestEmail(): Promise<{ sent: boolean; to: string }> {
  return fetchApi<{ sent: boolean; to: string }>('/api/0/users/me/picket-test-email/', {
    method: 'POST',
  });
}
