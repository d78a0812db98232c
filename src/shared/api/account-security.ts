/**
 * Wire types of two-factor login, second factors, recovery codes, sessions, password changes
 * and re-authentication. WebAuthn options and responses are the JSON forms that
 * `@simplewebauthn/browser` produces and reads.
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';

import type { User } from './accounts.js';

export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
};

/** Ways to finish a login's second step. */
export type SecondFactorMethod = 'totp' | 'webauthn' | 'recovery';

/** Error codes of account security that clients branch on, next to `detail`. */
export type AccountSecurityErrorCode = '2fa-required' | 'sudo-required' | 'rate_limited';

/**
 * Response of `POST /api/0/auth/login/` when the user has a second factor: the session reaches
 * only the second-step routes until one of `methods` succeeds.
 */
export interface TwoFactorChallenge {
  twoFactorRequired: true;
  methods: SecondFactorMethod[];
}

/** Response of `POST /api/0/auth/login/`: the user, or the second step that is due. */
export type LoginResponse = { user: User } | TwoFactorChallenge;

/** Body of `POST /api/0/auth/2fa/`. */
export type SecondFactorRequest =
  | { method: 'totp'; code: string }
  | { method: 'recovery'; code: string }
  | { method: 'webauthn'; response: AuthenticationResponseJSON };

/** Body of `POST /api/0/auth/reauthenticate/`: the password or a current TOTP code. */
export type ReauthenticateRequest = { password: string } | { code: string };

/** A second factor, as `GET /api/0/users/me/authenticators/` lists it. */
export interface Authenticator {
  id: string;
  type: 'totp' | 'webauthn';
  name: string;
  /** ISO 8601 timestamps. */
  dateCreated: string;
  lastUsed: string | null;
}

export interface RecoveryCodeSummary {
  /** Codes not used yet. */
  remaining: number;
  total: number;
  dateCreated: string | null;
}

/** Response of `GET /api/0/users/me/authenticators/`. */
export interface AuthenticatorList {
  authenticators: Authenticator[];
  recoveryCodes: RecoveryCodeSummary;
}

/**
 * Response of `POST /api/0/users/me/authenticators/totp/`: the secret, shown once, and a sealed
 * token that the confirmation sends back with the first code.
 */
export interface TotpEnrollment {
  /** Base32, for typing into an authenticator app. */
  secret: string;
  /** `otpauth://totp/...`, for a QR code. */
  uri: string;
  enrollmentToken: string;
}

/** Body of `POST /api/0/users/me/authenticators/totp/confirm/`. */
export interface TotpConfirmRequest {
  enrollmentToken: string;
  code: string;
  name?: string;
}

/** Body of `POST /api/0/users/me/authenticators/webauthn/`. */
export interface SecurityKeyRequest {
  response: RegistrationResponseJSON;
  name?: string;
}

/**
 * Response of adding a factor. `recoveryCodes` contains new codes, in plain text this once, when
 * the factor is the user's first; it is null otherwise.
 */
export interface AuthenticatorAdded {
  authenticator: Authenticator;
  recoveryCodes: string[] | null;
}

/** Response of `POST /api/0/users/me/recovery-codes/`: the new codes, shown once. */
export interface RecoveryCodes {
  codes: string[];
}

/** A login session, as `GET /api/0/users/me/sessions/` lists it. */
export interface UserSession {
  /** An identifier of the session for revoking it; not the cookie value. */
  id: string;
  dateCreated: string;
  lastSeen: string;
  expires: string;
  ipAddress: string | null;
  userAgent: string | null;
  /** True for the session that made the request. */
  current: boolean;
}

/** Body of `PUT /api/0/users/me/password/`. */
export interface PasswordChangeRequest {
  currentPassword: string;
  newPassword: string;
}
