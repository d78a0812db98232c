/**
 * Attachments end to end on the built server: envelope `attachment` items and the multipart
 * upload endpoint, read back and downloaded through the web API, with access control and the
 * outcomes of bad items.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  buildEnvelope,
  ingestUrl,
  newEventId,
  postEnvelope,
  readOutcomes,
  type RawItem,
} from '../helpers/envelopes.js';
import {
  apiGet,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

interface ApiAttachment {
  id: string;
  event_id: string;
  type: string;
  name: string;
  mimetype: string;
  size: number;
  sha1: string;
  dateCreated: string;
  headers: Record<string, string>;
}

// Bytes that break text handling: NUL, CR LF, a lone newline and invalid UTF-8.
const BINARY = Buffer.concat([Buffer.from([0, 13, 10, 10, 0xff, 0xfe]), randomBytes(4096)]);

let picket: PicketInstance;
let project: TestProject;
let stranger: TestProject;

function attachmentsPath(target: TestProject, eventId: string): string {
  return `/api/0/projects/${target.orgSlug}/${target.projectSlug}/events/${eventId}/attachments/`;
}

function listAttachments(eventId: string): Promise<ApiAttachment[]> {
  return waitFor(async () => {
    const listed = (await apiGet(
      picket,
      project.token,
      attachmentsPath(project, eventId),
    )) as ApiAttachment[];
    return listed.length > 0 ? listed : undefined;
  });
}

function errorEvent(eventId: string, message: string): RawItem {
  return {
    headers: { type: 'event' },
    payload: { event_id: eventId, message, level: 'error', platform: 'node' },
  };
}

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'files');
  stranger = await setupProject(picket, 'other');
});

afterAll(async () => {
  await picket?.stop();
});

describe('envelope attachments', () => {
  const eventId = newEventId();
  let listed: ApiAttachment[];

  beforeAll(async () => {
    const response = await postEnvelope(
      project,
      buildEnvelope({ event_id: eventId }, [
        errorEvent(eventId, 'attachment carrier'),
        {
          headers: { type: 'attachment', filename: 'dump.bin', content_type: 'text/html' },
          payload: BINARY,
        },
        {
          headers: {
            type: 'attachment',
            filename: 'hierarchy.json',
            content_type: 'application/json',
            attachment_type: 'event.view_hierarchy',
          },
          payload: '{"windows":[]}',
        },
        {
          headers: { type: 'attachment', filename: 'empty.txt', attachment_type: 'made.up' },
          payload: Buffer.alloc(0),
        },
      ]),
    );
    expect(response.status).toBe(200);
    listed = await waitFor(async () => {
      const rows = await listAttachments(eventId);
      return rows.length === 3 ? rows : undefined;
    });
  });

  it('lists attachments in the Sentry shape', () => {
    const dump = listed.find((attachment) => attachment.name === 'dump.bin');
    expect(dump).toMatchObject({
      event_id: eventId,
      type: 'event.attachment',
      mimetype: 'text/html',
      size: BINARY.length,
      sha1: createHash('sha1').update(BINARY).digest('hex'),
      headers: { 'Content-Type': 'text/html' },
    });
    expect(dump!.id).toMatch(/^\d+$/);
    expect(Date.parse(dump!.dateCreated)).not.toBeNaN();
  });

  it('keeps known attachment types and maps unknown ones', () => {
    const types = Object.fromEntries(
      listed.map((attachment) => [attachment.name, attachment.type]),
    );
    expect(types['hierarchy.json']).toBe('event.view_hierarchy');
    expect(types['empty.txt']).toBe('event.attachment');
  });

  it('downloads the bytes unchanged with safe headers', async () => {
    const dump = listed.find((attachment) => attachment.name === 'dump.bin')!;
    const response = await fetch(
      `${picket.url}${attachmentsPath(project, eventId)}${dump.id}/?download=1`,
      { headers: { authorization: `Bearer ${project.token}` } },
    );
    const body = Buffer.from(await response.arrayBuffer());

    expect(response.status).toBe(200);
    expect(body.equals(BINARY)).toBe(true);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="dump.bin"; filename*=UTF-8''dump.bin`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('downloads an empty attachment', async () => {
    const empty = listed.find((attachment) => attachment.name === 'empty.txt')!;
    const response = await fetch(
      `${picket.url}${attachmentsPath(project, eventId)}${empty.id}/?download=1`,
      { headers: { authorization: `Bearer ${project.token}` } },
    );
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it('returns one attachment as JSON without download', async () => {
    const dump = listed.find((attachment) => attachment.name === 'dump.bin')!;
    const detail = (await apiGet(
      picket,
      project.token,
      `${attachmentsPath(project, eventId)}${dump.id}/`,
    )) as ApiAttachment;
    expect(detail).toEqual(dump);
  });

  it('writes the bytes under the blob folder', () => {
    const folder = path.join(picket.dataDir, 'blobs', 'attachments');
    const files = fs.readdirSync(folder, { recursive: true, withFileTypes: true });
    expect(files.filter((entry) => entry.isFile()).length).toBeGreaterThanOrEqual(3);
    expect(fs.readdirSync(path.join(picket.dataDir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('hides the download from a member of another organization', async () => {
    const dump = listed.find((attachment) => attachment.name === 'dump.bin')!;
    const response = await fetch(
      `${picket.url}${attachmentsPath(project, eventId)}${dump.id}/?download=1`,
      { headers: { authorization: `Bearer ${stranger.token}` } },
    );
    expect(response.status).toBe(404);
  });

  it('hides the list from a member of another organization', async () => {
    const response = await fetch(`${picket.url}${attachmentsPath(project, eventId)}`, {
      headers: { authorization: `Bearer ${stranger.token}` },
    });
    expect(response.status).toBe(404);
  });

  it('rejects an anonymous download', async () => {
    const dump = listed.find((attachment) => attachment.name === 'dump.bin')!;
    const response = await fetch(
      `${picket.url}${attachmentsPath(project, eventId)}${dump.id}/?download=1`,
    );
    expect(response.status).toBe(401);
  });

  it('answers 404 for an unknown attachment id', async () => {
    const response = await fetch(`${picket.url}${attachmentsPath(project, eventId)}999999/`, {
      headers: { authorization: `Bearer ${project.token}` },
    });
    expect(response.status).toBe(404);
  });
});

describe('multipart attachment upload', () => {
  const eventId = newEventId();

  it('stores every file of the form', async () => {
    const form = new FormData();
    form.append('note', 'text fields are ignored');
    form.append('log', new Blob([BINARY], { type: 'application/octet-stream' }), 'app.log');
    form.append('shot', new Blob(['png-bytes'], { type: 'image/png' }), 'screen.png');

    const response = await fetch(ingestUrl(project, `events/${eventId}/attachments/`), {
      method: 'POST',
      body: form,
    });
    expect(response.status).toBe(201);

    const listed = await waitFor(async () => {
      const rows = await listAttachments(eventId);
      return rows.length === 2 ? rows : undefined;
    });
    expect(listed.map((attachment) => attachment.name).sort()).toEqual(['app.log', 'screen.png']);
    expect(listed.find((attachment) => attachment.name === 'app.log')?.size).toBe(BINARY.length);
  });

  it('rejects a body that is not multipart', async () => {
    const response = await fetch(ingestUrl(project, `events/${eventId}/attachments/`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(400);
  });

  it('rejects an upload without a key', async () => {
    const form = new FormData();
    form.append('log', new Blob(['x']), 'a.log');
    const response = await fetch(
      `${picket.url}/api/${project.projectId}/events/${eventId}/attachments/`,
      { method: 'POST', body: form },
    );
    expect(response.status).toBe(401);
  });
});

describe('invalid attachment items', () => {
  const keptEventId = newEventId();
  const manyEventId = newEventId();

  beforeAll(async () => {
    // No envelope event id: the event is kept with the id from its payload, and its
    // attachment is attached to that id.
    const withoutId = await postEnvelope(
      project,
      buildEnvelope({}, [
        errorEvent(keptEventId, 'kept with its attachment'),
        { headers: { type: 'attachment', filename: 'beside.txt' }, payload: 'beside' },
      ]),
    );
    expect(withoutId.status).toBe(200);

    // No event id anywhere: the attachment has nothing to attach to.
    const orphan = await postEnvelope(
      project,
      buildEnvelope({}, [
        { headers: { type: 'attachment', filename: 'orphan.txt' }, payload: 'orphan' },
      ]),
    );
    expect(orphan.status).toBe(400);

    const withoutName = await postEnvelope(
      project,
      buildEnvelope({ event_id: manyEventId }, [
        errorEvent(manyEventId, 'kept beside 31 attachments'),
        { headers: { type: 'attachment' }, payload: 'nameless' },
        {
          headers: { type: 'attachment', filename: 'crash.dmp', attachment_type: 'event.minidump' },
          payload: 'not a minidump',
        },
        ...Array.from({ length: 31 }, (_, index) => ({
          headers: { type: 'attachment', filename: `file-${index}.txt` },
          payload: `content ${index}`,
        })),
      ]),
    );
    expect(withoutName.status).toBe(200);
  });

  it('keeps the event beside an attachment without event id', async () => {
    const path = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${keptEventId}/`;
    await expect(waitFor(() => apiGet(picket, project.token, path))).resolves.toBeDefined();
  });

  it('attaches to the event item id when the envelope has none', async () => {
    const listed = await waitFor(async () => {
      const rows = await listAttachments(keptEventId);
      return rows.length > 0 ? rows : undefined;
    });
    expect(listed.map((attachment) => attachment.name)).toEqual(['beside.txt']);
  });

  it('stores the first 30 attachments of an envelope', async () => {
    const listed = await waitFor(async () => {
      const rows = await listAttachments(manyEventId);
      return rows.length >= 30 ? rows : undefined;
    });
    expect(listed).toHaveLength(30);
    expect(listed.map((attachment) => attachment.name)).not.toContain('file-30.txt');
  });

  it('counts each bad attachment with its reason', async () => {
    const invalid = (category: string) =>
      readOutcomes(picket, project.projectId).filter(
        (row) => row.outcome === 'invalid' && row.category === category,
      );
    const files = await waitFor(async () => {
      const rows = invalid('attachment_item');
      return rows.length >= 4 ? rows : undefined;
    });
    const bytes = invalid('attachment');

    expect(Object.fromEntries(files.map((row) => [row.reason, row.quantity]))).toEqual({
      invalid_minidump: 1,
      missing_event_id: 1,
      missing_filename: 1,
      too_many_attachments: 1,
    });
    expect(Object.fromEntries(bytes.map((row) => [row.reason, row.quantity]))).toEqual({
      invalid_minidump: 'not a minidump'.length,
      missing_event_id: 'orphan'.length,
      missing_filename: 'nameless'.length,
      too_many_attachments: 'content 30'.length,
    });
  });
});
