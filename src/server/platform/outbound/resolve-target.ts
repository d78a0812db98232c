import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';

import { blockedAddressReason } from './address-policy.js';
import type { OutboundAllowList } from './allow-list.js';
import { OutboundError } from './outbound-error.js';

const ALLOW_HINT = 'allow it with PICKET_OUTBOUND_ALLOW';

/**
 * Checks a URL's scheme and credentials, resolves its host and checks every address it resolves
 * to. Returns the addresses to connect to, which `pinnedLookup` hands to the socket so that no
 * second DNS answer can take the connection elsewhere.
 * @throws OutboundError `invalid_url`, `refused`, `network` (DNS failed) or `aborted`.
 */
export async function resolveTarget(
  url: URL,
  allow: OutboundAllowList,
  signal: AbortSignal,
): Promise<LookupAddress[]> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundError(
      'invalid_url',
      `only http and https URLs are allowed, not ${url.protocol}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new OutboundError('invalid_url', `URLs with credentials are not allowed (${url.host})`);
  }

  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(host);
  if (family !== 0) {
    checkAddress(host, allow, host);
    return [{ address: host, family }];
  }

  const addresses = await lookupAll(host, signal);
  if (!allow.allowsHost(host)) {
    for (const { address } of addresses) {
      checkAddress(address, allow, host);
    }
  }
  return addresses;
}

function checkAddress(address: string, allow: OutboundAllowList, host: string): void {
  if (allow.allowsAddress(address)) {
    return;
  }
  const reason = blockedAddressReason(address);
  if (reason === undefined) {
    return;
  }
  const subject = host === address ? address : `${host} resolves to ${address}, which`;
  throw new OutboundError('refused', `refused: ${subject} is ${reason}; ${ALLOW_HINT}`);
}

async function lookupAll(host: string, signal: AbortSignal): Promise<LookupAddress[]> {
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

  try {
    const addresses = await Promise.race([
      dns.lookup(host, { all: true, verbatim: true }),
      aborted,
    ]);
    if (addresses.length === 0) {
      throw new OutboundError('network', `DNS lookup of ${host} returned no address`);
    }
    return addresses;
  } catch (error) {
    if (error instanceof OutboundError || signal.aborted) {
      throw error;
    }
    const code = (error as NodeJS.ErrnoException).code ?? 'failed';
    throw new OutboundError('network', `DNS lookup of ${host} failed (${code})`, { cause: error });
  } finally {
    if (onAbort !== undefined) {
      signal.removeEventListener('abort', onAbort);
    }
  }
}

/**
 * Returns a `lookup` for `http.request` that returns only the checked addresses. Node asks
 * for all addresses when it tries IPv6 and IPv4 in turn (`autoSelectFamily`), else for one.
 */
export function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const [first] = addresses;
    if (first === undefined) {
      callback(new Error('no checked address to connect to'), '', 0);
      return;
    }
    if (options.all === true) {
      (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, [...addresses]);
      return;
    }
    const preferred = addresses.find((entry) => entry.family === options.family) ?? first;
    callback(null, preferred.address, preferred.family);
  };
}
