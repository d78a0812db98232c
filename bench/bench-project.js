// Creates the user, token, organization and project that the ingest benchmarks send to.
import { cli } from './picket-process.js';

const SCOPES = 'org:read,org:write,team:write,project:read,project:write,event:read';

/** Sends one API request with a bearer token and returns the parsed JSON body. */
export async function api(base, token, method, pathname, body) {
  const response = await fetch(`${base}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${method} ${pathname}: ${response.status}`);
  }
  return response.json();
}

/** Creates the benchmark user and returns an API token; `env` selects the storage. */
export async function createToken(env) {
  await cli(
    ['createuser', '--email', 'bench@example.com', '--password-stdin'],
    env,
    'bench-password\n',
  );
  return cli(['token', 'create', '--user', 'bench@example.com', '--scopes', SCOPES], env);
}

/**
 * Creates the organization and project `bench` through the server at `url` and returns the
 * project id and the envelope endpoint path with its DSN public key.
 */
export async function createProject(url, token) {
  await api(url, token, 'POST', '/api/0/organizations/', { name: 'Bench', slug: 'bench' });
  await api(url, token, 'POST', '/api/0/teams/bench/bench/projects/', {
    name: 'Bench',
    slug: 'bench',
  });
  const [key] = await api(url, token, 'GET', '/api/0/projects/bench/bench/keys/');
  return {
    projectId: Number(key.projectId),
    envelopePath: `/api/${key.projectId}/envelope/?sentry_key=${key.public}&sentry_version=7`,
  };
}
