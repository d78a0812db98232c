/**
 * Generates Sentry events with planted secrets for the scrubbing property tests: values under
 * sensitive keys (random casing and nesting), Luhn-valid card numbers, `Bearer` tokens, PEM
 * private keys, passwords in URLs, cookies and credential headers. Every secret is a random
 * token, so a search for it in stored data can only find the planted copy.
 */
import fc from 'fast-check';

/** A generated event and the strings that must not survive scrubbing. */
export interface PlantedEvent {
  event: Record<string, unknown>;
  secrets: string[];
}

// Keys that the default rules must filter, spelled as SDKs and applications do.
const SENSITIVE_KEYS = [
  'password',
  'passwd',
  'secret',
  'client_secret',
  'api_key',
  'api-key',
  'apikey',
  'x-api-key',
  'auth',
  'authorization',
  'auth_token',
  'access_token',
  'accessToken',
  'refresh_token',
  'stripetoken',
  'credentials',
  'mysql_pwd',
  'privatekey',
  'private_key',
  'private-key',
  'otp',
  'two_factor',
  'session',
  'sessionid',
  'card[number]',
];

const PLAIN_WORDS = ['data', 'info', 'payload', 'config', 'meta', 'body', 'item', 'state'];

const hexToken = (prefix: string, length: number) =>
  fc
    .string({
      unit: fc.constantFrom(...'0123456789abcdef'.split('')),
      minLength: length,
      maxLength: length,
    })
    .map((hex) => `${prefix}${hex}`);

const randomCasing = (key: string) =>
  fc.array(fc.boolean(), { minLength: key.length, maxLength: key.length }).map((flags) =>
    key
      .split('')
      .map((char, index) => (flags[index] === true ? char.toUpperCase() : char.toLowerCase()))
      .join(''),
  );

/** Appends the Luhn check digit to `digits`. */
export function withLuhnDigit(digits: string): string {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 0) {
      digit *= 2;
      if (digit > 9) {
        digit -= 9;
      }
    }
    sum += digit;
  }
  return `${digits}${(10 - (sum % 10)) % 10}`;
}

const cardNumber = fc
  .tuple(
    fc.constantFrom('4', '51', '52', '55', '6011', '65', '37'),
    fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 14, maxLength: 14 }),
    fc.constantFrom('', ' ', '-'),
  )
  .map(([prefix, rest, separator]) => {
    const length = prefix === '37' ? 15 : 16;
    const digits = withLuhnDigit((prefix + rest).slice(0, length - 1));
    return separator === '' ? digits : (digits.match(/.{1,4}/g) ?? []).join(separator);
  });

type Placement = 'extra' | 'contexts' | 'userData' | 'requestData' | 'breadcrumb' | 'frameVars';

/** One planted secret: where it goes, the value to plant and the strings to search for. */
interface Plant {
  /** `key` plants are found by their key, `text` plants by their value. */
  kind: 'key' | 'text';
  placement: Placement;
  path: string[];
  key: string;
  value: string;
  secrets: string[];
}

const placement = fc.constantFrom<Placement>(
  'extra',
  'contexts',
  'userData',
  'requestData',
  'breadcrumb',
  'frameVars',
);
const nesting = fc.array(fc.constantFrom(...PLAIN_WORDS), { maxLength: 3 });

const sensitiveKeyPlant = fc
  .tuple(
    placement,
    nesting,
    fc.constantFrom(...SENSITIVE_KEYS).chain(randomCasing),
    hexToken('pw', 20),
  )
  .map(([where, path, key, secret]): Plant => ({
    kind: 'key',
    placement: where,
    path,
    key,
    value: secret,
    secrets: [secret],
  }));

const textPlant = (build: fc.Arbitrary<{ value: string; secrets: string[] }>) =>
  fc
    .tuple(placement, nesting, fc.constantFrom(...PLAIN_WORDS), build)
    .map(([where, path, key, text]): Plant => ({
      kind: 'text',
      placement: where,
      path,
      key,
      ...text,
    }));

const cardPlant = textPlant(
  cardNumber.map((card) => ({
    value: `paid with ${card} today`,
    secrets: [card],
  })),
);

const bearerPlant = textPlant(
  hexToken('tok', 24).map((token) => ({
    value: `GET /api with Bearer ${token} failed`,
    secrets: [token],
  })),
);

const pemPlant = textPlant(
  fc.array(hexToken('MII', 40), { minLength: 1, maxLength: 3 }).map((lines) => ({
    value: `-----BEGIN RSA PRIVATE KEY-----\n${lines.join('\n')}\n-----END RSA PRIVATE KEY-----`,
    secrets: lines,
  })),
);

const urlPlant = textPlant(
  fc
    .tuple(fc.constantFrom('postgres', 'redis', 'https', 'amqp'), hexToken('up', 16))
    .map(([scheme, password]) => ({
      value: `connect ${scheme}://app:${password}@db.internal:5432/main`,
      secrets: [password],
    })),
);

const plant = fc.oneof(sensitiveKeyPlant, cardPlant, bearerPlant, pemPlant, urlPlant);

/** Secrets sent in the request's headers and cookies. */
const requestSecrets = fc.record({
  authorization: hexToken('ah', 24),
  cookieSession: hexToken('cs', 20),
  cookieOther: hexToken('co', 20),
  setCookie: hexToken('sc', 20),
  apiKeyHeader: hexToken('ak', 20),
  urlPassword: hexToken('ul', 16),
  queryToken: hexToken('qt', 16),
});

function setNested(
  root: Record<string, unknown>,
  path: string[],
  key: string,
  value: string,
): void {
  let node = root;
  for (const segment of path) {
    const next = node[segment];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      node = next as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      node[segment] = created;
      node = created;
    }
  }
  node[key] = value;
}

function placeSecret(event: Record<string, unknown>, plantSpec: Plant, index: number): void {
  const bag: Record<string, unknown> = {};
  setNested(bag, plantSpec.path, plantSpec.key, plantSpec.value);
  const request = event.request as Record<string, unknown>;
  const user = event.user as Record<string, unknown>;
  switch (plantSpec.placement) {
    case 'extra':
      (event.extra as Record<string, unknown>)[`extra${index}`] = bag;
      return;
    case 'contexts':
      (event.contexts as Record<string, unknown>)[`ctx${index}`] = bag;
      return;
    case 'userData':
      (user.data as Record<string, unknown>)[`field${index}`] = bag;
      return;
    case 'requestData':
      (request.data as Record<string, unknown>)[`field${index}`] = bag;
      return;
    case 'breadcrumb':
      (event.breadcrumbs as { values: unknown[] }).values.push({
        category: 'app',
        message: plantSpec.kind === 'text' ? plantSpec.value : 'step',
        data: bag,
      });
      return;
    case 'frameVars': {
      const exception = event.exception as { values: { stacktrace: { frames: unknown[] } }[] };
      exception.values[0]?.stacktrace.frames.push({
        function: `handler${index}`,
        filename: 'app/handlers.js',
        lineno: 10 + index,
        vars: bag,
      });
    }
  }
}

/** Events with 1 to 6 planted secrets plus secret headers, cookies and a URL password. */
export const plantedEvents: fc.Arbitrary<PlantedEvent> = fc
  .tuple(fc.array(plant, { minLength: 1, maxLength: 6 }), requestSecrets, fc.uuid())
  .map(([plants, request, uuid]) => {
    const event: Record<string, unknown> = {
      event_id: uuid.replace(/-/g, ''),
      platform: 'node',
      level: 'error',
      message: 'checkout failed',
      exception: {
        values: [
          {
            type: 'CheckoutError',
            value: 'payment failed',
            stacktrace: { frames: [{ function: 'main', filename: 'app/main.js', lineno: 1 }] },
          },
        ],
      },
      extra: {},
      contexts: {},
      user: { id: 'user-1', data: {} },
      breadcrumbs: { values: [] },
      request: {
        url: `https://app:${request.urlPassword}@shop.example.com/checkout`,
        method: 'POST',
        query_string: `access_token=${request.queryToken}&page=2`,
        headers: {
          Authorization: `Bearer ${request.authorization}`,
          Cookie: `theme=dark; sessionid=${request.cookieSession}; other=${request.cookieOther}`,
          'Set-Cookie': `session=${request.setCookie}; HttpOnly`,
          'X-Api-Key': request.apiKeyHeader,
          'User-Agent': 'Mozilla/5.0',
        },
        cookies: { sessionid: request.cookieSession, other: request.cookieOther },
        data: {},
      },
    };
    plants.forEach((plantSpec, index) => placeSecret(event, plantSpec, index));
    const secrets = [...plants.flatMap((entry) => entry.secrets), ...Object.values(request)];
    return { event, secrets };
  });
