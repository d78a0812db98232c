import { isRequestError } from './api-client';

/**
 * Builds the message shown when an action fails: "Unable to <action>", followed by the
 * server's detail when it sent one.
 */
export function describeFailure(action: string, error: unknown): string {
  if (isRequestError(error) && error.detail !== null) {
    return `Unable to ${action}: ${error.detail}`;
  }

  if (isRequestError(error)) {
    return `Unable to ${action} (HTTP ${error.status}).`;
  }

  return `Unable to ${action}. Check your connection and try again.`;
}
