/**
 * The issue workflow through the API of a running server, on SQLite and PostgreSQL: statuses
 * with regressions and archive conditions, assignment, bookmarks and subscriptions, comments,
 * merge and unmerge, delete and discard, and authorization.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { unarchiveExpiredIssues } from '../../src/server/features/issues/issue-workflow-transitions.js';
import { connectDb, type Db } from '../../src/server/platform/db/index.js';
import { countOutcomes, SERVER_ENGINES } from '../helpers/engines.js';
import {
  apiGet,
  apiRequest,
  runCli,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

interface Issue {
  id: string;
  title: string;
  count: string;
  status: string;
  substatus: string | null;
  statusDetails: Record<string, unknown>;
  assignedTo: { type: string; id: string; email?: string } | null;
  isBookmarked: boolean;
  isSubscribed: boolean;
  subscriptionDetails: { reason?: string; disabled?: boolean } | null;
  hasSeen: boolean;
  numComments: number;
  activity?: { id: string; type: string; data: Record<string, unknown> }[];
  seenBy?: { id: string }[];
  participants?: { id: string }[];
  stats?: { '24h'?: [number, number][] };
}

let eventCounter = 0;

function errorEvent(group: string, options: { release?: string; user?: string } = {}) {
  eventCounter += 1;
  const id = eventCounter.toString(16).padStart(32, '0');
  return {
    id,
    item: {
      headers: { type: 'event' },
      payload: {
        event_id: id,
        platform: 'python',
        level: 'error',
        fingerprint: [group],
        ...(options.release === undefined ? {} : { release: options.release }),
        ...(options.user === undefined ? {} : { user: { id: options.user } }),
        tags: { region: 'eu' },
        exception: { values: [{ type: group, value: 'bad input' }] },
      },
    },
  };
}

/** Statuses and substatuses on the wire, checked one field at a time. */
function statusOf(issue: Issue) {
  return { status: issue.status, substatus: issue.substatus };
}

describe.each(SERVER_ENGINES)('issue workflow on $name', (engine) => {
  let picket: PicketInstance;
  let project: TestProject;
  let rival: TestProject;
  let db: Db;
  let memberToken: string;
  let memberUserId: number;
  let ownerUserId: number;
  let readOnlyToken: string;
  let writeToken: string;

  const orgPath = () => `/api/0/organizations/${project.orgSlug}`;
  const issuePath = (id: string) => `${orgPath()}/issues/${id}/`;
  const getIssue = (id: string, token = project.token) =>
    apiGet(picket, token, issuePath(id)) as Promise<Issue>;
  const update = (id: string, body: unknown, token = project.token) =>
    apiRequest(picket, token, 'PUT', issuePath(id), body) as Promise<Issue>;

  async function rawRequest(method: string, pathname: string, token: string, body?: unknown) {
    return fetch(`${picket.url}${pathname}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function send(group: string, options: { release?: string; user?: string } = {}) {
    const event = errorEvent(group, options);
    const response = await sendEnvelope(project.dsn, [event.item], { event_id: event.id });
    expect(response.status).toBe(200);
    return event.id;
  }

  /** Waits until the event is stored and returns its issue. */
  async function sendAndWait(group: string, options: { release?: string; user?: string } = {}) {
    const eventId = await send(group, options);
    return waitFor(async () => {
      const found = (await apiGet(picket, project.token, `${orgPath()}/eventids/${eventId}/`).catch(
        () => undefined,
      )) as { groupId: string } | undefined;
      return found === undefined ? undefined : getIssue(found.groupId);
    });
  }

  let secondDsn: string | undefined;

  /** Sends an event to a second project of the organization and returns its issue id. */
  async function sendToSecondProject(group: string): Promise<string> {
    if (secondDsn === undefined) {
      const second = (await apiRequest(
        picket,
        project.token,
        'POST',
        `/api/0/teams/${project.orgSlug}/${project.teamSlug}/projects/`,
        { name: 'Second', slug: `second-${engine.name}`, platform: 'python' },
      )) as { slug: string };
      const keys = (await apiGet(
        picket,
        project.token,
        `/api/0/projects/${project.orgSlug}/${second.slug}/keys/`,
      )) as { dsn: { public: string } }[];
      secondDsn = keys[0]?.dsn.public;
    }
    const event = errorEvent(group);
    await sendEnvelope(secondDsn ?? '', [event.item], { event_id: event.id });
    return waitFor(async () => {
      const found = (await apiGet(
        picket,
        project.token,
        `${orgPath()}/eventids/${event.id}/`,
      ).catch(() => undefined)) as { groupId: string } | undefined;
      return found?.groupId;
    });
  }

  async function createUser(email: string) {
    const created = await runCli(['createuser', '--email', email, '--password-stdin'], {
      env: picket.env,
      input: 'correct horse battery staple\n',
    });
    expect(created.code).toBe(0);
    const row = await db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async function createToken(email: string, scopes: string) {
    const run = await runCli(['token', 'create', '--user', email, '--scopes', scopes], {
      env: picket.env,
    });
    expect(run.code).toBe(0);
    return run.stdout.trim();
  }

  beforeAll(async () => {
    const databaseUrl = await engine.databaseUrl();
    picket = await startPicket({ databaseUrl });
    project = await setupProject(picket, 'flow');
    rival = await setupProject(picket, 'rival');
    db = connectDb({ databaseUrl, dataDir: picket.dataDir });

    const owner = await db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', project.email)
      .executeTakeFirstOrThrow();
    ownerUserId = Number(owner.id);
    const organization = await db.kysely
      .selectFrom('organizations')
      .select('id')
      .where('slug', '=', project.orgSlug)
      .executeTakeFirstOrThrow();

    const memberEmail = `member-${engine.name}@example.com`;
    memberUserId = await createUser(memberEmail);
    await db.kysely
      .insertInto('organizationMembers')
      .values({
        organizationId: organization.id,
        userId: memberUserId,
        role: 'member',
        createdAt: Date.now(),
      })
      .execute();
    memberToken = await createToken(memberEmail, 'org:read,event:read,event:write,event:admin');
    readOnlyToken = await createToken(project.email, 'org:read,event:read');
    writeToken = await createToken(project.email, 'org:read,event:read,event:write');
  }, 60_000);

  afterAll(async () => {
    await db.close();
    await picket.stop();
  });

  it('resolved issue regresses on a new event', async () => {
    const issue = await sendAndWait('plain-regression');
    const resolved = await update(issue.id, { status: 'resolved' });
    expect(resolved.status).toBe('resolved');

    await sendAndWait('plain-regression');
    const reopened = await getIssue(issue.id);
    expect(statusOf(reopened)).toEqual({ status: 'unresolved', substatus: 'regressed' });
    const types = reopened.activity?.map((entry) => entry.type);
    expect(types?.[0]).toBe('set_regression');
    expect(types).toContain('set_resolved');
  });

  it('resolved in next release ignores the old release', async () => {
    const issue = await sendAndWait('next-release', { release: 'web@1.0.0' });
    const resolved = await update(issue.id, { status: 'resolvedInNextRelease' });
    expect(resolved.status).toBe('resolved');
    expect(resolved.statusDetails.inNextRelease).toBe(true);
    expect(resolved.statusDetails.actor).toMatchObject({ email: project.email });

    const sameRelease = await sendAndWait('next-release', { release: 'web@1.0.0' });
    expect(sameRelease.status).toBe('resolved');
    const olderRelease = await sendAndWait('next-release', { release: 'web@0.9.0' });
    expect(olderRelease.status).toBe('resolved');
    const noRelease = await sendAndWait('next-release');
    expect(noRelease.status).toBe('resolved');
    expect(noRelease.count).toBe('4');

    const newer = await sendAndWait('next-release', { release: 'web@1.1.0' });
    expect(statusOf(newer)).toEqual({ status: 'unresolved', substatus: 'regressed' });
    expect(newer.activity?.[0]).toMatchObject({
      type: 'set_regression',
      data: { version: 'web@1.1.0' },
    });
  });

  it('resolved in release compares semantic versions', async () => {
    const issue = await sendAndWait('in-release', { release: 'web@2.0.0' });
    const resolved = await update(issue.id, {
      status: 'resolved',
      statusDetails: { inRelease: 'web@2.0.0' },
    });
    expect(resolved.statusDetails.inRelease).toBe('web@2.0.0');

    const older = await sendAndWait('in-release', { release: 'web@1.9.0' });
    expect(older.status).toBe('resolved');
    const newer = await sendAndWait('in-release', { release: 'web@2.0.1' });
    expect(statusOf(newer)).toEqual({ status: 'unresolved', substatus: 'regressed' });
  });

  it('resolved in release regresses on that release', async () => {
    const issue = await sendAndWait('in-release-same', { release: 'web@3.0.0' });
    await update(issue.id, { status: 'resolved', statusDetails: { inRelease: 'web@3.0.0' } });

    const same = await sendAndWait('in-release-same', { release: 'web@3.0.0' });
    expect(statusOf(same)).toEqual({ status: 'unresolved', substatus: 'regressed' });
  });

  it('resolved in release orders other versions by first event', async () => {
    await sendAndWait('release-order', { release: 'alpha' });
    const issue = await sendAndWait('release-order', { release: 'beta' });
    await update(issue.id, { status: 'resolved', statusDetails: { inRelease: 'beta' } });

    const older = await sendAndWait('release-order', { release: 'alpha' });
    expect(older.status).toBe('resolved');
    const newer = await sendAndWait('release-order', { release: 'gamma' });
    expect(newer.status).toBe('unresolved');
  });

  it('resolve in unknown release is rejected', async () => {
    const issue = await sendAndWait('unknown-release');
    const response = await rawRequest('PUT', issuePath(issue.id), project.token, {
      status: 'resolved',
      statusDetails: { inRelease: 'does-not-exist' },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('does-not-exist');
  });

  it('archive forever stays archived', async () => {
    const issue = await sendAndWait('archive-forever');
    const archived = await update(issue.id, { status: 'ignored' });
    expect(statusOf(archived)).toEqual({ status: 'ignored', substatus: 'archived_forever' });
    const later = await sendAndWait('archive-forever');
    expect(later.status).toBe('ignored');
  });

  it('archive until N occurrences escalates', async () => {
    const issue = await sendAndWait('archive-count');
    const archived = await update(issue.id, {
      status: 'ignored',
      statusDetails: { ignoreCount: 2 },
    });
    expect(statusOf(archived)).toEqual({
      status: 'ignored',
      substatus: 'archived_until_condition_met',
    });
    expect(archived.statusDetails.ignoreCount).toBe(2);

    const once = await sendAndWait('archive-count');
    expect(once.status).toBe('ignored');
    const twice = await sendAndWait('archive-count');
    expect(statusOf(twice)).toEqual({ status: 'unresolved', substatus: 'escalating' });
    expect(twice.activity?.[0]?.type).toBe('set_escalating');
  });

  it('archive until N occurrences within window', async () => {
    const issue = await sendAndWait('archive-count-window');
    await update(issue.id, {
      status: 'ignored',
      statusDetails: { ignoreCount: 2, ignoreWindow: 60 },
    });
    const once = await sendAndWait('archive-count-window');
    expect(once.status).toBe('ignored');
    const twice = await sendAndWait('archive-count-window');
    expect(statusOf(twice)).toEqual({ status: 'unresolved', substatus: 'escalating' });
  });

  it('archive until N users in total escalates', async () => {
    const issue = await sendAndWait('archive-users-total', { user: 'first' });
    await update(issue.id, { status: 'ignored', statusDetails: { ignoreUserCount: 1 } });
    const sameUser = await sendAndWait('archive-users-total', { user: 'first' });
    expect(sameUser.status).toBe('ignored');
    const newUser = await sendAndWait('archive-users-total', { user: 'second' });
    expect(statusOf(newUser)).toEqual({ status: 'unresolved', substatus: 'escalating' });
  });

  it('expired archive unarchives on next event', async () => {
    const issue = await sendAndWait('archive-expired');
    await update(issue.id, { status: 'ignored', statusDetails: { ignoreDuration: 60 } });
    const row = await db.kysely
      .selectFrom('issues')
      .select('statusDetails')
      .where('id', '=', Number(issue.id))
      .executeTakeFirstOrThrow();
    const details = JSON.parse(row.statusDetails ?? '{}') as Record<string, unknown>;
    await db.kysely
      .updateTable('issues')
      .set({ statusDetails: JSON.stringify({ ...details, ignoreUntil: Date.now() - 1_000 }) })
      .where('id', '=', Number(issue.id))
      .execute();

    const next = await sendAndWait('archive-expired');
    expect(statusOf(next)).toEqual({ status: 'unresolved', substatus: 'ongoing' });
    expect(next.activity?.[0]?.type).toBe('set_unresolved');
    expect(next.activity?.[0]).toMatchObject({ user: null });
  });

  it('archive until N users within window escalates', async () => {
    const issue = await sendAndWait('archive-users', { user: 'u0' });
    await update(issue.id, {
      status: 'ignored',
      statusDetails: { ignoreUserCount: 2, ignoreUserWindow: 60 },
    });
    const sameUser = await sendAndWait('archive-users', { user: 'u1' });
    expect(sameUser.status).toBe('ignored');
    const again = await sendAndWait('archive-users', { user: 'u1' });
    expect(again.status).toBe('ignored');
    const second = await sendAndWait('archive-users', { user: 'u2' });
    expect(statusOf(second)).toEqual({ status: 'unresolved', substatus: 'escalating' });
  });

  it('archive until escalating escalates', async () => {
    const issue = await sendAndWait('archive-escalating');
    const archived = await update(issue.id, {
      status: 'ignored',
      substatus: 'archived_until_escalating',
    });
    expect(archived.substatus).toBe('archived_until_escalating');
    expect(archived.statusDetails.ignoreUntilEscalating).toBe(true);

    for (let index = 0; index < 10; index += 1) {
      await send('archive-escalating');
    }
    const quiet = await waitFor(async () => {
      const current = await getIssue(issue.id);
      return current.count === '11' ? current : undefined;
    });
    expect(quiet.status).toBe('ignored');
    const loud = await sendAndWait('archive-escalating');
    expect(statusOf(loud)).toEqual({ status: 'unresolved', substatus: 'escalating' });
  });

  it('archive for a time unarchives when it runs out', async () => {
    const issue = await sendAndWait('archive-time');
    const archived = await update(issue.id, {
      status: 'ignored',
      statusDetails: { ignoreDuration: 30 },
    });
    const until = Date.parse(String(archived.statusDetails.ignoreUntil));
    expect(until).toBeGreaterThan(Date.now() + 29 * 60_000);
    expect(until).toBeLessThan(Date.now() + 31 * 60_000);

    const early = await unarchiveExpiredIssues(db.kysely, Date.now());
    expect(early).toBe(0);
    expect((await getIssue(issue.id)).status).toBe('ignored');
    const reopened = await unarchiveExpiredIssues(db.kysely, until + 1);
    expect(reopened).toBe(1);
    const current = await getIssue(issue.id);
    expect(statusOf(current)).toEqual({ status: 'unresolved', substatus: 'ongoing' });
  });

  it('archive with invalid details is rejected', async () => {
    const issue = await sendAndWait('archive-invalid');
    for (const statusDetails of [
      { ignoreCount: 2, ignoreDuration: 30 },
      { ignoreWindow: 60 },
      { ignoreCount: -1 },
    ]) {
      const response = await rawRequest('PUT', issuePath(issue.id), project.token, {
        status: 'ignored',
        statusDetails,
      });
      expect(response.status).toBe(400);
    }
  });

  it('unresolve writes activity with actor', async () => {
    const issue = await sendAndWait('unresolve');
    await update(issue.id, { status: 'resolved' });
    const reopened = await update(issue.id, { status: 'unresolved' });
    expect(statusOf(reopened)).toEqual({ status: 'unresolved', substatus: 'ongoing' });
    const detail = await getIssue(issue.id);
    expect(detail.activity?.[0]).toMatchObject({
      type: 'set_unresolved',
      user: { id: String(ownerUserId) },
    });
  });

  it('assignment validates members and teams', async () => {
    const issue = await sendAndWait('assign');
    const assigned = await update(issue.id, { assignedTo: `user:${memberUserId}` });
    expect(assigned.assignedTo).toMatchObject({ type: 'user', id: String(memberUserId) });
    const seenByMember = await getIssue(issue.id, memberToken);
    expect(seenByMember.isSubscribed).toBe(true);
    expect(seenByMember.subscriptionDetails).toEqual({ reason: 'assigned' });

    const rivalUser = await db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', rival.email)
      .executeTakeFirstOrThrow();
    const rivalTeam = await db.kysely
      .selectFrom('teams')
      .select('id')
      .where('slug', '=', rival.teamSlug)
      .executeTakeFirstOrThrow();
    for (const assignedTo of [`user:${rivalUser.id}`, `team:${rivalTeam.id}`, rival.email]) {
      const response = await rawRequest('PUT', issuePath(issue.id), project.token, { assignedTo });
      expect(response.status).toBe(400);
    }

    const team = await db.kysely
      .selectFrom('teams')
      .select('id')
      .where('slug', '=', project.teamSlug)
      .executeTakeFirstOrThrow();
    const toTeam = await update(issue.id, { assignedTo: `team:${team.id}` });
    expect(toTeam.assignedTo).toMatchObject({ type: 'team', id: String(team.id) });
    const byEmail = await update(issue.id, { assignedTo: project.email });
    expect(byEmail.assignedTo).toMatchObject({ type: 'user', id: String(ownerUserId) });
    const cleared = await update(issue.id, { assignedTo: '' });
    expect(cleared.assignedTo).toBeNull();

    const detail = await getIssue(issue.id);
    const types = detail.activity?.map((entry) => entry.type);
    expect(types?.[0]).toBe('unassigned');
    expect(types?.filter((type) => type === 'assigned')).toHaveLength(3);
    expect(detail.participants?.map((user) => user.id)).toContain(String(memberUserId));
  });

  it('members route lists and searches members', async () => {
    const members = (await apiGet(picket, project.token, `${orgPath()}/members/`)) as {
      email: string;
      user: { id: string };
    }[];
    expect(members.map((member) => member.email).sort()).toEqual(
      [project.email, `member-${engine.name}@example.com`].sort(),
    );
    const found = (await apiGet(picket, project.token, `${orgPath()}/members/?query=MEMBER-`)) as {
      user: { id: string };
    }[];
    expect(found.map((member) => member.user.id)).toEqual([String(memberUserId)]);
    const hidden = await rawRequest('GET', `${orgPath()}/members/`, rival.token);
    expect(hidden.status).toBe(404);
  });

  it('bookmark, subscribe, seen and review are stored', async () => {
    const issue = await sendAndWait('per-user');
    expect(issue.substatus).toBe('new');
    expect(issue.isBookmarked).toBe(false);
    const changed = await update(issue.id, {
      isBookmarked: true,
      isSubscribed: true,
      hasSeen: true,
      inbox: false,
    });
    expect(changed.isBookmarked).toBe(true);
    expect(changed.isSubscribed).toBe(true);
    expect(changed.hasSeen).toBe(true);
    expect(changed.substatus).toBe('ongoing');
    expect(changed.seenBy?.map((user) => user.id)).toEqual([String(ownerUserId)]);

    const otherView = await getIssue(issue.id, memberToken);
    expect(otherView.isBookmarked).toBe(false);
    expect(otherView.hasSeen).toBe(false);

    const unsubscribed = await update(issue.id, { isSubscribed: false, isBookmarked: false });
    expect(unsubscribed.isSubscribed).toBe(false);
    expect(unsubscribed.subscriptionDetails).toEqual({ disabled: true });
    expect(unsubscribed.isBookmarked).toBe(false);
  });

  it('comments are limited to their author', async () => {
    const issue = await sendAndWait('comments');
    const commentsPath = `${issuePath(issue.id)}comments/`;
    const comment = (await apiRequest(picket, project.token, 'POST', commentsPath, {
      text: 'Looking into it',
    })) as { id: string; type: string; data: { text: string } };
    expect(comment.type).toBe('note');
    expect(comment.data.text).toBe('Looking into it');

    const empty = await rawRequest('POST', commentsPath, project.token, { text: '' });
    expect(empty.status).toBe(400);
    const long = await rawRequest('POST', commentsPath, project.token, {
      text: 'x'.repeat(10_001),
    });
    expect(long.status).toBe(400);

    const foreignEdit = await rawRequest('PUT', `${commentsPath}${comment.id}/`, memberToken, {
      text: 'changed',
    });
    expect(foreignEdit.status).toBe(403);
    const foreignDelete = await rawRequest('DELETE', `${commentsPath}${comment.id}/`, memberToken);
    expect(foreignDelete.status).toBe(403);

    const edited = (await apiRequest(
      picket,
      project.token,
      'PUT',
      `${commentsPath}${comment.id}/`,
      {
        text: 'Fixed in the next deploy',
      },
    )) as { data: { text: string } };
    expect(edited.data.text).toBe('Fixed in the next deploy');

    const detail = await getIssue(issue.id);
    expect(detail.numComments).toBe(1);
    expect(detail.subscriptionDetails).toEqual({ reason: 'comment' });
    const activities = (await apiGet(
      picket,
      project.token,
      `/api/0/issues/${issue.id}/activities/`,
    )) as {
      activity: { type: string; data: { text?: string } }[];
    };
    expect(activities.activity[0]).toMatchObject({
      type: 'note',
      data: { text: 'Fixed in the next deploy' },
    });

    const deleted = await rawRequest('DELETE', `${commentsPath}${comment.id}/`, project.token);
    expect(deleted.status).toBe(204);
    expect((await getIssue(issue.id)).numComments).toBe(0);
  });

  it('merge moves events and routes new ones to the parent', async () => {
    const big = await sendAndWait('merge-big');
    await sendAndWait('merge-big');
    const small = await sendAndWait('merge-small');

    const merged = (await apiRequest(
      picket,
      project.token,
      'PUT',
      `${orgPath()}/issues/?id=${small.id}&id=${big.id}`,
      { merge: true },
    )) as { merge: { parent: string; children: string[] } };
    expect(merged.merge).toEqual({ parent: big.id, children: [small.id] });

    const parent = await getIssue(big.id);
    expect(parent.count).toBe('3');
    expect(parent.activity?.[0]?.type).toBe('merge');
    const gone = await rawRequest('GET', issuePath(small.id), project.token);
    expect(gone.status).toBe(404);

    const next = await sendAndWait('merge-small');
    expect(next.id).toBe(big.id);
    expect(next.count).toBe('4');

    const tags = (await apiGet(picket, project.token, `${issuePath(big.id)}tags/`)) as {
      key: string;
      totalValues: number;
    }[];
    expect(tags.find((tag) => tag.key === 'region')?.totalValues).toBe(4);
  });

  it('unmerge moves hashes, events and counts', async () => {
    const first = await sendAndWait('unmerge-a');
    await sendAndWait('unmerge-a');
    const second = await sendAndWait('unmerge-b');
    await apiRequest(
      picket,
      project.token,
      'PUT',
      `${orgPath()}/issues/?id=${first.id}&id=${second.id}`,
      {
        merge: true,
      },
    );

    const hashes = (await apiGet(picket, project.token, `${issuePath(first.id)}hashes/`)) as {
      id: string;
      latestEvent: { title: string } | null;
    }[];
    expect(hashes).toHaveLength(2);
    const moved = hashes.find((hash) => hash.latestEvent?.title.startsWith('unmerge-b'));
    expect(moved).toBeDefined();

    const everything = await rawRequest(
      'DELETE',
      `${issuePath(first.id)}hashes/?${hashes.map((hash) => `id=${hash.id}`).join('&')}`,
      project.token,
    );
    expect(everything.status).toBe(400);

    const response = await rawRequest(
      'DELETE',
      `${issuePath(first.id)}hashes/?id=${moved?.id ?? ''}`,
      project.token,
    );
    expect(response.status).toBe(202);
    const { id: newId } = (await response.json()) as { id: string };

    const source = await getIssue(first.id);
    expect(source.count).toBe('2');
    expect(source.title).toContain('unmerge-a');
    expect(source.activity?.[0]?.type).toBe('unmerge_source');
    const destination = await getIssue(newId);
    expect(destination.count).toBe('1');
    expect(destination.title).toContain('unmerge-b');
    expect(destination.activity?.[0]?.type).toBe('unmerge_destination');

    const sumOf = (issue: Issue) =>
      (issue.stats?.['24h'] ?? []).reduce((sum, [, count]) => sum + count, 0);
    expect(sumOf(source)).toBe(2);
    expect(sumOf(destination)).toBe(1);
    const regionTotal = async (id: string) => {
      const tags = (await apiGet(picket, project.token, `${issuePath(id)}tags/`)) as {
        key: string;
        totalValues: number;
      }[];
      return tags.find((tag) => tag.key === 'region')?.totalValues;
    };
    expect(await regionTotal(first.id)).toBe(2);
    expect(await regionTotal(newId)).toBe(1);

    const next = await sendAndWait('unmerge-b');
    expect(next.id).toBe(newId);
  });

  it('merge rejects missing ids and other projects', async () => {
    const local = await sendAndWait('merge-local');
    const byQuery = await rawRequest('PUT', `${orgPath()}/issues/?query=merge`, project.token, {
      merge: true,
    });
    expect(byQuery.status).toBe(400);
    const single = await rawRequest('PUT', issuePath(local.id), project.token, { merge: true });
    expect(single.status).toBe(400);

    const itself = await rawRequest(
      'PUT',
      `${orgPath()}/issues/?id=${local.id}&id=${local.id}`,
      project.token,
      { merge: true },
    );
    expect(itself.status).toBe(400);

    const otherProject = await sendToSecondProject('merge-remote');
    const response = await rawRequest(
      'PUT',
      `${orgPath()}/issues/?id=${local.id}&id=${otherProject}`,
      project.token,
      { merge: true },
    );
    expect(response.status).toBe(400);
    expect((await getIssue(local.id)).count).toBe('1');
    expect((await getIssue(otherProject)).count).toBe('1');
  });

  it('delete removes the issue and its events', async () => {
    const issue = await sendAndWait('delete-me');
    const denied = await rawRequest('DELETE', issuePath(issue.id), readOnlyToken);
    expect(denied.status).toBe(403);
    const response = await rawRequest('DELETE', issuePath(issue.id), project.token);
    expect(response.status).toBe(202);
    const gone = await rawRequest('GET', issuePath(issue.id), project.token);
    expect(gone.status).toBe(404);
    const events = await db.kysely
      .selectFrom('events')
      .select('id')
      .where('issueId', '=', Number(issue.id))
      .execute();
    expect(events).toHaveLength(0);

    const again = await sendAndWait('delete-me');
    expect(again.id).not.toBe(issue.id);
  });

  it('bulk delete removes issues by id', async () => {
    const first = await sendAndWait('bulk-delete-a');
    const second = await sendAndWait('bulk-delete-b');
    const response = await rawRequest(
      'DELETE',
      `${orgPath()}/issues/?id=${first.id}&id=${second.id}`,
      project.token,
    );
    expect(response.status).toBe(204);
    for (const id of [first.id, second.id]) {
      expect((await rawRequest('GET', issuePath(id), project.token)).status).toBe(404);
    }
  });

  it('discard drops later events with an outcome', async () => {
    const issue = await sendAndWait('discard-me');
    const response = await rawRequest('PUT', issuePath(issue.id), project.token, { discard: true });
    expect(response.status).toBe(204);
    const tombstones = await db.kysely
      .selectFrom('issueTombstones')
      .select(['hash', 'title'])
      .where('projectId', '=', project.projectId)
      .execute();
    expect(tombstones.map((row) => row.title)).toContain(issue.title);

    // The worker reads tombstones again after at most one second.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await send('discard-me');
    await waitFor(async () => {
      const dropped = await countOutcomes(db, {
        projectId: project.projectId,
        outcome: 'filtered',
        reason: 'discarded-hash',
      });
      return dropped === 1 ? dropped : undefined;
    });
    const events = await db.kysely
      .selectFrom('events')
      .innerJoin('issueHashes', 'issueHashes.issueId', 'events.issueId')
      .select('events.id')
      .where(
        'issueHashes.hash',
        'in',
        tombstones.map((row) => row.hash),
      )
      .execute();
    expect(events).toHaveLength(0);
  });

  it('bulk status update spans projects', async () => {
    const otherIssue = await sendToSecondProject('bulk-other-project');
    const local = await sendAndWait('bulk-this-project');

    const result = (await apiRequest(
      picket,
      project.token,
      'PUT',
      `${orgPath()}/issues/?id=${otherIssue}&id=${local.id}`,
      { status: 'resolved' },
    )) as { status: string };
    expect(result.status).toBe('resolved');
    expect((await getIssue(otherIssue)).status).toBe('resolved');
    expect((await getIssue(local.id)).status).toBe('resolved');
  });

  it('bulk update by query', async () => {
    const first = await sendAndWait('query-target-one');
    const second = await sendAndWait('query-target-two');
    const bystander = await sendAndWait('query-bystander');
    const result = (await apiRequest(
      picket,
      project.token,
      'PUT',
      `${orgPath()}/issues/?query=${encodeURIComponent('query-target')}`,
      { status: 'ignored' },
    )) as { status: string };
    expect(result.status).toBe('ignored');
    expect((await getIssue(first.id)).status).toBe('ignored');
    expect((await getIssue(second.id)).status).toBe('ignored');
    expect((await getIssue(bystander.id)).status).toBe('unresolved');
  });

  it('bulk delete needs ids or query', async () => {
    const issue = await sendAndWait('bulk-delete-bare');
    const response = await rawRequest('DELETE', `${orgPath()}/issues/`, project.token);
    expect(response.status).toBe(400);
    expect((await getIssue(issue.id)).status).toBe('unresolved');
  });

  it('other organizations and weak tokens are refused', async () => {
    const issue = await sendAndWait('authorization');
    const foreign = await rawRequest('GET', issuePath(issue.id), rival.token);
    expect(foreign.status).toBe(404);
    const foreignShort = await rawRequest('GET', `/api/0/issues/${issue.id}/`, rival.token);
    expect(foreignShort.status).toBe(404);
    const foreignComment = await rawRequest(
      'POST',
      `/api/0/issues/${issue.id}/comments/`,
      rival.token,
      {
        text: 'hello',
      },
    );
    expect(foreignComment.status).toBe(404);

    const readOnly = await rawRequest('PUT', issuePath(issue.id), readOnlyToken, {
      status: 'resolved',
    });
    expect(readOnly.status).toBe(403);
    const readOnlyComment = await rawRequest(
      'POST',
      `${issuePath(issue.id)}comments/`,
      readOnlyToken,
      {
        text: 'hello',
      },
    );
    expect(readOnlyComment.status).toBe(403);
    const writeOnlyDiscard = await rawRequest('PUT', issuePath(issue.id), writeToken, {
      discard: true,
    });
    expect(writeOnlyDiscard.status).toBe(403);
    const writeOnlyDelete = await rawRequest('DELETE', issuePath(issue.id), writeToken);
    expect(writeOnlyDelete.status).toBe(403);
    expect((await getIssue(issue.id)).status).toBe('unresolved');
  });
});
