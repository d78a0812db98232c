/**
 * Describes an error for a log line without its message. Messages of parse and validation
 * errors can quote the input (V8's `JSON.parse` errors show a slice of the text), and the
 * worker's input is the client's unscrubbed event, so only the error's class and the place it
 * was thrown are logged.
 */
export function describeErrorSafely(error: unknown): { errorType: string; errorAt?: string } {
  if (!(error instanceof Error)) {
    return { errorType: typeof error };
  }
  const errorAt = error.stack
    ?.split('\n')
    .find((line) => line.trimStart().startsWith('at '))
    ?.trim();
  return errorAt === undefined
    ? { errorType: error.constructor.name }
    : { errorType: error.constructor.name, errorAt };
}
