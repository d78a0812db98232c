import { escapeHtml } from '../../platform/mail/mailer.js';
import type { EmailPayload } from './deliveries.js';

/** The parts of a notification e-mail; every value is plain text and is escaped here. */
export interface EmailContent {
  subject: string;
  heading: string;
  /** Paragraphs under the heading. */
  paragraphs?: readonly string[];
  /** Label and value rows, such as `Project: checkout`. */
  facts?: readonly (readonly [string, string])[];
  /** Lines shown in a monospace block, such as an exception and its top frames. */
  preformatted?: readonly string[];
  /** A list of linked items, such as the issues of a digest. */
  items?: readonly { title: string; detail?: string; url?: string }[];
  /** The main link, such as the issue page. */
  link?: { label: string; url: string };
  /** The reason the recipient got the message, and where to change it. */
  footer: string;
}

const MAX_TEXT = 2_000;

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}...` : text;
}

/**
 * Makes a subject one plain line: line breaks and other control characters become spaces, and
 * bidirectional overrides and isolates are dropped, since mail clients would otherwise show an
 * event's text reordered or spread over headers.
 */
function cleanSubject(subject: string): string {
  return (
    clip(subject)
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
      .replace(/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g, '')
      .trim()
  );
}

/** Only http and https links are written into the HTML part. */
function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** Renders a notification as a plain-text part and an HTML part with the same content. */
export function renderEmail(content: EmailContent): EmailPayload {
  const text: string[] = [content.heading, ''];
  const html: string[] = [
    '<!doctype html><html><body style="font-family:sans-serif;color:#1d1d1f;max-width:640px">',
    `<h2 style="font-size:18px">${escapeHtml(clip(content.heading))}</h2>`,
  ];

  for (const paragraph of content.paragraphs ?? []) {
    text.push(clip(paragraph), '');
    html.push(`<p>${escapeHtml(clip(paragraph))}</p>`);
  }
  if (content.facts !== undefined && content.facts.length > 0) {
    html.push('<table style="border-collapse:collapse">');
    for (const [label, value] of content.facts) {
      text.push(`${label}: ${clip(value)}`);
      html.push(
        `<tr><td style="color:#6e6e73;padding:2px 12px 2px 0">${escapeHtml(label)}</td><td>${escapeHtml(clip(value))}</td></tr>`,
      );
    }
    html.push('</table>');
    text.push('');
  }
  if (content.preformatted !== undefined && content.preformatted.length > 0) {
    const lines = content.preformatted.map(clip);
    text.push(...lines, '');
    html.push(
      `<pre style="background:#f5f5f7;padding:8px;white-space:pre-wrap">${escapeHtml(lines.join('\n'))}</pre>`,
    );
  }
  if (content.items !== undefined && content.items.length > 0) {
    html.push('<ul>');
    for (const item of content.items) {
      const detail = item.detail === undefined ? '' : ` (${clip(item.detail)})`;
      text.push(`- ${clip(item.title)}${detail}${item.url === undefined ? '' : `\n  ${item.url}`}`);
      const href = item.url === undefined ? undefined : safeHref(item.url);
      const title = escapeHtml(clip(item.title));
      const linked = href === undefined ? title : `<a href="${escapeHtml(href)}">${title}</a>`;
      html.push(`<li>${linked}${escapeHtml(detail)}</li>`);
    }
    html.push('</ul>');
    text.push('');
  }
  if (content.link !== undefined) {
    text.push(`${content.link.label}: ${content.link.url}`, '');
    const href = safeHref(content.link.url);
    if (href !== undefined) {
      html.push(`<p><a href="${escapeHtml(href)}">${escapeHtml(content.link.label)}</a></p>`);
    }
  }
  text.push('--', content.footer);
  html.push(
    `<hr><p style="color:#6e6e73;font-size:12px">${escapeHtml(content.footer)}</p></body></html>`,
  );

  return {
    subject: cleanSubject(content.subject),
    text: text.join('\n'),
    html: html.join('\n'),
  };
}
