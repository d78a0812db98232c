/**
 * Valid request bodies and queries for the write routes of the authorization matrix. A denied
 * principal gets a body the route would accept, so that a missing check shows as a 2xx rather
 * than hiding behind a validation error. Routes not listed get `{}`.
 */
import { uniqueName, type ObjectIds } from './world.js';

export interface CellRequest {
  body: unknown;
  /** Query string without `?`, for bulk routes that would otherwise act on every issue. */
  query?: string;
}

type BodyBuilder = (ids: ObjectIds) => CellRequest;

const BODIES: Record<string, BodyBuilder> = {
  'GET /api/0/organizations/:org/stats_v2/': () => ({
    body: undefined,
    query: 'field=sum(quantity)&groupBy=outcome&statsPeriod=1d',
  }),
  'POST /api/0/organizations/': () => {
    const slug = uniqueName('org');
    return { body: { name: slug, slug } };
  },
  'POST /api/0/organizations/:org/teams/': () => {
    const slug = uniqueName('team');
    return { body: { name: slug, slug } };
  },
  'POST /api/0/teams/:org/:team/projects/': () => {
    const slug = uniqueName('proj');
    return { body: { name: slug, slug, platform: 'javascript' } };
  },
  'PUT /api/0/projects/:org/:project/': () => ({ body: {} }),
  'POST /api/0/projects/:org/:project/keys/': () => ({ body: { name: uniqueName('key') } }),
  'PUT /api/0/projects/:org/:project/keys/:keyId/': () => ({ body: { name: uniqueName('key') } }),
  'PUT /api/0/projects/:org/:project/filters/:filterId/': () => ({ body: { active: true } }),
  'POST /api/0/projects/:org/:project/grouping-rules/validate/': () => ({
    body: { fingerprintingRules: '', groupingEnhancements: '' },
  }),
  'PUT /api/0/organizations/:org/issues/': (ids) => ({
    body: { status: 'unresolved' },
    query: `id=${ids.issueId}`,
  }),
  'PUT /api/0/projects/:org/:project/issues/': (ids) => ({
    body: { status: 'unresolved' },
    query: `id=${ids.issueId}`,
  }),
  'DELETE /api/0/organizations/:org/issues/': (ids) => ({
    body: undefined,
    query: `id=${ids.issueId}`,
  }),
  'DELETE /api/0/projects/:org/:project/issues/': (ids) => ({
    body: undefined,
    query: `id=${ids.issueId}`,
  }),
  'PUT /api/0/organizations/:org/issues/:issueId/': () => ({ body: { status: 'unresolved' } }),
  'PUT /api/0/issues/:issueId/': () => ({ body: { status: 'unresolved' } }),
  'POST /api/0/organizations/:org/issues/:issueId/comments/': () => ({
    body: { text: uniqueName('comment') },
  }),
  'POST /api/0/issues/:issueId/comments/': () => ({ body: { text: uniqueName('comment') } }),
  'PUT /api/0/organizations/:org/issues/:issueId/comments/:activityId/': () => ({
    body: { text: uniqueName('comment') },
  }),
  'PUT /api/0/issues/:issueId/comments/:activityId/': () => ({
    body: { text: uniqueName('comment') },
  }),
  'POST /api/0/organizations/:org/searches/': () => ({
    body: { name: uniqueName('search'), query: 'is:unresolved' },
  }),
  'PUT /api/0/organizations/:org/searches/:searchId/': () => ({
    body: { name: uniqueName('search') },
  }),
  'POST /api/0/projects/:org/:project/user-feedback/': (ids) => ({
    body: { event_id: ids.eventId, name: 'n', email: 'n@example.com', comments: 'c' },
  }),
  'POST /api/0/projects/:org/:project/user-reports/': (ids) => ({
    body: { event_id: ids.eventId, name: 'n', email: 'n@example.com', comments: 'c' },
  }),
  'POST /api/0/organizations/:org/releases/': (ids) => ({
    body: { version: uniqueName('rel'), projects: [ids.project] },
  }),
  'POST /api/0/projects/:org/:project/releases/': () => ({ body: { version: uniqueName('rel') } }),
  'PUT /api/0/organizations/:org/releases/:version/': () => ({ body: {} }),
  'PUT /api/0/projects/:org/:project/releases/:version/': () => ({ body: {} }),
  'POST /api/0/organizations/:org/releases/:version/deploys/': () => ({
    body: { environment: 'production' },
  }),
  'POST /api/0/organizations/:org/monitors/': (ids) => {
    const slug = uniqueName('cron');
    return {
      body: {
        name: slug,
        slug,
        project: ids.project,
        type: 'cron_job',
        config: { schedule_type: 'crontab', schedule: '0 * * * *' },
      },
    };
  },
  'PUT /api/0/organizations/:org/monitors/:monitor/': () => ({ body: { isMuted: false } }),
  'PUT /api/0/projects/:org/:project/monitors/:monitor/': () => ({ body: { isMuted: false } }),
  'PUT /api/0/organizations/:org/releases/:version/files/:fileId/': () => ({
    body: { name: `~/${uniqueName('file')}.js` },
  }),
  'PUT /api/0/projects/:org/:project/releases/:version/files/:fileId/': () => ({
    body: { name: `~/${uniqueName('file')}.js` },
  }),
  'POST /api/0/organizations/:org/artifactbundle/assemble/': (ids) => ({
    body: { checksum: '0'.repeat(40), chunks: [], projects: [ids.project] },
  }),
  'POST /api/0/organizations/:org/releases/:version/assemble/': () => ({
    body: { checksum: '0'.repeat(40), chunks: [] },
  }),
  'POST /api/0/projects/:org/:project/rules/': () => ({ body: ruleBody() }),
  'PUT /api/0/projects/:org/:project/rules/:ruleId/': () => ({ body: ruleBody() }),
  'POST /api/0/projects/:org/:project/rules/preview/': () => ({
    body: {
      actionMatch: 'any',
      conditions: [{ id: 'sentry.rules.conditions.first_seen_event.FirstSeenEventCondition' }],
    },
  }),
  'PUT /api/0/users/me/picket-notifications/': () => ({ body: { alerts: 'always' } }),
};

/** An issue alert rule whose only action e-mails no one, so that a test send goes nowhere. */
function ruleBody() {
  return {
    name: uniqueName('rule'),
    actionMatch: 'any',
    frequency: 30,
    conditions: [{ id: 'sentry.rules.conditions.first_seen_event.FirstSeenEventCondition' }],
    actions: [
      {
        id: 'sentry.mail.actions.NotifyEmailAction',
        targetType: 'IssueOwners',
        fallthroughType: 'NoOne',
      },
    ],
  };
}

/** Returns the body and query to send for a route, `{}` for write routes not listed above. */
export function requestFor(method: string, url: string, ids: ObjectIds): CellRequest {
  const builder = BODIES[`${method} ${url}`];
  if (builder !== undefined) {
    return builder(ids);
  }
  return { body: method === 'GET' || method === 'DELETE' ? undefined : {} };
}
