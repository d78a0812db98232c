import type { EventProcessingError } from '../../../shared/api/events';

/** Plain words for Sentry's JavaScript source map errors, which symbolication adds per file. */
const SOURCE_MAP_ERROR_TEXT: Record<string, string> = {
  js_no_source: 'No source map was found for',
  js_invalid_source: 'The source map could not be read:',
  js_invalid_sourcemap_location: 'A frame position is outside the source map of',
  js_missing_sources_content: 'The source map has no source code (sourcesContent):',
};

/** Display text of one processing error, with the value it names. */
export interface ProcessingErrorText {
  text: string;
  /** File, field or value the error is about, shown as event text, or null when there is none. */
  subject: string | null;
}

/**
 * Words one processing error: a source map error as a sentence about its file, and any other
 * error by its message (or type) and the name of the field it concerns.
 */
export function describeProcessingError(error: EventProcessingError): ProcessingErrorText {
  const sourceMapText = SOURCE_MAP_ERROR_TEXT[error.type];
  if (sourceMapText !== undefined) {
    return { text: sourceMapText, subject: error.url ?? error.name ?? null };
  }

  return { text: error.message ?? error.type, subject: error.name ?? null };
}
