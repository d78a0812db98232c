/**
 * Legacy release files over HTTP, on SQLite and PostgreSQL: multipart uploads streamed to the
 * blob store, Sentry's list with cursors and filters, downloads, renames, deletes, hostile names,
 * the size limit and the scopes of each route.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { connectDb, type Db } from '../../src/server/platform/db/index.js';
import type { ReleaseFile } from '../../src/shared/api/sourcemaps.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  apiRequest,
  runCli,
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const VERSION = 'web@1.0.0';
const MINIFIED = 'function a(b){throw new Error(b)}a("x");\n//# sourceMappingURL=app.min.js.map\n';
const MAP = '{"version":3,"sources":["app.js"],"names":[],"mappings":"AAAA"}';
const MAX_RELEASE_FILE_BYTES = 40 * 1024 * 1024;

interface UploadOptions {
  content: string | Uint8Array<ArrayBuffer>;
  name?: string;
  dist?: string;
  headers?: string[];
  token?: string;
  fileField?: string;
}

const sha1 = (content: string | Uint8Array) => createHash('sha1').update(content).digest('hex');

describe.each(SERVER_ENGINES)('release files on $name', (engine) => {
  let picket: PicketInstance;
  let project: TestProject;
  let stranger: TestProject;
  let db: Db;

  const orgFiles = (version = VERSION) =>
    `/api/0/organizations/${project.orgSlug}/releases/${encodeURIComponent(version)}/files/`;
  const projectFiles = (version = VERSION) =>
    `/api/0/projects/${project.orgSlug}/${project.projectSlug}/releases/${encodeURIComponent(version)}/files/`;

  async function call(method: string, pathname: string, body?: unknown, token = project.token) {
    const response = await fetch(`${picket.url}${pathname}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  }

  async function upload(pathname: string, options: UploadOptions) {
    // sentry-cli sends the file first, then name, dist and headers.
    const form = new FormData();
    form.append(
      options.fileField ?? 'file',
      new Blob([options.content], { type: 'application/octet-stream' }),
      'upload.bin',
    );
    if (options.name !== undefined) {
      form.append('name', options.name);
    }
    if (options.dist !== undefined) {
      form.append('dist', options.dist);
    }
    for (const header of options.headers ?? []) {
      form.append('header', header);
    }
    const response = await fetch(`${picket.url}${pathname}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token ?? project.token}` },
      body: form,
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  }

  async function createRelease(version: string, owner = project) {
    await apiRequest(
      picket,
      owner.token,
      'POST',
      `/api/0/organizations/${owner.orgSlug}/releases/`,
      {
        version,
        projects: [owner.projectSlug],
      },
    );
  }

  async function tokenWith(scopes: string) {
    const run = await runCli(['token', 'create', '--user', project.email, '--scopes', scopes], {
      env: picket.env,
    });
    expect(run.code).toBe(0);
    return run.stdout.trim();
  }

  function countReleaseBlobs(): number {
    const root = path.join(picket.dataDir, 'blobs', 'release-files');
    if (!fs.existsSync(root)) {
      return 0;
    }
    return fs
      .readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile()).length;
  }

  async function storedRow(fileId: string) {
    return db.kysely
      .selectFrom('artifactFiles')
      .selectAll()
      .where('id', '=', Number(fileId))
      .executeTakeFirst();
  }

  beforeAll(async () => {
    const databaseUrl = await engine.databaseUrl();
    picket = await startPicket({ databaseUrl });
    project = await setupProject(picket, 'files');
    stranger = await setupProject(picket, 'strangers');
    db = connectDb({ databaseUrl, dataDir: picket.dataDir });
    await createRelease(VERSION);
    await createRelease('theirs@1', stranger);
  }, 60_000);

  afterAll(async () => {
    await db.close();
    await picket.stop();
  });

  it('upload returns the stored file', async () => {
    const response = await upload(projectFiles(), {
      content: MINIFIED,
      name: '~/static/app.min.js',
      headers: ['Sourcemap: app.min.js.map', 'X-Extra:a:b'],
    });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^\d+$/) as unknown,
      name: '~/static/app.min.js',
      dist: null,
      headers: {
        'Content-Type': 'application/octet-stream',
        Sourcemap: 'app.min.js.map',
        'X-Extra': 'a:b',
      },
      size: Buffer.byteLength(MINIFIED),
      sha1: sha1(MINIFIED),
      dateCreated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) as unknown,
    });
  });

  it('upload on the organization path keeps the dist', async () => {
    const response = await upload(orgFiles(), {
      content: MAP,
      name: '~/static/app.min.js.map',
      dist: 'web',
    });
    const listed = await call('GET', orgFiles());

    expect(response.status).toBe(201);
    expect((response.body as ReleaseFile).dist).toBe('web');
    expect(listed.status).toBe(200);
    expect(listed.headers.get('content-type')).toContain('application/json');
    expect((listed.body as ReleaseFile[]).map((file) => [file.name, file.dist])).toEqual([
      ['~/static/app.min.js', null],
      ['~/static/app.min.js.map', 'web'],
    ]);
  });

  it('upload of an existing name and dist returns 409', async () => {
    const blobsBefore = countReleaseBlobs();

    const again = await upload(projectFiles(), { content: 'other', name: '~/static/app.min.js' });
    const otherDist = await upload(projectFiles(), {
      content: 'other',
      name: '~/static/app.min.js',
      dist: 'mobile',
    });

    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      detail: expect.stringContaining('already exists') as unknown,
    });
    expect(otherDist.status).toBe(201);
    expect(countReleaseBlobs()).toBe(blobsBefore + 1);
  });

  it('file type follows the name, headers and content', async () => {
    const cases: [string, string, string[], string][] = [
      ['~/types/a.js.map', MAP, [], 'source_map'],
      ['~/types/b.js.map?v=2', MAP, [], 'source_map'],
      ['~/types/c.js', 'var c=1;', ['sourcemap:c.js.map'], 'minified_source'],
      ['~/types/d.js', MINIFIED, [], 'minified_source'],
      ['~/types/e.css', 'a{}\n/*# sourceMappingURL=e.css.map */', [], 'minified_source'],
      ['~/types/f.js', 'var f = 1;\n', [], 'release_file'],
    ];

    for (const [name, content, headers, fileType] of cases) {
      const response = await upload(projectFiles(), { content, name, headers });
      expect(response.status, name).toBe(201);
      const row = await storedRow((response.body as ReleaseFile).id);
      expect(row?.fileType, name).toBe(fileType);
      expect(row?.url, name).toBe(name);
    }
  });

  it('upload stores the debug ID of a header or comment', async () => {
    const fromHeader = await upload(projectFiles(), {
      content: MAP,
      name: '~/ids/a.js.map',
      headers: ['debug-id:5E2F0A6B-11C4-4B6E-9C1D-0E8A6F3C2B19'],
    });
    const fromComment = await upload(projectFiles(), {
      content:
        'x();\n//# debugId=0e8a6f3c-2b19-4b6e-9c1d-5e2f0a6b11c4\n//# sourceMappingURL=b.js.map',
      name: '~/ids/b.js',
    });

    expect((await storedRow((fromHeader.body as ReleaseFile).id))?.debugId).toBe(
      '5e2f0a6b-11c4-4b6e-9c1d-0e8a6f3c2b19',
    );
    expect((await storedRow((fromComment.body as ReleaseFile).id))?.debugId).toBe(
      '0e8a6f3c-2b19-4b6e-9c1d-5e2f0a6b11c4',
    );
  });

  it('list pages with cursors', async () => {
    const version = 'paged@1';
    await createRelease(version);
    for (const letter of ['e', 'd', 'c', 'b', 'a']) {
      expect(
        (await upload(orgFiles(version), { content: letter, name: `~/${letter}.js` })).status,
      ).toBe(201);
    }

    const names: string[] = [];
    let next: string | undefined = `${orgFiles(version)}?per_page=2`;
    const pages: string[] = [];
    while (next !== undefined) {
      const page = await call('GET', next);
      expect(page.status).toBe(200);
      names.push(...(page.body as ReleaseFile[]).map((file) => file.name));
      const link = page.headers.get('link') ?? '';
      pages.push(link);
      const match = /<([^>]+)>; rel="next"; results="true"/.exec(link);
      next =
        match?.[1] === undefined
          ? undefined
          : new URL(match[1]).pathname + new URL(match[1]).search;
    }

    expect(names).toEqual(['~/a.js', '~/b.js', '~/c.js', '~/d.js', '~/e.js']);
    expect(pages).toHaveLength(3);
    expect(pages[0]).toContain('rel="previous"; results="false"');
    expect(pages[2]).toContain('rel="next"; results="false"');
  });

  it('list filters by checksum and name', async () => {
    const version = 'filtered@1';
    await createRelease(version);
    for (const [name, content] of [
      ['~/static/Main.min.js', 'main'],
      ['~/static/vendor.min.js', 'vendor'],
      ['~/static/main.css', 'css'],
    ] as const) {
      expect((await upload(orgFiles(version), { content, name })).status).toBe(201);
    }
    const names = async (query: string) =>
      ((await call('GET', `${orgFiles(version)}?${query}`)).body as ReleaseFile[]).map(
        (file) => file.name,
      );

    expect(await names(`checksum=${sha1('vendor')}`)).toEqual(['~/static/vendor.min.js']);
    expect(await names(`checksum=${sha1('vendor')}&checksum=${sha1('css').toUpperCase()}`)).toEqual(
      ['~/static/main.css', '~/static/vendor.min.js'],
    );
    expect(await names('checksum=nothex')).toEqual([]);
    expect(await names('query=MAIN')).toEqual(['~/static/Main.min.js', '~/static/main.css']);
    expect(await names('query=main.css&query=vendor')).toEqual([
      '~/static/main.css',
      '~/static/vendor.min.js',
    ]);
    expect(await names('query=%25')).toEqual([]);
  });

  it('download streams the content', async () => {
    const created = await upload(projectFiles(), {
      content: MINIFIED,
      name: '~/dl/app "x".min.js',
    });
    const id = (created.body as ReleaseFile).id;

    const metadata = await call('GET', `${projectFiles()}${id}/`);
    const download = await fetch(`${picket.url}${orgFiles()}${id}/?download=1`, {
      headers: { authorization: `Bearer ${project.token}` },
    });

    expect(metadata.body).toMatchObject({ id, name: '~/dl/app "x".min.js' });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="app__x_.min.js"; filename*=UTF-8''app%20%22x%22.min.js`,
    );
    expect(await download.text()).toBe(MINIFIED);
  });

  it('hostile names are stored as plain text', async () => {
    const dataParent = path.dirname(picket.dataDir);
    const long = `~/${'a/'.repeat(996)}x.js`;
    const names = ['../../../../etc/picket-owned', '~/a/../../../b.js', '/etc/passwd', long];

    for (const name of names) {
      const created = await upload(projectFiles(), { content: 'owned', name });
      expect(created.status, name.slice(0, 40)).toBe(201);
      const id = (created.body as ReleaseFile).id;
      expect((await call('GET', `${projectFiles()}${id}/`)).body).toMatchObject({ name });
      const download = await fetch(`${picket.url}${projectFiles()}${id}/?download=1`, {
        headers: { authorization: `Bearer ${project.token}` },
      });
      expect(download.headers.get('content-disposition')).toMatch(
        /^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''[A-Za-z0-9._~%-]+$/,
      );
      expect(await download.text()).toBe('owned');
    }
    expect(fs.existsSync(path.join(dataParent, 'etc', 'picket-owned'))).toBe(false);
    expect(fs.existsSync('/etc/picket-owned')).toBe(false);
  });

  it('invalid names are rejected with 400', async () => {
    const blobsBefore = countReleaseBlobs();
    const cases = [
      'nul\u0000name.js',
      '~/line\nbreak.js',
      '~/tab\there.js',
      '~/dir/back\\slash.js',
      `~/${'x'.repeat(2000)}`,
      'file',
    ];

    for (const name of cases) {
      const response = await upload(projectFiles(), { content: 'x', name });
      expect(response.status, JSON.stringify(name.slice(0, 20))).toBe(400);
    }
    const badDist = await upload(projectFiles(), { content: 'x', name: '~/d.js', dist: 'a b' });
    const badHeader = await upload(projectFiles(), {
      content: 'x',
      name: '~/h.js',
      headers: ['no colon'],
    });
    expect(badDist.status).toBe(400);
    expect(badHeader.status).toBe(400);
    expect(countReleaseBlobs()).toBe(blobsBefore);
  });

  it('malformed uploads are rejected with 400', async () => {
    const noFile = await fetch(`${picket.url}${projectFiles()}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${project.token}` },
      body: (() => {
        const form = new FormData();
        form.append('name', '~/x.js');
        return form;
      })(),
    });
    const wrongField = await upload(projectFiles(), {
      content: 'x',
      name: '~/w.js',
      fileField: 'upload',
    });
    const json = await call('POST', projectFiles(), { name: '~/j.js' });
    const broken = await fetch(`${picket.url}${projectFiles()}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${project.token}`,
        'content-type': 'multipart/form-data; boundary=xyz',
      },
      body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nunterminated',
    });

    expect(noFile.status).toBe(400);
    expect(((await noFile.json()) as { detail: string }).detail).toContain('Missing uploaded file');
    expect(wrongField.status).toBe(400);
    expect(json.status).toBe(400);
    expect(broken.status).toBe(400);
  });

  it('upload over 40 MiB is refused with 413', async () => {
    const blobsBefore = countReleaseBlobs();

    const response = await upload(projectFiles(), {
      content: new Uint8Array(MAX_RELEASE_FILE_BYTES + 1),
      name: '~/huge.js',
    });
    const health = await fetch(`${picket.url}/_health`);

    expect(response.status).toBe(413);
    expect(health.status).toBe(200);
    expect(countReleaseBlobs()).toBe(blobsBefore);
    expect(fs.readdirSync(path.join(picket.dataDir, 'blobs', 'tmp'))).toEqual([]);
  }, 60_000);

  it('put renames a file and changes its dist', async () => {
    const created = await upload(projectFiles(), { content: 'r', name: '~/rename/old.js' });
    await upload(projectFiles(), { content: 't', name: '~/rename/taken.js', dist: 'v2' });
    const id = (created.body as ReleaseFile).id;

    const renamed = await call('PUT', `${projectFiles()}${id}/`, {
      name: '~/rename/new.js',
      dist: 'v1',
    });
    const conflict = await call('PUT', `${orgFiles()}${id}/`, {
      name: '~/rename/taken.js',
      dist: 'v2',
    });
    const cleared = await call('PUT', `${orgFiles()}${id}/`, {
      name: '~/rename/new.js',
      dist: null,
    });
    const invalid = await call('PUT', `${orgFiles()}${id}/`, { name: '' });
    const nul = await call('PUT', `${orgFiles()}${id}/`, { name: 'a\u0000b' });

    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id, name: '~/rename/new.js', dist: 'v1' });
    expect((await storedRow(id))?.url).toBe('~/rename/new.js');
    expect(conflict.status).toBe(409);
    expect(cleared.body).toMatchObject({ name: '~/rename/new.js', dist: null });
    expect(invalid.status).toBe(400);
    expect(nul.status).toBe(400);
  });

  it('delete removes the row and the blob', async () => {
    const created = await upload(projectFiles(), { content: 'gone', name: '~/delete/me.js' });
    const id = (created.body as ReleaseFile).id;
    const row = await storedRow(id);
    const blobFile = path.join(picket.dataDir, 'blobs', row?.blobKey ?? 'missing');
    expect(fs.existsSync(blobFile)).toBe(true);

    const deleted = await call('DELETE', `${projectFiles()}${id}/`);

    expect(deleted.status).toBe(204);
    expect(await storedRow(id)).toBeUndefined();
    expect(fs.existsSync(blobFile)).toBe(false);
    expect((await call('GET', `${projectFiles()}${id}/`)).status).toBe(404);
    expect((await call('DELETE', `${orgFiles()}${id}/`)).status).toBe(404);
    expect((await call('GET', `${orgFiles()}not-a-number/`)).status).toBe(404);
  });

  it('deleting a release removes its files and their blobs', async () => {
    const version = 'short-lived@1';
    await createRelease(version);
    const created = await upload(projectFiles(version), {
      content: 'release content',
      name: '~/release/gone.js',
    });
    expect(created.status).toBe(201);
    const id = (created.body as ReleaseFile).id;
    const row = await storedRow(id);
    const blobFile = path.join(picket.dataDir, 'blobs', row?.blobKey ?? 'missing');
    expect(fs.existsSync(blobFile)).toBe(true);

    const deleted = await call(
      'DELETE',
      `/api/0/organizations/${project.orgSlug}/releases/${encodeURIComponent(version)}/`,
    );

    expect(deleted.status).toBe(204);
    expect(await storedRow(id)).toBeUndefined();
    expect(fs.existsSync(blobFile)).toBe(false);
  });

  it('scopes guard each route', async () => {
    const created = await upload(projectFiles(), { content: 's', name: '~/scopes/a.js' });
    const id = (created.body as ReleaseFile).id;
    const orgOnly = await tokenWith('org:read');
    const readOnly = await tokenWith('project:read');
    const releasesOnly = await tokenWith('project:releases');

    expect((await call('GET', orgFiles(), undefined, orgOnly)).status).toBe(403);
    expect((await call('GET', projectFiles(), undefined, readOnly)).status).toBe(200);
    expect(
      (await upload(projectFiles(), { content: 'x', name: '~/ro.js', token: readOnly })).status,
    ).toBe(403);
    expect((await call('PUT', `${orgFiles()}${id}/`, { name: '~/x.js' }, readOnly)).status).toBe(
      403,
    );
    expect((await call('DELETE', `${orgFiles()}${id}/`, undefined, readOnly)).status).toBe(403);
    expect((await call('GET', `${orgFiles()}${id}/?download=1`, undefined, readOnly)).status).toBe(
      403,
    );
    expect(
      (await call('GET', `${orgFiles()}${id}/?download=1`, undefined, releasesOnly)).status,
    ).toBe(403);
    expect(
      (await upload(orgFiles(), { content: 'x', name: '~/cli.js', token: releasesOnly })).status,
    ).toBe(201);
    expect((await call('DELETE', `${orgFiles()}${id}/`, undefined, releasesOnly)).status).toBe(204);
  });

  it('outsiders and other releases get 404', async () => {
    const created = await upload(projectFiles(), { content: 'o', name: '~/outsider/a.js' });
    const id = (created.body as ReleaseFile).id;
    const theirs = `/api/0/organizations/${stranger.orgSlug}/releases/theirs%401/files/`;

    expect((await call('GET', orgFiles(), undefined, stranger.token)).status).toBe(404);
    expect((await call('GET', projectFiles(), undefined, stranger.token)).status).toBe(404);
    expect((await call('GET', `${orgFiles()}${id}/`, undefined, stranger.token)).status).toBe(404);
    expect(
      (await upload(orgFiles(), { content: 'x', name: '~/s.js', token: stranger.token })).status,
    ).toBe(404);
    expect((await call('DELETE', `${orgFiles()}${id}/`, undefined, stranger.token)).status).toBe(
      404,
    );
    expect((await call('GET', theirs)).status).toBe(404);
    expect((await call('GET', orgFiles('theirs@1'))).status).toBe(404);
    expect((await call('GET', orgFiles('missing@0'))).status).toBe(404);
    expect(
      (await call('GET', `${theirs.replace(stranger.orgSlug, project.orgSlug)}${id}/`)).status,
    ).toBe(404);
  });

  it('project path needs a release of that project', async () => {
    const second = (await apiRequest(
      picket,
      project.token,
      'POST',
      `/api/0/teams/${project.orgSlug}/${project.teamSlug}/projects/`,
      { name: 'Second', slug: `second-${engine.name}` },
    )) as { slug: string };
    const otherProjectFiles = `/api/0/projects/${project.orgSlug}/${second.slug}/releases/${encodeURIComponent(VERSION)}/files/`;

    expect((await call('GET', otherProjectFiles)).status).toBe(404);
    expect((await upload(otherProjectFiles, { content: 'x', name: '~/p.js' })).status).toBe(404);
  });
});
