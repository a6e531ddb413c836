import type { Redis } from 'ioredis';
import { RatingError, RatingStore, type RatingInput } from '../../desk/ratings';
import { testRedis } from '../helpers/redis';

const T0 = new Date('2026-11-22T06:00:00.000Z');
const minutes = (n: number): number => n * 60_000;

describe('RatingStore', () => {
  let redis: Redis;
  let clock: Date;
  let store: RatingStore;

  beforeEach(() => {
    redis = testRedis();
    clock = T0;
    store = new RatingStore(redis, { now: () => clock });
  });
  afterEach(async () => {
    await redis.quit();
  });

  const input = (over: Partial<RatingInput> = {}): RatingInput => ({ conversationId: 'conv-1', channel: 'web', score: 4, ...over });

  test('records a rating with its time, and finds it again from Redis through another instance', async () => {
    const rating = await store.record(input({ score: 2, comment: '  等太久了  ', agentId: 'li.lei' }));
    expect(rating).toMatchObject({
      conversationId: 'conv-1',
      channel: 'web',
      score: 2,
      comment: '等太久了',
      agentId: 'li.lei',
      at: T0.toISOString(),
    });
    expect(rating.id).toEqual(expect.any(String));
    const fresh = new RatingStore(redis);
    expect(await fresh.forConversation('conv-1')).toEqual([rating]);
    expect(await fresh.recent()).toEqual([rating]);
  });

  test('a blank comment and a missing agent are simply absent', async () => {
    const rating = await store.record(input({ comment: '   ', agentId: undefined }));
    expect(rating).not.toHaveProperty('comment');
    expect(rating).not.toHaveProperty('agentId');
  });

  test.each([
    ['a score of 0', { score: 0 }],
    ['a score of 6', { score: 6 }],
    ['a fractional score', { score: 4.5 }],
    ['a score as text', { score: '5' }],
    ['an empty conversation id', { conversationId: '  ' }],
    ['no channel', { channel: undefined }],
    ['a comment longer than 1000 characters', { comment: '差'.repeat(1001) }],
    ['an unknown field', { engineer: 'x' }],
  ])('refuses %s and stores nothing', async (_what, bad) => {
    const attempt = store.record({ ...input(), ...bad } as unknown as RatingInput);
    await expect(attempt).rejects.toBeInstanceOf(RatingError);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid' });
    expect(await store.recent()).toEqual([]);
    expect(await store.forConversation('conv-1')).toEqual([]);
  });

  test('rating the same conversation again within ten minutes changes nothing and returns the first rating', async () => {
    const first = await store.record(input({ score: 5 }));
    clock = new Date(T0.getTime() + minutes(9));
    const again = await store.record(input({ score: 1, comment: '改主意了' }));
    expect(again).toEqual(first);
    expect(await store.forConversation('conv-1')).toEqual([first]);
    expect((await store.summary()).count).toBe(1);
  });

  test('two deliveries of the same rating at once write it once', async () => {
    const [a, b] = await Promise.all([store.record(input()), store.record(input())]);
    expect(a).toEqual(b);
    expect(await store.forConversation('conv-1')).toHaveLength(1);
    expect(await store.recent()).toHaveLength(1);
  });

  test('a later hand-off (after ten minutes) gets its own rating; other conversations are independent', async () => {
    const first = await store.record(input({ score: 2 }));
    const other = await store.record(input({ conversationId: 'conv-2', score: 5 }));
    clock = new Date(T0.getTime() + minutes(11));
    const second = await store.record(input({ score: 4 }));
    expect(second.id).not.toBe(first.id);
    expect(await store.forConversation('conv-1')).toEqual([first, second]);
    expect(await store.forConversation('conv-2')).toEqual([other]);
  });

  test('recent lists newest first, up to the limit, and refuses a silly limit', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      clock = new Date(T0.getTime() + minutes(i));
      ids.push((await store.record(input({ conversationId: `conv-${i}` }))).id);
    }
    expect((await store.recent(3)).map((r) => r.id)).toEqual([ids[3], ids[2], ids[1]]);
    await expect(store.recent(0)).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.recent(2.5)).rejects.toMatchObject({ code: 'invalid' });
  });

  test('summary counts, averages and spreads the scores, optionally since a moment', async () => {
    expect(await store.summary()).toEqual({ count: 0, average: 0, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } });
    const scores = [5, 5, 4, 1, 3, 5] as const;
    for (const [i, score] of scores.entries()) {
      clock = new Date(T0.getTime() + minutes(i * 60));
      await store.record(input({ conversationId: `c${i}`, score }));
    }
    expect(await store.summary()).toEqual({ count: 6, average: 3.83, distribution: { 1: 1, 2: 0, 3: 1, 4: 1, 5: 3 } });
    // From the fourth rating on (T0 + 3 h), in the desk's own zone.
    expect(await store.summary('2026-11-22T17:00:00+08:00')).toEqual({
      count: 3,
      average: 3,
      distribution: { 1: 1, 2: 0, 3: 1, 4: 0, 5: 1 },
    });
    await expect(store.summary('yesterday')).rejects.toMatchObject({ code: 'invalid' });
  });
});
