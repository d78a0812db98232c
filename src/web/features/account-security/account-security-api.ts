import type { AuthResponse } from '../../../shared/api/accounts';
import type {
  AuthenticatorAdded,
  AuthenticatorList,
  LoginResponse,
  PasswordChangeRequest,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  ReauthenticateRequest,
  RecoveryCodes,
  RegistrationResponseJSON,
  SecondFactorRequest,
  TotpConfirmRequest,
  TotpEnrollment,
  TwoFactorChallenge,
  UserSession,
} from '../../../shared/api/account-security';
import { fetchApi } from '../../lib/api-client';

/** Query keys of the security page. */
export const securityKeys = {
  authenticators: ['account-security', 'authenticators'] as const,
  sessions: ['account-security', 'sessions'] as const,
};

export function logInWithPassword(credentials: { email: string; password: string }) {
  return fetchApi<LoginResponse>('/api/0/auth/login/', { method: 'POST', body: credentials });
}

/** Reads the second step that is due, or fails with 401 when no login waits for one. */
export function fetchPendingLogin() {
  return fetchApi<TwoFactorChallenge>('/api/0/auth/2fa/');
}

export function fetchLoginKeyOptions() {
  return fetchApi<PublicKeyCredentialRequestOptionsJSON>('/api/0/auth/2fa/webauthn/options/', {
    method: 'POST',
  });
}

export function submitSecondFactor(request: SecondFactorRequest) {
  return fetchApi<AuthResponse>('/api/0/auth/2fa/', { method: 'POST', body: request });
}

export function reauthenticate(request: ReauthenticateRequest) {
  return fetchApi<undefined>('/api/0/auth/reauthenticate/', { method: 'POST', body: request });
}

export function fetchAuthenticators() {
  return fetchApi<AuthenticatorList>('/api/0/users/me/authenticators/');
}

export function startTotpEnrollment() {
  return fetchApi<TotpEnrollment>('/api/0/users/me/authenticators/totp/', { method: 'POST' });
}

export function confirmTotp(request: TotpConfirmRequest) {
  return fetchApi<AuthenticatorAdded>('/api/0/users/me/authenticators/totp/confirm/', {
    method: 'POST',
    body: request,
  });
}

export function fetchKeyRegistrationOptions() {
  return fetchApi<PublicKeyCredentialCreationOptionsJSON>(
    '/api/0/users/me/authenticators/webauthn/options/',
    { method: 'POST' },
  );
}

export function registerSecurityKey(request: { response: RegistrationResponseJSON; name: string }) {
  return fetchApi<AuthenticatorAdded>('/api/0/users/me/authenticators/webauthn/', {
    method: 'POST',
    body: request,
  });
}

export function removeAuthenticator(id: string) {
  return fetchApi<undefined>(`/api/0/users/me/authenticators/${encodeURIComponent(id)}/`, {
    method: 'DELETE',
  });
}

export function regenerateRecoveryCodes() {
  return fetchApi<RecoveryCodes>('/api/0/users/me/recovery-codes/', { method: 'POST' });
}

export function fetchSessions() {
  return fetchApi<UserSession[]>('/api/0/users/me/sessions/');
}

export function revokeSession(id: string) {
  return fetchApi<undefined>(`/api/0/users/me/sessions/${encodeURIComponent(id)}/`, {
    method: 'DELETE',
  });
}

export function logOutEverywhere() {
  return fetchApi<undefined>('/api/0/users/me/sessions/', { method: 'DELETE' });
}

export function changePassword(request: PasswordChangeRequest) {
  return fetchApi<undefined>('/api/0/users/me/password/', { method: 'PUT', body: request });
}
