import type { NotificationSettings } from '../../../shared/api/alerts';

/** One setting of the page: its title, what it covers, and its choices with their labels. */
export interface SettingGroup<K extends keyof NotificationSettings = keyof NotificationSettings> {
  key: K;
  title: string;
  description: string;
  choices: [NotificationSettings[K], string][];
}

const ALWAYS_NEVER: ['always' | 'never', string][] = [
  ['always', 'On'],
  ['never', 'Off'],
];

export const SETTING_GROUPS: readonly SettingGroup[] = [
  {
    key: 'alerts',
    title: 'Issue alerts',
    description:
      'E-mail from alert rules that send to you, to a team of yours, or to the assignee of an issue.',
    choices: ALWAYS_NEVER,
  },
  {
    key: 'workflow',
    title: 'Workflow',
    description: 'Assignment, comments, resolution and regression of issues.',
    choices: [
      ['always', 'Always'],
      ['subscribe_only', 'Only issues I am subscribed to'],
      ['never', 'Never'],
    ],
  },
  {
    key: 'digest',
    title: 'Activity digest',
    description: 'A summary of the issue activity in your projects.',
    choices: [
      ['daily', 'Daily'],
      ['weekly', 'Weekly'],
      ['never', 'Never'],
    ],
  },
  {
    key: 'crons',
    title: 'Crons',
    description: 'Missed and failed check-ins of cron monitors, and their recovery.',
    choices: ALWAYS_NEVER,
  },
  {
    key: 'quota',
    title: 'Quota and spikes',
    description:
      'Quota, spike protection and backlog warnings. Only organization owners receive them.',
    choices: ALWAYS_NEVER,
  },
  {
    key: 'selfNotifications',
    title: 'My own activity',
    description: 'Whether you also hear about what you did yourself, such as resolving an issue.',
    choices: [
      [true, 'On'],
      [false, 'Off'],
    ],
  },
] as SettingGroup[];
