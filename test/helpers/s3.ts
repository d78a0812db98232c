/**
 * An S3-compatible server for tests: s3rver on 127.0.0.1, on a free port, with its objects in a
 * temporary folder. It accepts the fixed credentials S3RVER / S3RVER.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** Variables that point Picket, or the AWS SDK, at this server and bucket. */
  env: Record<string, string>;
  /** Returns the keys of every object in the bucket that start with `prefix`. */
  listKeys(prefix?: string): Promise<string[]>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Starts s3rver with one bucket; `prefix` goes into PICKET_BLOB_URL. */
export async function startS3(bucket = 'picket-test', prefix = 'blobs'): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  // The SDK would warn on Node 20 about its future Node 22 requirement.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: CREDENTIALS,
  });

  const listKeys = async (keyPrefix = '') => {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: keyPrefix, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).flatMap((object) => object.Key ?? []));
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys;
  };

  const stop = async () => {
    client.destroy();
    await server.close();
    fs.rmSync(directory, { recursive: true, force: true });
  };

  return {
    endpoint,
    bucket,
    env: {
      PICKET_BLOB_URL: `s3://${bucket}/${prefix}`,
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    },
    listKeys,
    stop,
  };
}
