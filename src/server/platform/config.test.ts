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
