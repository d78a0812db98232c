import { createHmac } from 'node:crypto';

import type { ReplaceBehavior, ValuePattern } from './pii-patterns.js';
import type { Redaction } from './pii-rules.js';

/** Remark types of Relay's `_meta`: substituted, removed, masked, pseudonymized (hashed). */
export type RemarkType = 's' | 'x' | 'm' | 'p';

/** A piece of a string being scrubbed: original text, or the output of one redaction. */
export type Chunk =
  | { kind: 'text'; text: string }
  | { kind: 'redaction'; text: string; ruleId: string; type: RemarkType };

/** A remark as `_meta` stores it: `[ruleId, type]` or `[ruleId, type, start, end]`. */
export type Remark = [string, RemarkType] | [string, RemarkType, number, number];

const PLACEHOLDER = '\u0000';

/** Returns Relay's hash of a value: HMAC-SHA256 with an empty key, as upper-case hex. */
export function hashValue(text: string): string {
  return createHmac('sha256', '').update(text).digest('hex').toUpperCase();
}

/** Returns the number of Unicode code points of `text`, the unit of Relay's `len`. */
export function countCharacters(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    // The second half of a surrogate pair belongs to the code point before it.
    if (code < 0xdc00 || code > 0xdfff) {
      count += 1;
    }
  }
  return count;
}

/** Builds the chunk that replaces `text` under `redaction`. */
export function redactionChunk(ruleId: string, redaction: Redaction, text: string): Chunk {
  switch (redaction.method) {
    case 'mask':
      return { kind: 'redaction', text: '*'.repeat(countCharacters(text)), ruleId, type: 'm' };
    case 'hash':
      return { kind: 'redaction', text: hashValue(text), ruleId, type: 'p' };
    case 'replace':
      return { kind: 'redaction', text: redaction.text ?? '[Filtered]', ruleId, type: 's' };
    case 'remove':
    case 'default':
      return { kind: 'redaction', text: '', ruleId, type: 'x' };
  }
}

/**
 * Applies a pattern to chunks. Earlier redactions are hidden from the pattern behind a NUL
 * placeholder, so that one rule never matches the output of another. Returns the same array
 * when nothing matched.
 */
export function applyPatternToChunks(
  chunks: Chunk[],
  pattern: ValuePattern,
  ruleId: string,
  redaction: Redaction,
): Chunk[] {
  let search = '';
  let hasText = false;
  const redactions: Chunk[] = [];
  for (const chunk of chunks) {
    if (chunk.kind === 'text') {
      hasText = true;
      search += chunk.text.includes(PLACEHOLDER)
        ? chunk.text.replaceAll(PLACEHOLDER, '')
        : chunk.text;
    } else {
      search += PLACEHOLDER;
      redactions.push(chunk);
    }
  }
  if (!hasText || (pattern.mayMatch !== undefined && !pattern.mayMatch(search))) {
    return chunks;
  }

  const matches = [...search.matchAll(pattern.regex)].filter(
    (match) => pattern.accept === undefined || pattern.accept(match),
  );
  if (matches.length === 0) {
    return chunks;
  }

  return replaceMatches(search, matches, pattern.replace, redactions, ruleId, redaction);
}

function replaceMatches(
  search: string,
  matches: RegExpExecArray[],
  behavior: ReplaceBehavior,
  redactions: Chunk[],
  ruleId: string,
  redaction: Redaction,
): Chunk[] {
  if (behavior.kind === 'value') {
    return [redactionChunk(ruleId, redaction, search.replaceAll(PLACEHOLDER, ''))];
  }

  const output: Chunk[] = [];
  const pending = [...redactions].reverse();
  let position = 0;
  for (const match of matches) {
    const indices = match.indices;
    if (indices === undefined) {
      continue;
    }
    // A group that did not take part in the match has no indices.
    (indices as ([number, number] | undefined)[]).forEach((range, group) => {
      if (range === undefined || !behavior.groups.includes(group) || range[0] < position) {
        return;
      }
      pushText(search.slice(position, range[0]), output, pending);
      output.push(redactionChunk(ruleId, redaction, search.slice(range[0], range[1])));
      position = range[1];
    });
  }
  pushText(search.slice(position), output, pending);
  return output;
}

/** Appends text, putting back the earlier redactions where their placeholders are. */
function pushText(text: string, output: Chunk[], pending: Chunk[]): void {
  if (text === '') {
    return;
  }
  const pieces = text.split(PLACEHOLDER);
  pieces.forEach((piece, index) => {
    if (index > 0) {
      const redaction = pending.pop();
      if (redaction !== undefined) {
        output.push(redaction);
      }
    }
    if (piece !== '') {
      output.push({ kind: 'text', text: piece });
    }
  });
}

/** Joins chunks into the scrubbed string and the remarks with their ranges in it. */
export function joinChunks(chunks: Chunk[]): { text: string; remarks: Remark[] } {
  let text = '';
  const remarks: Remark[] = [];
  for (const chunk of chunks) {
    const start = text.length;
    text += chunk.text;
    if (chunk.kind === 'redaction') {
      remarks.push([chunk.ruleId, chunk.type, start, text.length]);
    }
  }
  return { text, remarks };
}
