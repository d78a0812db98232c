import { describe, expect, it } from 'vitest';

import { formatDocumentTitle } from './use-document-title';

describe('formatDocumentTitle', () => {
  it('joins the parts and ends with Picket', () => {
    expect(formatDocumentTitle(['TypeError: x', 'Issues', 'acme'])).toBe(
      'TypeError: x — Issues — acme — Picket',
    );
  });

  it('leaves out missing and empty parts', () => {
    expect(formatDocumentTitle([undefined, 'Issues', null, ' ', 'acme'])).toBe(
      'Issues — acme — Picket',
    );
  });

  it('returns Picket alone without parts', () => {
    expect(formatDocumentTitle([])).toBe('Picket');
  });

  it('removes a right-to-left override', () => {
    expect(formatDocumentTitle(['evil\u202Eexe.txt'])).toBe('evilexe.txt — Picket');
  });

  it('puts a multi-line part on one line', () => {
    expect(formatDocumentTitle(['first\n  second'])).toBe('first second — Picket');
  });

  it('cuts a long part to 80 characters', () => {
    const [part] = formatDocumentTitle(['x'.repeat(1000)]).split(' — ');

    expect(part).toBe(`${'x'.repeat(79)}…`);
  });
});
