import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  buildSourceBundle,
  buildZip,
  sourceBundleHeader,
  type ZipEntrySpec,
} from '../../../../test/helpers/zip-writer.js';
import {
  DEFAULT_BUNDLE_LIMITS,
  openSourceBundle,
  type BundleLimits,
  type SourceBundle,
} from './bundle-reader.js';
import { MAX_ARTIFACT_BYTES } from './symbolicate-cache.js';

const CAPTURE = path.resolve(
  import.meta.dirname,
  '../../../../test/fixtures/sdk-captures/sentry-cli/004-POST-org-chunk-upload.json',
);
const DEBUG_ID = '5289b38f-53df-57ca-af93-e8169aae4bb6';
const SMALL_LIMITS: BundleLimits = {
  maxEntries: 10,
  maxEntryBytes: 64 * 1024,
  maxTotalBytes: 128 * 1024,
  maxRatio: 20,
  ratioFloorBytes: 4 * 1024,
  maxManifestBytes: 16 * 1024,
};

let folder: string;
let counter = 0;

beforeAll(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-bundle-'));
});

afterAll(() => {
  fs.rmSync(folder, { recursive: true, force: true });
});

function writeBundle(bytes: Buffer): string {
  counter += 1;
  const file = path.join(folder, `bundle-${counter}.zip`);
  fs.writeFileSync(file, bytes);
  return file;
}

/** Reads the sentry-cli 3.8.0 chunk of the recorded upload: one whole source bundle. */
function readCapturedBundle(): Buffer {
  const capture = JSON.parse(fs.readFileSync(CAPTURE, 'utf8')) as { body_base64: string };
  const body = Buffer.from(capture.body_base64, 'base64');
  const start = body.indexOf('SYSB');
  const end = body.indexOf('\r\n--', start);
  return body.subarray(start, end);
}

async function readText(bundle: SourceBundle, filePath: string): Promise<string> {
  const file = bundle.files.find((candidate) => candidate.path === filePath);
  if (file === undefined) {
    throw new Error(`no file ${filePath}`);
  }
  const pieces: Buffer[] = [];
  for await (const piece of await bundle.openFile(file)) {
    pieces.push(piece as Buffer);
  }
  return Buffer.concat(pieces).toString('utf8');
}

/** Opens a bundle, reads every listed file, and returns the first error's message. */
async function rejection(bytes: Buffer, limits = SMALL_LIMITS): Promise<string> {
  let bundle: SourceBundle | undefined;
  try {
    bundle = await openSourceBundle(writeBundle(bytes), limits);
    for (const file of bundle.files) {
      await readText(bundle, file.path);
    }
  } catch (error) {
    return (error as Error).message;
  } finally {
    bundle?.close();
  }
  return 'no error';
}

const APP = { path: 'files/_/_/app.min.js', content: 'console.log(1);' };

function bundleWith(extra: ZipEntrySpec[], manifest: Record<string, unknown> = {}): Buffer {
  return buildSourceBundle([APP], manifest, extra);
}

describe('openSourceBundle', () => {
  it('reads the bundle sentry-cli 3.8.0 uploaded', async () => {
    const bundle = await openSourceBundle(writeBundle(readCapturedBundle()));
    try {
      expect(bundle.manifest).toEqual({
        bundleId: '4f7977d5-f5d2-5121-9003-b254e5a3e9af',
        org: 'o',
        project: 'p',
        release: '1.0',
        dist: null,
      });
      expect(bundle.files.map(({ declaredSize: _size, ...file }) => file)).toEqual([
        {
          path: 'files/_/_/app.min.js',
          url: '~/app.min.js',
          type: 'minified_source',
          headers: { 'debug-id': DEBUG_ID, sourcemap: 'app.min.js.map' },
          debugId: DEBUG_ID,
        },
        {
          path: 'files/_/_/app.min.js.map',
          url: '~/app.min.js.map',
          type: 'source_map',
          headers: { 'debug-id': DEBUG_ID },
          debugId: DEBUG_ID,
        },
      ]);
      const map = JSON.parse(await readText(bundle, 'files/_/_/app.min.js.map')) as {
        debugId: string;
      };
      expect(map.debugId).toBe(DEBUG_ID);
      expect(await readText(bundle, 'files/_/_/app.min.js')).toContain(`//# debugId=${DEBUG_ID}`);
    } finally {
      bundle.close();
    }
  });

  it('reads offsets that count from the end of the header', async () => {
    const bytes = buildSourceBundle([APP], {}, [], { offsetsFromFileStart: false });
    const bundle = await openSourceBundle(writeBundle(bytes), SMALL_LIMITS);
    try {
      expect(await readText(bundle, APP.path)).toBe(APP.content);
    } finally {
      bundle.close();
    }
  });

  it('lower-cases header names and debug IDs', async () => {
    const bytes = buildSourceBundle([
      { ...APP, headers: { 'Debug-Id': 'ADDCC2E4C4B959CDA7B62E3248FB170F', Sourcemap: 'a.map' } },
    ]);
    const bundle = await openSourceBundle(writeBundle(bytes), SMALL_LIMITS);
    bundle.close();
    expect(bundle.files[0]?.debugId).toBe('addcc2e4-c4b9-59cd-a7b6-2e3248fb170f');
    expect(bundle.files[0]?.headers.sourcemap).toBe('a.map');
  });

  it('rejects a file without the SYSB header', async () => {
    const zip = buildZip([{ name: 'manifest.json', data: '{"files":{}}' }]);
    expect(await rejection(zip)).toMatch(/does not start with the SYSB header/);
  });

  it('rejects an unknown bundle version', async () => {
    const bytes = buildZip([{ name: 'manifest.json', data: '{"files":{}}' }], {
      prefix: sourceBundleHeader(9),
    });
    expect(await rejection(bytes)).toMatch(/version 9 is not supported/);
  });

  it('rejects bytes that are no ZIP archive', async () => {
    const bytes = Buffer.concat([sourceBundleHeader(), Buffer.alloc(200, 7)]);
    expect(await rejection(bytes)).toMatch(/not a ZIP archive/);
  });

  it('rejects a bundle without manifest.json', async () => {
    const bytes = buildZip([{ name: APP.path, data: APP.content }], {
      prefix: sourceBundleHeader(),
    });
    expect(await rejection(bytes)).toMatch(/no manifest\.json/);
  });

  it('rejects a manifest that is not JSON', async () => {
    const bytes = buildZip([{ name: 'manifest.json', data: '{"files": ' }], {
      prefix: sourceBundleHeader(),
    });
    expect(await rejection(bytes)).toMatch(/manifest\.json is not valid JSON/);
  });

  it('rejects a manifest listing a missing entry', async () => {
    const manifest = {
      files: { 'files/_/_/gone.js': { type: 'minified_source', url: '~/gone.js' } },
    };
    const message = await rejection(bundleWith([], manifest));
    expect(message).toBe(
      'manifest.json lists "files/_/_/gone.js", but the bundle has no such file',
    );
  });

  it('rejects an unknown file type', async () => {
    const bytes = buildSourceBundle([{ ...APP, type: 'binary' }]);
    expect(await rejection(bytes)).toMatch(/unknown type "binary"/);
  });

  it('rejects a manifest string with NUL', async () => {
    const bytes = buildSourceBundle([APP], { release: 'a\u0000b' });
    expect(await rejection(bytes)).toMatch(/manifest\.json is invalid at release/);
  });

  it('rejects a URL with a line break', async () => {
    const bytes = buildSourceBundle([{ ...APP, url: '~/app.min.js\nX-Injected: 1' }]);
    expect(await rejection(bytes)).toMatch(
      /manifest\.json is invalid at files\..*\.url: must not contain line breaks/,
    );
  });

  it.each([
    ['../evil.js', /".." segment/],
    ['files/../../evil.js', /".." segment/],
    ['/etc/passwd', /absolute path/],
    ['C:/windows/evil.js', /absolute path/],
    ['files\\evil.js', /backslash/],
    ['files/%2e%2e/evil.js', /".." segment/],
    ['files%2fevil.js', /percent-encoded separator/],
    ['files%5Cevil.js', /percent-encoded separator/],
    ['files/evil\u0000.js', /contains NUL/],
    ['files/evil\n.js', /control character/],
    ['', /is empty/],
  ])('rejects the entry name %j', async (name, expected) => {
    const message = await rejection(bundleWith([{ name, data: 'x' }]));
    expect(message).toMatch(expected);
  });

  it('rejects a manifest key with ".."', async () => {
    const bytes = buildSourceBundle([{ path: 'files/../x.js', content: 'x' }]);
    expect(await rejection(bytes)).toMatch(/".." segment/);
  });

  it('rejects an entry name that is not UTF-8', async () => {
    const name = Buffer.from([0x66, 0xff, 0xfe, 0x2e, 0x6a, 0x73]);
    expect(await rejection(bundleWith([{ name, data: 'x' }]))).toMatch(/not valid UTF-8/);
  });

  it('rejects a symbolic link', async () => {
    const link = { name: 'files/_/_/link.js', data: '/etc/passwd', mode: 0o120777 };
    expect(await rejection(bundleWith([link]))).toMatch(/is a symbolic link/);
  });

  it('rejects a device file', async () => {
    const device = { name: 'files/_/_/device', data: '', mode: 0o020644 };
    expect(await rejection(bundleWith([device]))).toMatch(/special file/);
  });

  it('ignores the mode bits of entries made on Windows', async () => {
    const entry = { name: 'files/_/_/w.js', data: 'x', mode: 0o120777, versionMadeBy: 20 };
    expect(await rejection(bundleWith([entry]))).toBe('no error');
  });

  it('rejects an encrypted entry', async () => {
    const entry = { name: 'files/_/_/secret.js', data: 'x', flags: 0x801 };
    expect(await rejection(bundleWith([entry]))).toMatch(/is encrypted/);
  });

  it('rejects an unknown compression method', async () => {
    const entry = { name: 'files/_/_/bz.js', data: 'x', method: 12, compressed: Buffer.from('x') };
    expect(await rejection(bundleWith([entry]))).toMatch(/compression method 12/);
  });

  it('rejects two entries with one name', async () => {
    const copy = { name: APP.path, data: 'other' };
    expect(await rejection(bundleWith([copy]))).toMatch(/two entries named/);
  });

  it('rejects a file whose CRC-32 is wrong', async () => {
    const bytes = buildZip(
      [
        { name: APP.path, data: APP.content, crc: 1234 },
        { name: 'manifest.json', data: JSON.stringify({ files: { [APP.path]: {} } }) },
      ],
      { prefix: sourceBundleHeader() },
    );
    expect(await rejection(bytes)).toMatch(/fails its CRC-32 check/);
  });

  it('rejects more entries than the limit', async () => {
    const many = Array.from({ length: 10 }, (_, index) => ({
      name: `files/_/_/f${index}.js`,
      data: 'x',
    }));
    expect(await rejection(bundleWith(many))).toMatch(/12 entries, more than the maximum of 10/);
  });

  it('rejects an entry that declares more than the entry limit', async () => {
    const big = { ...APP, content: 'a'.repeat(SMALL_LIMITS.maxEntryBytes + 1) };
    expect(await rejection(buildSourceBundle([big]))).toMatch(/declares 65537 bytes/);
  });

  it('rejects entries that declare more than the total limit', async () => {
    const files = [0, 1, 2].map((index) => ({
      path: `files/_/_/part${index}.js`,
      content: `${index}`.repeat(50 * 1024),
    }));
    expect(await rejection(buildSourceBundle(files))).toMatch(/declares more than the maximum/);
  });

  it('stops a zip bomb whose headers understate its size', async () => {
    // The headers claim 1,000 bytes, but 1 MiB of zeros comes out.
    const data = Buffer.alloc(1024 * 1024);
    const bomb = { name: APP.path, data, declaredSize: 1000, crc: 0 };
    const manifest = { name: 'manifest.json', data: JSON.stringify({ files: { [APP.path]: {} } }) };
    const bytes = buildZip([bomb, manifest], { prefix: sourceBundleHeader() });
    const limits = { ...SMALL_LIMITS, maxRatio: 10_000 };
    expect(await rejection(bytes, limits)).toMatch(
      /Failed to read "files\/_\/_\/app\.min\.js" from the bundle: too many bytes/,
    );
  });

  it('stops an entry that inflates too many times its size', async () => {
    const data = Buffer.alloc(32 * 1024);
    const entry = { name: APP.path, data };
    const manifest = { name: 'manifest.json', data: JSON.stringify({ files: { [APP.path]: {} } }) };
    const bytes = buildZip([entry, manifest], { prefix: sourceBundleHeader() });
    expect(deflateRawSync(data).length * SMALL_LIMITS.maxRatio).toBeLessThan(data.length);
    expect(await rejection(bytes)).toMatch(/inflates more than 20 times its compressed size/);
  });

  it('counts the inflated bytes of every read against the total', async () => {
    const file = { path: 'files/_/_/big.js', content: 'b'.repeat(50 * 1024) };
    const limits = { ...SMALL_LIMITS, maxRatio: 10_000 };
    const bundle = await openSourceBundle(writeBundle(buildSourceBundle([file])), limits);
    try {
      await readText(bundle, file.path);
      await readText(bundle, file.path);
      await expect(readText(bundle, file.path)).rejects.toThrow(
        /inflates to more than the maximum of 131072 bytes/,
      );
    } finally {
      bundle.close();
    }
  });

  it('rejects overlapping entries', async () => {
    // An overlapping zip bomb points many central records at one compressed stream.
    const data = 'x'.repeat(100);
    const entries: ZipEntrySpec[] = [
      { name: 'files/_/_/a.js', data },
      { name: 'files/_/_/b.js', data, pointsAtEntry: 0 },
      {
        name: 'manifest.json',
        data: JSON.stringify({ files: { 'files/_/_/a.js': {}, 'files/_/_/b.js': {} } }),
      },
    ];
    const bytes = buildZip(entries, { prefix: sourceBundleHeader() });
    expect(await rejection(bytes)).toMatch(/overlap/);
  });

  it('rejects a manifest over its limit', async () => {
    const bytes = buildSourceBundle([APP], { note: 'n'.repeat(20 * 1024) });
    expect(await rejection(bytes)).toMatch(/manifest\.json has more than the maximum/);
  });

  it('keeps the default limits above a real bundle', () => {
    expect(DEFAULT_BUNDLE_LIMITS.maxEntryBytes).toBeGreaterThan(readCapturedBundle().length);
  });
});

describe('DEFAULT_BUNDLE_LIMITS', () => {
  it('refuses files larger than symbolication reads', () => {
    expect(DEFAULT_BUNDLE_LIMITS.maxEntryBytes).toBeLessThanOrEqual(MAX_ARTIFACT_BYTES);
  });
});
