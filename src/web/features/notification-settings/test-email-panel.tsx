import { useMutation } from '@tanstack/react-query';

import { Panel } from '../../components/panel';
import { describeFailure } from '../../lib/user-message';
import { sendTestEmail } from './notification-settings-api';

/** Renders the button that sends a test e-mail, with where it went or why it failed. */
export function TestEmailPanel() {
  const testMutation = useMutation({ mutationFn: sendTestEmail });

  return (
    <Panel
      title="Test e-mail"
      className="panel-padded"
      actions={
        <button
          type="button"
          className="button button-small"
          disabled={testMutation.isPending}
          onClick={() => {
            testMutation.mutate();
          }}
        >
          {testMutation.isPending ? 'Sending…' : 'Send a test e-mail'}
        </button>
      }
    >
      <p className="muted">
        Sends an e-mail to your address now, to check the server's SMTP settings.
      </p>
      {testMutation.isSuccess ? (
        <div className="alert alert-success" role="status">
          {`Sent to ${testMutation.data.to}`}
        </div>
      ) : null}
      {testMutation.isError ? (
        <div className="alert alert-error" role="alert">
          {describeFailure('send the test e-mail', testMutation.error)}
        </div>
      ) : null}
    </Panel>
  );
}
