import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import type { NotificationSettings } from '../../../shared/api/alerts';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeFailure } from '../../lib/user-message';
import {
  notificationSettingsKey,
  notificationSettingsOptions,
  updateNotificationSettings,
} from './notification-settings-api';
import { SETTING_GROUPS, type SettingGroup } from './setting-choices';
import { TestEmailPanel } from './test-email-panel';

/**
 * Renders the signed-in user's notification choices. Each change is saved at once with a
 * partial `PUT`, like the switches of other settings pages.
 */
export function NotificationSettingsPage() {
  const queryClient = useQueryClient();
  const settingsQuery = useQuery(notificationSettingsOptions());
  useDocumentTitle(['Notifications', 'Account']);

  const saveMutation = useMutation({
    mutationFn: updateNotificationSettings,
    onSuccess: (settings) => {
      queryClient.setQueryData(notificationSettingsKey, settings);
    },
  });

  return (
    <main className="page">
      <h1>Notifications</h1>
      <p className="page-intro muted">
        Choose which e-mail Picket sends you. Alert rules that post to webhooks, Slack, Discord or
        Teams are not affected.
      </p>
      {settingsQuery.isPending ? <LoadingIndicator label="Loading notification settings…" /> : null}
      {settingsQuery.isError ? (
        <LoadError
          message="Unable to load notification settings."
          onRetry={() => void settingsQuery.refetch()}
        />
      ) : null}
      {settingsQuery.isSuccess ? (
        <Panel title="E-mail notifications" className="panel-padded">
          <div className="form">
            {SETTING_GROUPS.map((group) => (
              <SettingRadioGroup
                key={group.key}
                group={group}
                value={
                  // Shows the choice being saved at once; the server's response replaces it.
                  (saveMutation.isPending ? saveMutation.variables[group.key] : undefined) ??
                  settingsQuery.data[group.key]
                }
                onChange={(value) => {
                  saveMutation.mutate({ [group.key]: value });
                }}
              />
            ))}
          </div>
          {saveMutation.isError ? (
            <div className="alert alert-error" role="alert">
              {describeFailure('save the notification settings', saveMutation.error)}
            </div>
          ) : null}
          {saveMutation.isSuccess ? (
            <div className="alert alert-success" role="status">
              Saved.
            </div>
          ) : null}
        </Panel>
      ) : null}
      <TestEmailPanel />
    </main>
  );
}

interface SettingRadioGroupProps {
  group: SettingGroup;
  value: NotificationSettings[keyof NotificationSettings];
  onChange: (value: NotificationSettings[keyof NotificationSettings]) => void;
}

function SettingRadioGroup({ group, value, onChange }: SettingRadioGroupProps) {
  return (
    <fieldset className="field" role="radiogroup" aria-label={group.title}>
      <legend className="field-label">{group.title}</legend>
      <span className="field-help">{group.description}</span>
      <div className="field-row">
        {group.choices.map(([choice, label]) => (
          <label key={String(choice)} className="radio-field">
            <input
              type="radio"
              name={`notification-${group.key}`}
              value={String(choice)}
              checked={value === choice}
              onChange={() => {
                onChange(choice);
              }}
            />
            <span>{label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
