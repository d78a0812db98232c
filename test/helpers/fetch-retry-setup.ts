/**
 * Test setup: a GET or HEAD that fails because the server closed an idle keep-alive connection
 * just as the test reused it is sent once more, as browsers do. Picket closes idle connections
 * after 5 s. Node's fetch may keep one a little longer when the test process is busy. A GET or
 * HEAD changes nothing on the server, so sending it again is safe. Other failures, and failures
 * of other methods, are left as they are.
 */
const originalFetch = globalThis.fetch;

function isClosedSocket(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return cause?.code === 'UND_ERR_SOCKET';
}

globalThis.fetch = async (input, init) => {
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  try {
    return await originalFetch(input, init);
  } catch (error) {
    if ((method !== 'GET' && method !== 'HEAD') || !isClosedSocket(error)) {
      throw error;
    }
    return originalFetch(input, init);
  }
};
