import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Taobao Open Platform (TOP) request signatures (docs/protocols.md §4). The same scheme signs our calls
 * to the TOP gateway, the chat relay's messages to us, and our pushes back to the relay.
 */

export type SignMethod = 'md5' | 'hmac' | 'hmac-sha256';
export const SIGN_METHODS: readonly SignMethod[] = ['md5', 'hmac', 'hmac-sha256'];

export const TOP_API_VERSION = '2.0';
/** TOP rejects requests whose timestamp is further than this from its clock; so do we. */
export const DEFAULT_MAX_SKEW_MS = 10 * 60_000;

/** Beijing time has no daylight saving, so a fixed offset is exact. */
const GMT8_OFFSET_MS = 8 * 3_600_000;
const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

export function isSignMethod(value: unknown): value is SignMethod {
  return typeof value === 'string' && (SIGN_METHODS as readonly string[]).includes(value);
}

/** Code-unit comparison, because TOP sorts by ASCII (uppercase before lowercase), not by locale. */
function asciiCompare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The string TOP signs: every non-empty parameter except `sign`, sorted, as name1value1name2value2… */
function canonicalString(params: Record<string, string | undefined>): string {
  return Object.keys(params)
    .filter((name) => name !== 'sign' && params[name] !== undefined && params[name] !== '')
    .sort(asciiCompare)
    .map((name) => `${name}${params[name]}`)
    .join('');
}

/** All params except `sign` and empty values, sorted by name (ASCII), name1value1name2value2…, UTF-8; uppercase hex. */
export function topSign(params: Record<string, string | undefined>, secret: string, method: SignMethod): string {
  const text = canonicalString(params);
  switch (method) {
    case 'md5':
      return createHash('md5').update(`${secret}${text}${secret}`, 'utf8').digest('hex').toUpperCase();
    case 'hmac':
      return createHmac('md5', secret).update(text, 'utf8').digest('hex').toUpperCase();
    case 'hmac-sha256':
      return createHmac('sha256', secret).update(text, 'utf8').digest('hex').toUpperCase();
  }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** 'yyyy-MM-dd HH:mm:ss' in GMT+8, whatever the process's TZ. */
export function formatTopTimestamp(date: Date): string {
  const d = new Date(date.getTime() + GMT8_OFFSET_MS);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** The instant a GMT+8 'yyyy-MM-dd HH:mm:ss' names; undefined for anything else, including impossible dates. */
export function parseTopTimestamp(text: string): Date | undefined {
  const m = TIMESTAMP_PATTERN.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s) - GMT8_OFFSET_MS);
  // Date.UTC rolls 02-30 over to 03-01; formatting back exposes that instead of accepting it.
  return formatTopTimestamp(date) === text ? date : undefined;
}

export type Verification = { ok: true } | { ok: false; reason: string };

function sameSign(given: string, expected: string): boolean {
  const a = Buffer.from(given.toUpperCase(), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function checkSkew(sentAt: Date, now: Date, maxSkewMs: number): Verification {
  const ahead = sentAt.getTime() - now.getTime();
  if (ahead > maxSkewMs) return { ok: false, reason: 'timestamp is too far in the future' };
  if (-ahead > maxSkewMs) return { ok: false, reason: 'timestamp is too old' };
  return { ok: true };
}

/** Checks sign_method is known, sign present and equal (timing-safe, case-insensitive), timestamp well formed and within maxSkewMs (default 10 min) of now, both directions. */
export function verifyTopRequest(
  params: Record<string, string | undefined>,
  secret: string,
  options: { now?: Date; maxSkewMs?: number } = {},
): Verification {
  const method = params.sign_method;
  if (!method) return { ok: false, reason: 'missing sign_method' };
  if (!isSignMethod(method)) return { ok: false, reason: 'unknown sign_method' };
  const sign = params.sign;
  if (!sign) return { ok: false, reason: 'missing sign' };
  if (!params.timestamp) return { ok: false, reason: 'missing timestamp' };
  const sentAt = parseTopTimestamp(params.timestamp);
  if (!sentAt) return { ok: false, reason: 'malformed timestamp' };
  // The signature is checked before the clock so that a skew reason is only ever given to a
  // genuine sender (for whom it is a useful hint about their clock).
  if (!sameSign(sign, topSign(params, secret, method))) return { ok: false, reason: 'sign mismatch' };
  return checkSkew(sentAt, options.now ?? new Date(), options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS);
}

/** Adds app_key, timestamp, sign_method, v=2.0 and sign to business params. */
export function signedParams(
  business: Record<string, string>,
  options: { appKey: string; secret: string; method?: SignMethod; now?: Date },
): Record<string, string> {
  const method = options.method ?? 'hmac-sha256';
  // System parameters come last so that a business field can never impersonate one.
  const params: Record<string, string> = {
    ...business,
    app_key: options.appKey,
    timestamp: formatTopTimestamp(options.now ?? new Date()),
    sign_method: method,
    v: TOP_API_VERSION,
  };
  return { ...params, sign: topSign(params, options.secret, method) };
}
