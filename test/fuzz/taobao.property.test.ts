import fc from 'fast-check';
import { parseRelayInbound, type RelayInbound } from '../../adapters/taobao/relayMessage';
import { TAOBAO_ORDER_ID } from '../../adapters/taobao/topClient';
import {
  DEFAULT_MAX_SKEW_MS,
  SIGN_METHODS,
  formatTopTimestamp,
  parseTopTimestamp,
  signedParams,
  topSign,
  verifyTopRequest,
  type SignMethod,
} from '../../adapters/taobao/topSignature';
import { formBody, standInSign } from '../helpers/topStandIn';
import { CHINESE_WORDS, jsonWithKeys, mixedText, unicodeText, utf16Text } from './arbitraries';

const method = fc.constantFrom<SignMethod>(...SIGN_METHODS);
/** TOP parameter names are ASCII; `sign` is the one name that is never signed. */
const paramName = fc.stringMatching(/^[a-z][a-z0-9_.]{0,15}$/).filter((name) => name !== 'sign');
/** Values as shops send them: Chinese, emoji, anything printable; empty ones are skipped by the scheme. */
const paramValue = fc.oneof(
  unicodeText(40),
  fc.array(fc.constantFrom(...CHINESE_WORDS), { maxLength: 6 }).map((words) => words.join('')),
);
const business = fc.dictionary(paramName, paramValue, { maxKeys: 8 });
/**
 * App secrets come from the environment, which cannot hold NUL; HMAC pads every key with zero bytes
 * by definition, so "secret" and "secret\0" are one key and not worth generating.
 */
const secret = unicodeText(40).filter((value) => value.length > 0 && !value.includes('\u0000'));
/** Any instant TOP timestamps can name (four-digit years), to the second. */
const instant = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true })
  .map((date) => new Date(Math.floor(date.getTime() / 1000) * 1000));

describe('TOP signatures', () => {
  test('topSign agrees with the independent stand-in implementation for any params, secret and method', () => {
    fc.assert(
      fc.property(business, secret, method, (params, key, how) => {
        expect(topSign(params, key, how)).toBe(standInSign(params, key, how));
      }),
      { numRuns: 300 },
    );
  });

  test('sign → verify: accepted, in upper or lower case', () => {
    fc.assert(
      fc.property(business, secret, method, instant, fc.string({ minLength: 1, maxLength: 20 }), (params, key, how, now, appKey) => {
        const signed = signedParams(params, { appKey, secret: key, method: how, now });
        expect(verifyTopRequest(signed, key, { now })).toEqual({ ok: true });
        expect(verifyTopRequest({ ...signed, sign: signed.sign.toLowerCase() }, key, { now })).toEqual({ ok: true });
      }),
      { numRuns: 300 },
    );
  });

  test('changing, adding or removing any one parameter fails verification', () => {
    const change = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: paramValue }),
      fc.record({ kind: fc.constant('add' as const), name: paramName, value: paramValue.filter((v) => v !== '') }),
      fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(business, secret, method, instant, change, (params, key, how, now, edit) => {
        const signed = signedParams(params, { appKey: 'k1', secret: key, method: how, now });
        const names = Object.keys(signed).filter((name) => name !== 'sign');
        const forged: Record<string, string | undefined> = { ...signed };
        if (edit.kind === 'set') {
          const name = names[edit.pick % names.length];
          fc.pre(forged[name] !== edit.value);
          forged[name] = edit.value;
        } else if (edit.kind === 'add') {
          fc.pre(!Object.hasOwn(signed, edit.name));
          forged[edit.name] = edit.value;
        } else {
          const name = names[edit.pick % names.length];
          // An empty value was never signed: removing it changes nothing, by the protocol.
          fc.pre(forged[name] !== '');
          delete forged[name];
        }
        expect(verifyTopRequest(forged, key, { now }).ok).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  test('another secret, or another sign of the right shape, fails verification', () => {
    fc.assert(
      fc.property(
        business,
        secret,
        secret,
        method,
        instant,
        fc.stringMatching(/^[0-9A-F]{32}$/),
        (params, key, otherKey, how, now, guessed) => {
          const signed = signedParams(params, { appKey: 'k1', secret: key, method: how, now });
          if (otherKey !== key) expect(verifyTopRequest(signed, otherKey, { now })).toEqual({ ok: false, reason: 'sign mismatch' });
          if (guessed !== signed.sign) expect(verifyTopRequest({ ...signed, sign: guessed }, key, { now }).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a correctly signed request outside the allowed clock skew is refused, in either direction', () => {
    fc.assert(
      fc.property(
        business,
        secret,
        method,
        instant,
        fc.integer({ min: DEFAULT_MAX_SKEW_MS + 1000, max: 10 * 365 * 86_400_000 }),
        fc.boolean(),
        (params, key, how, sentAt, skew, ahead) => {
          const signed = signedParams(params, { appKey: 'k1', secret: key, method: how, now: sentAt });
          const now = new Date(sentAt.getTime() + (ahead ? -skew : skew));
          expect(verifyTopRequest(signed, key, { now })).toEqual({
            ok: false,
            reason: ahead ? 'timestamp is too far in the future' : 'timestamp is too old',
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  test('verifyTopRequest never throws, whatever the params', () => {
    const anyParams = fc.dictionary(
      fc.oneof(fc.constantFrom('sign', 'sign_method', 'timestamp', 'app_key'), paramName),
      fc.oneof(utf16Text(70), fc.constant(undefined)),
      { maxKeys: 8 },
    );
    fc.assert(
      fc.property(anyParams, secret, (params, key) => {
        const verdict = verifyTopRequest(params, key);
        // A random sign matching by chance is out of the question.
        expect(verdict.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('TOP timestamps', () => {
  test('format → parse gives back the instant', () => {
    fc.assert(
      fc.property(instant, (date) => {
        const text = formatTopTimestamp(date);
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
        expect(parseTopTimestamp(text)).toEqual(date);
      }),
      { numRuns: 300 },
    );
  });

  test('any string parses to an instant that formats back to exactly that string, or to nothing', () => {
    const nearlyTimestamp = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
      )
      .map(([y, mo, d, h, mi, s]) => `${String(y).padStart(4, '0')}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}`);
    fc.assert(
      fc.property(fc.oneof(nearlyTimestamp, utf16Text(25)), (text) => {
        const date = parseTopTimestamp(text);
        if (date !== undefined) expect(formatTopTimestamp(date)).toBe(text);
      }),
      { numRuns: 400 },
    );
  });
});

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

// ---------------------------------------------------------------------------------------------
// The relay's message
// ---------------------------------------------------------------------------------------------

const RELAY_KEYS = [
  'app_key',
  'timestamp',
  'sign_method',
  'sign',
  'v',
  'method',
  'buyer_nick',
  'seller_nick',
  'message_id',
  'content',
  'order_id',
  'msg_time',
] as const;

/** Characters as people count them, the way the relay's limit on content does. */
const codePoints = (text: string): number => [...text].length;

function expectWithinLimits(message: RelayInbound): void {
  // zod 4 counts code points, so these limits are in characters too.
  expect(codePoints(message.appKey)).toBeGreaterThanOrEqual(1);
  expect(codePoints(message.appKey)).toBeLessThanOrEqual(64);
  for (const nick of [message.buyerNick, message.sellerNick]) {
    expect(codePoints(nick)).toBeGreaterThanOrEqual(1);
    expect(codePoints(nick)).toBeLessThanOrEqual(64);
  }
  expect(message.messageId).toMatch(/^[\w.:-]{1,128}$/);
  expect(message.content).toBe(message.content.trim());
  expect(message.content.length).toBeGreaterThan(0);
  expect(codePoints(message.content)).toBeLessThanOrEqual(2000);
  if (message.orderId !== undefined) expect(message.orderId).toMatch(TAOBAO_ORDER_ID);
  if (message.sentAt !== undefined) expect(Number.isNaN(message.sentAt.getTime())).toBe(false);
}

/** A message that keeps every documented rule, with values picked anywhere inside them. */
const validRelayFields = fc
  .record(
    {
      app_key: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 64 }),
      timestamp: instant.map(formatTopTimestamp),
      sign_method: method,
      sign: fc.oneof(fc.stringMatching(/^[0-9A-F]{32}$/), fc.stringMatching(/^[0-9a-f]{64}$/)),
      buyer_nick: fc.string({ unit: 'binary', minLength: 1, maxLength: 32 }),
      seller_nick: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }).filter((nick) => codePoints(nick) <= 64),
      message_id: fc.stringMatching(/^[\w.:-]{1,128}$/),
      content: fc
        .tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }), fc.constantFrom('', ' ', '  \n', '\u3000'))
        .map(([text, padding]) => `${padding}${text}${padding}`)
        .filter((text) => text.trim() !== '' && codePoints(text.trim()) <= 2000),
      order_id: fc.oneof(fc.stringMatching(/^\d{10,25}$/), fc.constant('')),
      msg_time: fc.oneof(instant.map(formatTopTimestamp), fc.constant('')),
      v: fc.constantFrom('2.0', ''),
    },
    { requiredKeys: ['app_key', 'timestamp', 'sign_method', 'sign', 'buyer_nick', 'seller_nick', 'message_id', 'content'] },
  )
  .map((fields) => fields as Record<string, string>);

describe('parseRelayInbound', () => {
  test('any body, of any JSON shape, is either a message within the documented limits or a refusal with a reason', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.oneof(fc.constantFrom(...RELAY_KEYS), fc.string({ maxLength: 8 })), jsonWithKeys(RELAY_KEYS), { maxKeys: 14 }),
        (fields) => {
          const result = parseRelayInbound(fields);
          if (result.ok) expectWithinLimits(result.message);
          else expect(result.reason).toMatch(/\S/);
        },
      ),
      { numRuns: 400 },
    );
  });

  test('a valid message with random values mixed into its fields is never a crash', () => {
    fc.assert(
      fc.property(validRelayFields, fc.constantFrom(...RELAY_KEYS), jsonWithKeys(RELAY_KEYS), (fields, name, value) => {
        const result = parseRelayInbound({ ...fields, [name]: value });
        if (result.ok) expectWithinLimits(result.message);
        else expect(result.reason).toContain(name);
      }),
      { numRuns: 400 },
    );
  });

  test('every message within the rules is accepted, the same from a form body as from JSON, content trimmed', () => {
    fc.assert(
      fc.property(validRelayFields, (fields) => {
        const fromJson = parseRelayInbound(JSON.parse(JSON.stringify(fields)) as Record<string, unknown>);
        expect(fromJson).toEqual({
          ok: true,
          message: expect.objectContaining({
            appKey: fields.app_key,
            buyerNick: fields.buyer_nick,
            sellerNick: fields.seller_nick,
            messageId: fields.message_id,
            content: fields.content.trim(),
          }),
        });
        if (fromJson.ok) {
          expectWithinLimits(fromJson.message);
          expect(fromJson.message.orderId).toBe(fields.order_id || undefined);
          expect(fromJson.message.sentAt).toEqual(fields.msg_time ? parseTopTimestamp(fields.msg_time) : undefined);
        }
        expect(parseRelayInbound(Object.fromEntries(new URLSearchParams(formBody(fields))))).toEqual(fromJson);
      }),
      { numRuns: 300 },
    );
  });

  test('breaking any one rule is refused, and the reason names the field', () => {
    const breakage: fc.Arbitrary<[string, unknown]> = fc.oneof(
      fc.constantFrom<[string, unknown]>(
        ['app_key', ''],
        ['app_key', 'k'.repeat(65)],
        ['timestamp', '2025-02-30 10:00:00'],
        ['timestamp', '2025-03-11T15:59:30'],
        ['sign_method', 'sha1'],
        ['sign', 'ABC'],
        ['buyer_nick', ''],
        ['buyer_nick', '买'.repeat(65)],
        ['seller_nick', ''],
        ['message_id', 'has space'],
        ['message_id', 'x'.repeat(129)],
        ['message_id', ''],
        ['content', ' \n\t\u3000'],
        ['content', '长'.repeat(2001)],
        ['content', '😀'.repeat(2001)],
        ['order_id', '123'],
        ['order_id', '3912-4567-8901'],
        ['msg_time', 'yesterday'],
        ['v', 'v'.repeat(17)],
        ['method', 'm'.repeat(129)],
      ),
      fc.tuple(
        fc.constantFrom(...RELAY_KEYS),
        fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 })),
      ),
    );
    fc.assert(
      fc.property(validRelayFields, breakage, (fields, [name, value]) => {
        // An optional field sent as null is still a wrong type; only absent or '' means "not sent".
        const result = parseRelayInbound({ ...fields, [name]: value });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.reason).toContain(name);
      }),
      { numRuns: 300 },
    );
  });

  test('a required field left out is refused as missing', () => {
    const required = ['app_key', 'timestamp', 'sign_method', 'sign', 'buyer_nick', 'seller_nick', 'message_id', 'content'];
    fc.assert(
      fc.property(validRelayFields, fc.constantFrom(...required), (fields, name) => {
        const { [name]: _gone, ...rest } = fields;
        const result = parseRelayInbound(rest);
        expect(result).toEqual({ ok: false, reason: expect.stringContaining(`${name} is missing`) });
      }),
      { numRuns: 100 },
    );
  });

  test('text fields with hostile characters are carried as they are, not altered', () => {
    fc.assert(
      fc.property(
        validRelayFields,
        mixedText(10).filter((text) => text.trim() !== '' && codePoints(text) <= 64),
        (fields, hostile) => {
          const result = parseRelayInbound({ ...fields, buyer_nick: hostile, content: hostile });
          expect(result.ok && result.message.buyerNick).toBe(hostile);
          expect(result.ok && result.message.content).toBe(hostile.trim());
        },
      ),
      { numRuns: 200 },
    );
  });
});
