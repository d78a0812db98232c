import { describe, expect, it } from 'vitest';

import type { ProjectKeyDsn } from '../../../shared/api/accounts';
import { listKeyEndpoints } from './key-endpoints';

const BASE = 'http://127.0.0.1:9000/api/1';

function makeDsn(overrides: Partial<ProjectKeyDsn>): ProjectKeyDsn {
  return {
    public: 'http://key@127.0.0.1:9000/1',
    secret: 'http://key:secret@127.0.0.1:9000/1',
    csp: null,
    security: null,
    minidump: null,
    nel: null,
    unreal: null,
    crons: null,
    otlp_traces: null,
    otlp_logs: null,
    cdn: null,
    ...overrides,
  };
}

describe('listKeyEndpoints', () => {
  it('returns nothing when every endpoint is null', () => {
    expect(listKeyEndpoints(makeDsn({}))).toEqual([]);
  });

  it('lists only the endpoints that are not null', () => {
    const endpoints = listKeyEndpoints(makeDsn({ minidump: `${BASE}/minidump/` }));

    expect(endpoints).toEqual([{ label: 'Minidump endpoint', url: `${BASE}/minidump/` }]);
  });

  it('lists a CSP endpoint equal to the security endpoint once', () => {
    const url = `${BASE}/security/`;
    const endpoints = listKeyEndpoints(makeDsn({ csp: url, security: url }));

    expect(endpoints.map((endpoint) => endpoint.label)).toEqual(['Security header endpoint']);
  });
});
