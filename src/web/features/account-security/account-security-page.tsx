import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';

import { useDocumentTitle } from '../../lib/use-document-title';
import { FactorsPanel } from './factors-panel';
import { PasswordPanel } from './password-panel';
import { SessionsPanel } from './sessions-panel';
import { SudoPrompt } from './sudo-prompt';

/**
 * Account security settings: password, second factors with recovery codes, and sessions. An
 * organization that requires two-factor authentication sends members without a factor here
 * with `?required=2fa`.
 */
export function AccountSecurityPage() {
  const [searchParams] = useSearchParams();
  const queryClient = useQueryClient();
  const [needsSudo, setNeedsSudo] = useState(false);
  useDocumentTitle(['Security', 'Account Settings']);

  return (
    <main className="page security-page">
      <div className="page-heading">
        <h1>Security</h1>
      </div>
      {searchParams.get('required') === '2fa' ? (
        <div className="alert alert-warning" role="status">
          An organization you belong to requires two-factor authentication. Add an authenticator app
          or a security key to access it.
        </div>
      ) : null}
      {needsSudo ? (
        <SudoPrompt
          onConfirmed={() => {
            setNeedsSudo(false);
            void queryClient.invalidateQueries({ queryKey: ['account-security'] });
          }}
        />
      ) : null}
      <FactorsPanel
        onSudoRequired={() => {
          setNeedsSudo(true);
        }}
      />
      <PasswordPanel />
      <SessionsPanel />
    </main>
  );
}
