/**
 * The rate limits a deployment sets with `RATE_LIMITS` (docs: README, Configuration). Each is
 * "so many points in so many seconds"; a request over it waits `Retry-After` seconds.
 */
export const RATE_LIMIT_DEFAULTS = {
  /** New web conversations from one client address (a shop behind one NAT has many customers). */
  webConversationsPerIp: { points: 60, seconds: 600 },
  /** Messages in one web conversation: a person types at most about one a second, with bursts. */
  messagesPerConversation: { points: 30, seconds: 30 },
  /** Messages from one client address over all its conversations. */
  messagesPerIp: { points: 600, seconds: 60 },
  /** Messages from one customer of WeChat, WeCom or Taobao (never per the platform's address). */
  messagesPerChannelCustomer: { points: 30, seconds: 30 },
  /** Console API calls in one signed-in session. */
  consolePerSession: { points: 600, seconds: 60 },
} as const;

export type RateLimitName = keyof typeof RATE_LIMIT_DEFAULTS;

export interface RateLimit {
  points: number;
  seconds: number;
}

export type RateLimitSettings = Record<RateLimitName, RateLimit>;

const NAMES = Object.keys(RATE_LIMIT_DEFAULTS) as RateLimitName[];

/**
 * Reads `RATE_LIMITS`: unset or "on" → the defaults; "off" → none (load benchmarks on loopback);
 * otherwise overrides such as "messagesPerConversation=20/30,webConversationsPerIp=100/600".
 * Throws with the reason for anything else.
 */
export function parseRateLimits(spec: string | undefined): RateLimitSettings | undefined {
  const text = (spec ?? '').trim();
  if (text === 'off') return undefined;
  const settings: RateLimitSettings = { ...RATE_LIMIT_DEFAULTS };
  if (text === '' || text === 'on') return settings;
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z]+)=(\d+)\/(\d+)$/.exec(part);
    if (!match) throw new Error(`"${part}" must look like name=points/seconds`);
    const name = match[1] as RateLimitName;
    if (!NAMES.includes(name)) throw new Error(`"${match[1]}" is not a rate limit (known: ${NAMES.join(', ')})`);
    const points = Number(match[2]);
    const seconds = Number(match[3]);
    if (points < 1 || seconds < 1 || seconds > 86_400) throw new Error(`"${part}" needs at least 1 point and 1–86400 seconds`);
    settings[name] = { points, seconds };
  }
  return settings;
}
