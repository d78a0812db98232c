import type { MailMessage } from '../../platform/mail/mailer.js';
import { escapeHtml } from '../../platform/mail/mailer.js';
import { hashSecret, randomHex } from '../accounts/secrets.js';

/** How long an invitation link works: seven days, as in Sentry. */
export const INVITE_LIFETIME_MS = 7 * 24 * 3600 * 1000;

const INVITE_ID_PATTERN = /^i([0-9]{1,15})$/;
const TOKEN_PATTERN = /^[0-9a-f]{64}$/;

/** Creates the random token of an invitation link and the SHA-256 that is stored in its place. */
export function createInviteToken(): { token: string; tokenHash: string } {
  const token = randomHex(32);
  return { token, tokenHash: hashSecret(token) };
}

/** Member id of an invitation as the API shows it: `i` and the row id. */
export function formatInviteId(inviteId: number): string {
  return `i${inviteId}`;
}

/** Reads an invitation's member id (`i12`); anything else is undefined. */
export function parseInviteId(value: string): number | undefined {
  const match = INVITE_ID_PATTERN.exec(value);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Hashes a token from a link, or returns undefined when it cannot be one of ours. */
export function hashInviteToken(token: string): string | undefined {
  return TOKEN_PATTERN.test(token) ? hashSecret(token) : undefined;
}

export function buildInviteLink(baseUrl: string, inviteId: number, token: string): string {
  return `${baseUrl}/accept-invite/${formatInviteId(inviteId)}/${token}/`;
}

/** The invitation e-mail, with every value escaped in the HTML part. */
export function buildInviteEmail(input: {
  to: string;
  organizationName: string;
  inviterName: string;
  roleName: string;
  link: string;
}): MailMessage {
  const { organizationName, inviterName, roleName, link } = input;
  const text = [
    `${inviterName} invited you to join the organization ${organizationName} on Picket as ${roleName}.`,
    '',
    `Accept the invitation: ${link}`,
    '',
    'The link works once and expires in 7 days.',
  ].join('\n');
  const html = [
    `<p>${escapeHtml(inviterName)} invited you to join the organization`,
    `<strong>${escapeHtml(organizationName)}</strong> on Picket as ${escapeHtml(roleName)}.</p>`,
    `<p><a href="${escapeHtml(link)}">Accept the invitation</a></p>`,
    '<p>The link works once and expires in 7 days.</p>',
  ].join('\n');
  return { to: input.to, subject: `Join ${organizationName} on Picket`, text, html };
}
