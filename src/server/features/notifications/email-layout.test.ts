import { describe, expect, it } from 'vitest';

import { renderEmail } from './email-layout.js';

const HOSTILE = '<img src=x onerror=alert(1)>"\'&';

describe('renderEmail', () => {
  it('escapes every value in the HTML part', () => {
    const { html, text } = renderEmail({
      subject: 'subject',
      heading: HOSTILE,
      paragraphs: [HOSTILE],
      facts: [['Label', HOSTILE]],
      preformatted: [HOSTILE],
      items: [{ title: HOSTILE, detail: HOSTILE, url: 'https://example.com/a' }],
      link: { label: HOSTILE, url: 'https://example.com/issue' },
      footer: HOSTILE,
    });

    expect(html).not.toContain('<img');
    expect(html.match(/&lt;img src=x onerror=alert\(1\)&gt;&quot;&#39;&amp;/g)).toHaveLength(8);
    expect(text).toContain(HOSTILE);
  });

  it('links only http and https addresses', () => {
    const { html, text } = renderEmail({
      subject: 's',
      heading: 'h',
      items: [{ title: 'bad item', url: 'javascript:alert(1)' }],
      link: { label: 'Open', url: 'javascript:alert(2)' },
      footer: 'f',
    });

    expect(html).not.toContain('javascript:');
    expect(html).toContain('<li>bad item</li>');
    expect(text).toContain('Open: javascript:alert(2)');
  });

  it('keeps a link to the issue in both parts', () => {
    const url = 'https://picket.example.com/organizations/acme/issues/7/';
    const { html, text } = renderEmail({
      subject: 's',
      heading: 'h',
      link: { label: 'Open the issue', url },
      footer: 'f',
    });

    expect(html).toContain(`<a href="${url}">Open the issue</a>`);
    expect(text).toContain(`Open the issue: ${url}`);
  });

  it('makes the subject one plain line', () => {
    const { subject } = renderEmail({
      subject: 'Error\r\nBcc: victim@example.com\u0007 \u202egnp.exe\u2069',
      heading: 'h',
      footer: 'f',
    });

    expect(subject).toBe('Error Bcc: victim@example.com  gnp.exe');
  });

  it('cuts long values', () => {
    const { subject, text } = renderEmail({
      subject: 'x'.repeat(5_000),
      heading: 'h',
      paragraphs: ['y'.repeat(5_000)],
      footer: 'f',
    });

    expect(subject).toHaveLength(2_003);
    expect(text).toContain(`${'y'.repeat(2_000)}...`);
    expect(text).not.toContain('y'.repeat(2_001));
  });
});
