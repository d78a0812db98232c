import { describe, expect, it } from 'vitest';

import { toContextRows } from './context-rows';

describe('toContextRows', () => {
  it('formats device memory in binary units', () => {
    const rows = toContextRows('device', { type: 'device', memory_size: 25_276_071_936 });

    expect(rows).toEqual([
      { key: 'memory_size', value: '23.5 GiB', title: '25,276,071,936 bytes' },
    ]);
  });

  it('reads the GPU memory size as megabytes', () => {
    const rows = toContextRows('gpu', { memory_size: 4096 });

    expect(rows).toEqual([{ key: 'memory_size', value: '4 GiB', title: '4,096 megabytes' }]);
  });

  it('uses the context type over the key', () => {
    const rows = toContextRows('phone', { type: 'device', free_storage: 1024 });

    expect(rows[0]?.value).toBe('1 KiB');
  });

  it('shows booleans as text', () => {
    const rows = toContextRows('device', { charging: true, low_memory: false });

    expect(rows).toEqual([
      { key: 'charging', value: 'true' },
      { key: 'low_memory', value: 'false' },
    ]);
  });

  it('keeps other numbers and non-numeric sizes', () => {
    const rows = toContextRows('device', { battery_level: 87, memory_size: 'unknown' });

    expect(rows).toEqual([
      { key: 'battery_level', value: 87 },
      { key: 'memory_size', value: 'unknown' },
    ]);
  });

  it('leaves out the type field', () => {
    expect(toContextRows('cloud_resource', { type: 'cloud_resource' })).toEqual([]);
  });
});
