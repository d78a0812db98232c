import { GlobList } from './glob-pattern.js';

/**
 * Transaction names of health, liveness and readiness probes, as Sentry sends them to Relay
 * for the `filtered-transaction` filter. `{/,}` allows one trailing slash; names are matched
 * whole and without regard to case, so `GET /api/health/` matches but `/api/healthcare` does not.
 */
export const HEALTH_CHECK_PATTERNS = [
  '*healthcheck*',
  '*heartbeat*',
  '*/health{/,}',
  '*/healthy{/,}',
  '*/healthz{/,}',
  '*/health_check{/,}',
  '*/_health{/,}',
  String.raw`*/\[_health\]{/,}`,
  '*/live{/,}',
  '*/livez{/,}',
  '*/ready{/,}',
  '*/readyz{/,}',
  '*/ping{/,}',
  '*/up{/,}',
] as const;

const HEALTH_CHECKS = new GlobList(HEALTH_CHECK_PATTERNS);

export function isHealthCheckTransaction(transactionName: string): boolean {
  return HEALTH_CHECKS.matches(transactionName);
}
