import type { ProjectKeyDsn } from '../../../shared/api/accounts';

/** An endpoint of a client key, other than the DSN itself, with its label. */
export interface KeyEndpoint {
  label: string;
  url: string;
}

/** The endpoint fields of a key's DSN with their labels, in the order they are listed. */
const ENDPOINT_LABELS: [keyof ProjectKeyDsn, string][] = [
  ['security', 'Security header endpoint'],
  ['csp', 'CSP report endpoint'],
  ['minidump', 'Minidump endpoint'],
  ['unreal', 'Unreal Engine endpoint'],
  ['nel', 'NEL report endpoint'],
  ['crons', 'Cron monitor endpoint'],
  ['otlp_traces', 'OTLP traces endpoint'],
  ['otlp_logs', 'OTLP logs endpoint'],
  ['cdn', 'JavaScript loader script'],
];

/**
 * Lists the endpoints that the server serves for a key. The API sends null for an endpoint it
 * does not serve, so only the others are listed. Picket's API may give the CSP endpoint the
 * security endpoint's URL, and a URL equal to that one is listed once.
 */
export function listKeyEndpoints(dsn: ProjectKeyDsn): KeyEndpoint[] {
  const endpoints: KeyEndpoint[] = [];

  for (const [field, label] of ENDPOINT_LABELS) {
    const url = dsn[field];
    const isDuplicate = field === 'csp' && url === dsn.security;

    if (url != null && url !== '' && !isDuplicate) {
      endpoints.push({ label, url });
    }
  }

  return endpoints;
}
