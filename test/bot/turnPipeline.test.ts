import type { Redis } from 'ioredis';
import pino from 'pino';
import { ConversationLock } from '../../common/conversationLock';
import { ConversationOwnedElsewhereError, ConversationOwners } from '../../bot/conversationOwners';
import { InboundDedupe } from '../../common/inboundDedupe';
import { TurnPipeline } from '../../bot/turnPipeline';
import { testRedis } from '../helpers/redis';

describe('TurnPipeline: a conversation belongs to the channel that first used it', () => {
  let redis: Redis;
  let pipeline: TurnPipeline;
  const IDLE_DAYS = 30;

  beforeEach(() => {
    redis = testRedis();
    pipeline = new TurnPipeline(
      new InboundDedupe(redis),
      new ConversationLock(redis),
      pino({ level: 'silent' }),
      new ConversationOwners(redis, { idleDays: IDLE_DAYS }),
    );
  });
  afterEach(async () => {
    await redis.quit();
  });

  /** This test's keys (KEYS patterns are not prefixed by ioredis; other suites share the server). */
  const ownKeys = async () => (await redis.keys(`${redis.options.keyPrefix ?? ''}*`)).sort();
  const answered = async () => ({ replies: [{ type: 'message', text: 'ok' }] });

  test("another channel's turn for that conversation is refused before anything is recorded", async () => {
    await pipeline.handle({ channel: 'web', conversationId: 'c-1', messageId: 'welcome' }, answered);
    const keysBefore = await ownKeys();
    let ran = false;
    const foreign = pipeline.handle({ channel: 'botframework', conversationId: 'c-1', messageId: 'm-1' }, async () => {
      ran = true;
      return answered();
    });
    await expect(foreign).rejects.toBeInstanceOf(ConversationOwnedElsewhereError);
    await expect(foreign).rejects.toMatchObject({ owner: 'web', channel: 'botframework' });
    expect(ran).toBe(false);
    // No dedupe marker, no lock, no answers: the same keys as before.
    expect(await ownKeys()).toEqual(keysBefore);
    expect(keysBefore.some((key) => key.includes('{c-1}:channel'))).toBe(true);
    // The owner goes on.
    await expect(pipeline.handle({ channel: 'web', conversationId: 'c-1', messageId: 'm-2' }, answered)).resolves.toMatchObject({
      replies: [{ text: 'ok' }],
    });
  });

  test("ownership lasts the conversation's idle time and is refreshed by every turn", async () => {
    await pipeline.handle({ channel: 'web', conversationId: 'c-2' }, answered);
    const unprefixed = 'cs:conv:{c-2}:channel';
    expect(await redis.get(unprefixed)).toBe('web');
    const full = IDLE_DAYS * 24 * 3600;
    expect(await redis.ttl(unprefixed)).toBeGreaterThan(full - 60);
    await redis.expire(unprefixed, 100);
    await pipeline.handle({ channel: 'web', conversationId: 'c-2' }, answered);
    expect(await redis.ttl(unprefixed)).toBeGreaterThan(full - 60);
    // A refused turn does not keep someone else's conversation alive, nor take it over.
    await redis.expire(unprefixed, 100);
    await expect(pipeline.handle({ channel: 'wechat', conversationId: 'c-2' }, answered)).rejects.toBeInstanceOf(
      ConversationOwnedElsewhereError,
    );
    expect(await redis.ttl(unprefixed)).toBeLessThanOrEqual(100);
    expect(await redis.get(unprefixed)).toBe('web');
  });

  test('of two channels racing for a new conversation id, exactly one gets it', async () => {
    const results = await Promise.allSettled(
      ['web', 'botframework', 'web', 'botframework', 'taobao'].map((channel) =>
        pipeline.handle({ channel, conversationId: 'c-3' }, answered),
      ),
    );
    const owner = await new ConversationOwners(redis, { idleDays: IDLE_DAYS }).ownerOf('c-3');
    expect(owner).toBeDefined();
    const channels = ['web', 'botframework', 'web', 'botframework', 'taobao'];
    results.forEach((result, index) => expect(result.status).toBe(channels[index] === owner ? 'fulfilled' : 'rejected'));
  });
});
