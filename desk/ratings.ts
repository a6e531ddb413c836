import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/** 1 = 非常不满意 … 5 = 非常满意 (the same scale as the dialogs' port). */
export type RatingScore = 1 | 2 | 3 | 4 | 5;
export const RATING_SCORES: readonly RatingScore[] = [1, 2, 3, 4, 5];

/** Longer than any suggestion a customer types in a chat; a pasted essay is refused, not cut. */
export const MAX_RATING_COMMENT = 1000;
/**
 * A second rating this soon after the first is the same rating delivered twice (a retried message,
 * a double tap), not a new opinion: one rating per hand-off is what the appraisal counts.
 */
export const REPEAT_WINDOW_MS = 10 * 60_000;
const MAX_RECENT = 1000;

export interface Rating {
  id: string;
  conversationId: string;
  channel: string;
  score: RatingScore;
  comment?: string;
  /** The agent who served the customer, when the rating follows a hand-off (engineer appraisal). */
  agentId?: string;
  at: string;
}

export interface RatingInput {
  conversationId: string;
  channel: string;
  score: RatingScore;
  comment?: string;
  agentId?: string;
}

export interface RatingSummary {
  count: number;
  /** Rounded to two decimals; 0 when there are no ratings. */
  average: number;
  distribution: Record<RatingScore, number>;
}

export interface RatingStoreOptions {
  now?: () => Date;
}

/** A request the store refuses; `issues` say which field and why, for the console's 4xx answers. */
export class RatingError extends Error {
  override readonly name = 'RatingError';
  constructor(
    readonly code: 'invalid',
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

const nonEmpty = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');

const inputSchema = z
  .object({
    conversationId: nonEmpty,
    channel: nonEmpty,
    score: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)], { error: 'a whole score from 1 to 5' }),
    // An empty comment is no comment: the summary should not count blank suggestions.
    comment: z
      .string()
      .trim()
      .max(MAX_RATING_COMMENT, `at most ${MAX_RATING_COMMENT} characters`)
      .optional()
      .transform((comment) => comment || undefined),
    agentId: nonEmpty.optional(),
  })
  .strict();

const sinceSchema = z.iso.datetime({ offset: true, error: 'an ISO date-time such as 2026-11-01T00:00:00+08:00' });
const limitSchema = z.number().int().min(1).max(MAX_RECENT);

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new RatingError('invalid', `Invalid ${what}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, issues);
}

const conversationRatingsKey = (conversationId: string): string => `cs:conv:{${conversationId}}:ratings`;
/** When the conversation was last rated (epoch ms); same hash slot as its ratings. */
const lastRatedKey = (conversationId: string): string => `cs:conv:{${conversationId}}:ratedAt`;
/** Every rating by time, for the manager's figures; members are the ratings themselves. */
const BY_TIME_KEY = 'cs:ratings:byTime';

/**
 * Appends the rating unless the conversation was rated within the window; either way returns
 * [written (1|0), the rating now on record]. Atomic, so two deliveries of one message cannot both write.
 */
const RECORD_ONCE = `
local last = redis.call('GET', KEYS[2])
if last and tonumber(ARGV[1]) - tonumber(last) < tonumber(ARGV[2]) then
  local existing = redis.call('LINDEX', KEYS[1], -1)
  if existing then return {0, existing} end
end
redis.call('RPUSH', KEYS[1], ARGV[3])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return {1, ARGV[3]}`;

/**
 * 满意度 (CSAT): the customer's score for a conversation, kept for the engineer's and agent's
 * appraisal and the manager's figures. A low score is a complaint lead; nothing here is sampled.
 */
export class RatingStore {
  private readonly now: () => Date;

  constructor(
    private readonly redis: Redis,
    options: RatingStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Records a rating; resolves only once Redis has it. Rating the same conversation again within
   * ten minutes changes nothing and returns the rating already recorded.
   */
  async record(input: RatingInput): Promise<Rating> {
    const valid = parseOrThrow(inputSchema, input, 'rating');
    const at = this.now();
    const rating: Rating = { id: randomUUID(), ...valid, at: at.toISOString() };
    const [, stored] = (await this.redis.eval(
      RECORD_ONCE,
      2,
      conversationRatingsKey(valid.conversationId),
      lastRatedKey(valid.conversationId),
      at.getTime(),
      REPEAT_WINDOW_MS,
      JSON.stringify(rating),
    )) as [number, string];
    const recorded = JSON.parse(stored) as Rating;
    // The index lives on another cluster slot, so it follows the script; a repeat re-adds the same
    // member, which heals an index the first attempt may not have reached.
    await this.redis.zadd(BY_TIME_KEY, Date.parse(recorded.at), stored);
    return recorded;
  }

  /** The conversation's ratings, oldest first. */
  async forConversation(conversationId: string): Promise<Rating[]> {
    const jsons = await this.redis.lrange(conversationRatingsKey(conversationId), 0, -1);
    return jsons.map((json) => JSON.parse(json) as Rating);
  }

  /** The latest ratings, newest first. */
  async recent(limit = 20): Promise<Rating[]> {
    const count = parseOrThrow(limitSchema, limit, 'limit');
    const jsons = await this.redis.zrevrange(BY_TIME_KEY, 0, count - 1);
    return jsons.map((json) => JSON.parse(json) as Rating);
  }

  /** How many ratings, their average and how they spread over the five scores, since a moment if given. */
  async summary(sinceIso?: string): Promise<RatingSummary> {
    const since = sinceIso === undefined ? '-inf' : Date.parse(parseOrThrow(sinceSchema, sinceIso, 'since'));
    const jsons = await this.redis.zrangebyscore(BY_TIME_KEY, since, '+inf');
    const distribution: Record<RatingScore, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
    let total = 0;
    for (const json of jsons) {
      const { score } = JSON.parse(json) as Rating;
      distribution[score] += 1;
      total += score;
    }
    const count = jsons.length;
    return { count, average: count ? Math.round((total / count) * 100) / 100 : 0, distribution };
  }
}
