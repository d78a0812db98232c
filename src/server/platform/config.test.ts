import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from './config.js';

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    return error instanceof ConfigError ? error.message : String(error);
  }
  return 'no error';
}

describe('loadConfig ingest controls', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});

    expect(config.queueMaxBacklog).toBe(50_000);
    expect(config.diskMinFreeBytes).toBe(1_024 * 1_048_576);
    expect(config.spikeProtection).toEqual({ factor: 10, minPerMinute: 600, warmupMinutes: 10 });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PICKET_QUEUE_MAX_BACKLOG: '0',
      PICKET_DISK_MIN_FREE_MB: '200',
      PICKET_SPIKE_PROTECTION_FACTOR: '2.5',
      PICKET_SPIKE_PROTECTION_MIN_PER_MINUTE: '50',
      PICKET_SPIKE_PROTECTION_WARMUP_MINUTES: '0',
    });

    expect(config.queueMaxBacklog).toBe(0);
    expect(config.diskMinFreeBytes).toBe(200 * 1_048_576);
    expect(config.spikeProtection).toEqual({ factor: 2.5, minPerMinute: 50, warmupMinutes: 0 });
  });

  it('names every invalid variable at once', () => {
    const message = problemsOf({
      PICKET_QUEUE_MAX_BACKLOG: '-1',
      PICKET_DISK_MIN_FREE_MB: 'lots',
      PICKET_SPIKE_PROTECTION_FACTOR: '0.5',
      PICKET_SPIKE_PROTECTION_WARMUP_MINUTES: '61',
    });

    expect(message).toContain('PICKET_QUEUE_MAX_BACKLOG');
    expect(message).toContain('PICKET_DISK_MIN_FREE_MB');
    expect(message).toContain('PICKET_SPIKE_PROTECTION_FACTOR');
    expect(message).toContain('PICKET_SPIKE_PROTECTION_WARMUP_MINUTES');
  });
});

describe('loadConfig session timeouts', () => {
  it('uses 8 hours idle and 14 days in all by default', () => {
    const config = loadConfig({});

    expect(config.sessionIdleMinutes).toBe(480);
    expect(config.sessionMaxDays).toBe(14);
  });

  it('reads both variables', () => {
    const config = loadConfig({ PICKET_SESSION_IDLE_MINUTES: '1', PICKET_SESSION_MAX_DAYS: '2' });

    expect(config.sessionIdleMinutes).toBe(1);
    expect(config.sessionMaxDays).toBe(2);
  });

  it('rejects zero minutes', () => {
    expect(problemsOf({ PICKET_SESSION_IDLE_MINUTES: '0' })).toContain(
      'PICKET_SESSION_IDLE_MINUTES',
    );
  });
});

describe('loadConfig TLS', () => {
  it('rejects a certificate without a key', () => {
    const message = problemsOf({ PICKET_TLS_CERT: '/etc/picket/cert.pem' });

    expect(message).toContain('PICKET_TLS_CERT: is set but PICKET_TLS_KEY is not');
  });

  it('rejects a key without a certificate', () => {
    const message = problemsOf({ PICKET_TLS_KEY: '/etc/picket/key.pem' });

    expect(message).toContain('PICKET_TLS_KEY: is set but PICKET_TLS_CERT is not');
  });

  it('turns on secure cookies with TLS', () => {
    const config = loadConfig({ PICKET_TLS_CERT: '/c.pem', PICKET_TLS_KEY: '/k.pem' });

    expect(config.tls).toEqual({ certFile: '/c.pem', keyFile: '/k.pem' });
    expect(config.secureCookies).toBe(true);
  });

  it('leaves TLS off without files', () => {
    const config = loadConfig({});

    expect(config.tls).toBeUndefined();
    expect(config.secureCookies).toBe(false);
  });
});

describe('loadConfig S3 blob store', () => {
  it('uses virtual-hosted addressing on AWS', () => {
    const config = loadConfig({ PICKET_BLOB_URL: 's3://picket-blobs/prod' });

    expect(config.blobUrl).toEqual({ bucket: 'picket-blobs', prefix: 'prod' });
    expect(config.s3).toEqual({ endpoint: undefined, region: 'us-east-1', forcePathStyle: false });
  });

  it('turns on path-style addressing with an endpoint', () => {
    const config = loadConfig({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9000',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });

    expect(config.s3).toEqual({
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      forcePathStyle: true,
    });
  });

  it('prefers the S3 endpoint and AWS_REGION', () => {
    const config = loadConfig({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9000',
      AWS_ENDPOINT_URL_S3: 'https://s3.example.com',
      AWS_REGION: 'us-west-2',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });

    expect(config.s3.endpoint).toBe('https://s3.example.com');
    expect(config.s3.region).toBe('us-west-2');
  });

  it('reads PICKET_S3_FORCE_PATH_STYLE', () => {
    const off = loadConfig({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9000',
      PICKET_S3_FORCE_PATH_STYLE: 'false',
    });
    const on = loadConfig({ PICKET_S3_FORCE_PATH_STYLE: '1' });

    expect(off.s3.forcePathStyle).toBe(false);
    expect(on.s3.forcePathStyle).toBe(true);
  });

  it('rejects an invalid flag and endpoint', () => {
    const message = problemsOf({
      PICKET_S3_FORCE_PATH_STYLE: 'yes',
      AWS_ENDPOINT_URL_S3: 'minio:9000',
    });

    expect(message).toContain('PICKET_S3_FORCE_PATH_STYLE');
    expect(message).toContain('AWS_ENDPOINT_URL_S3');
  });
});

describe('loadConfig secrets in errors', () => {
  it('hides the password of a Redis URL', () => {
    const message = problemsOf({ REDIS_URL: 'redis://:Redis/Pass@word1@10.0.0.5:6379' });

    expect(message).toContain('REDIS_URL');
    expect(message).toContain('redis://***@10.0.0.5:6379');
    expect(message).not.toContain('word1');
  });

  it('hides the password of a read replica URL', () => {
    const message = problemsOf({
      DATABASE_URL: 'postgres://picket@db/picket',
      DATABASE_READ_URL: 'mysql://picket:ReplicaPassword2@replica/picket',
    });

    expect(message).toContain('DATABASE_READ_URL');
    expect(message).not.toContain('ReplicaPassword2');
  });

  it('hides the user and password of an endpoint URL', () => {
    const message = problemsOf({ AWS_ENDPOINT_URL: 'ftp://AccessKey:EndpointSecret3@minio' });

    expect(message).toContain('AWS_ENDPOINT_URL');
    expect(message).not.toContain('EndpointSecret3');
    expect(message).not.toContain('AccessKey');
  });

  it('hides an invalid metrics token', () => {
    const message = problemsOf({ PICKET_METRICS_TOKEN: 'metrics token4' });

    expect(message).toContain('PICKET_METRICS_TOKEN');
    expect(message).toContain('14 characters');
    expect(message).not.toContain('metrics token4');
  });

  it('hides an invalid secret key', () => {
    const message = problemsOf({ PICKET_SECRET_KEY: 'NotAKeyButSecret5' });

    expect(message).toContain('PICKET_SECRET_KEY');
    expect(message).not.toContain('NotAKeyButSecret5');
  });

  it('still shows a value that is not secret', () => {
    const message = problemsOf({ PICKET_RETENTION_DAYS: 'forever' });

    expect(message).toContain('(got "forever")');
  });
});

describe('loadConfig outbound allow-list', () => {
  it('reads names, addresses and ranges', () => {
    const config = loadConfig({
      PICKET_OUTBOUND_ALLOW: ' Hooks.Internal , 10.1.0.0/16,::1, fd00::/8 ',
    });
    expect(config.outboundAllow).toEqual(['hooks.internal', '10.1.0.0/16', '::1', 'fd00::/8']);
  });

  it.each(['127.0.0.1/33', '10.0.0.0/8x', 'hooks.internal:8080', 'hooks/path', '10.0.0.0/'])(
    'rejects %s, which would match nothing',
    (entry) => {
      expect(problemsOf({ PICKET_OUTBOUND_ALLOW: `hooks.internal,${entry}` })).toContain(
        'PICKET_OUTBOUND_ALLOW',
      );
    },
  );
});
