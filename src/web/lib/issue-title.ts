import type { IssueMetadata } from '../../shared/api/issues';

/** The server cuts the value in an error title to this many characters, ellipsis included. */
const TITLE_VALUE_MAX_CHARS = 100;

/**
 * Returns the custom title of an error issue, set by a fingerprint rule (`title="..."`) or in
 * `metadata.title`, or null when the exception type and value should be shown instead.
 *
 * `metadata.title` wins when present. Otherwise the title is derived when it is the type alone,
 * or `Type: ` followed by the value's first line, which the server may shorten to an ellipsis.
 */
export function customIssueTitle(title: string, metadata: IssueMetadata): string | null {
  const type = metadata.type ?? '';
  if (type === '') {
    return null;
  }

  const metadataTitle = metadata.title ?? '';
  if (metadataTitle !== '') {
    return metadataTitle;
  }

  return isDerivedTitle(title, type, metadata.value ?? '') ? null : title;
}

function isDerivedTitle(title: string, type: string, value: string): boolean {
  if (title === type || title === '') {
    return true;
  }

  const prefix = `${type}: `;
  if (!title.startsWith(prefix)) {
    return false;
  }

  const titleValue = title.slice(prefix.length);
  const firstLine = value.split(/\r\n|\r|\n/, 1)[0] ?? '';
  if (titleValue === firstLine) {
    return true;
  }

  // A shortened value: the first line's start followed by an ellipsis.
  return (
    titleValue.endsWith('…') &&
    titleValue.length <= TITLE_VALUE_MAX_CHARS &&
    firstLine.startsWith(titleValue.slice(0, -1))
  );
}
