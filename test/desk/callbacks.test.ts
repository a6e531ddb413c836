import type { Redis } from 'ioredis';
import { CallbackError, CallbackRequests, normalizeCallbackId, type CallbackInput } from '../../desk/callbacks';
import { testRedis } from '../helpers/redis';

/** 2026-11-22 09:30 in Shanghai. */
const T0 = new Date('2026-11-22T01:30:00.000Z');

describe('CallbackRequests', () => {
  let redis: Redis;
  let clock: Date;
  let callbacks: CallbackRequests;

  beforeEach(() => {
    redis = testRedis();
    clock = T0;
    callbacks = new CallbackRequests(redis, { now: () => clock });
  });
  afterEach(async () => {
    await redis.quit();
  });

  const input = (over: Partial<CallbackInput> = {}): CallbackInput => ({
    conversationId: 'conv-1',
    channel: 'wechat',
    phone: '13800138000',
    ...over,
  });

  test('registers an open call-back numbered by the day and a daily counter, kept in Redis', async () => {
    const callback = await callbacks.create(input({ note: 'afterHours' }));
    expect(callback).toEqual({
      id: 'C261122-0001',
      conversationId: 'conv-1',
      channel: 'wechat',
      phone: '13800138000',
      note: 'afterHours',
      status: 'open',
      createdAt: T0.toISOString(),
    });
    expect(await new CallbackRequests(redis).get('C261122-0001')).toEqual(callback);
  });

  test('phones are stored as the bare 11 digits however they are written', async () => {
    const callback = await callbacks.create(input({ phone: '+86 138-0013-8000' }));
    expect(callback.phone).toBe('13800138000');
  });

  test.each([
    ['a landline', { phone: '021-12345678' }],
    ['too few digits', { phone: '1380013800' }],
    ['a number starting 12', { phone: '12800138000' }],
    ['no conversation', { conversationId: '' }],
    ['a note longer than 500 characters', { note: 'x'.repeat(501) }],
  ])('refuses %s and registers nothing', async (_what, bad) => {
    const attempt = callbacks.create({ ...input(), ...bad });
    await expect(attempt).rejects.toBeInstanceOf(CallbackError);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid' });
    expect(await callbacks.open()).toEqual([]);
  });

  test('the counter runs per day in the desk’s time zone and starts again the next day', async () => {
    const first = await callbacks.create(input({ conversationId: 'a' }));
    const second = await callbacks.create(input({ conversationId: 'b' }));
    // 23:59 in Shanghai is still the 22nd; 00:01 the next morning is the 23rd (UTC still says the 22nd).
    clock = new Date('2026-11-22T15:59:00.000Z');
    const late = await callbacks.create(input({ conversationId: 'c' }));
    clock = new Date('2026-11-22T16:01:00.000Z');
    const nextDay = await callbacks.create(input({ conversationId: 'd' }));
    expect([first.id, second.id, late.id, nextDay.id]).toEqual(['C261122-0001', 'C261122-0002', 'C261122-0003', 'C261123-0001']);
  });

  test('another time zone dates the ids by its own calendar; an unknown zone is refused', async () => {
    const utc = new CallbackRequests(redis, { now: () => new Date('2026-11-22T16:01:00.000Z'), timeZone: 'UTC' });
    expect((await utc.create(input())).id).toBe('C261122-0001');
    expect(() => new CallbackRequests(redis, { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });

  test('asking again while one is open returns the open one, even with another number', async () => {
    const first = await callbacks.create(input());
    const again = await callbacks.create(input({ phone: '13900139000' }));
    expect(again).toEqual(first);
    expect(await callbacks.open()).toEqual([first]);
  });

  test('two requests of one conversation at the same moment make one call-back', async () => {
    const results = await Promise.all([callbacks.create(input()), callbacks.create(input()), callbacks.create(input())]);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await callbacks.open()).toHaveLength(1);
  });

  test('open lists the call-backs still to make, oldest first; done takes one off, naming who and when', async () => {
    const a = await callbacks.create(input({ conversationId: 'a' }));
    clock = new Date(T0.getTime() + 60_000);
    const b = await callbacks.create(input({ conversationId: 'b' }));
    expect((await callbacks.open()).map((c) => c.id)).toEqual([a.id, b.id]);

    clock = new Date(T0.getTime() + 120_000);
    const done = await callbacks.done(a.id, 'agent.wang');
    expect(done).toEqual({ ...a, status: 'done', doneAt: clock.toISOString(), doneBy: 'agent.wang' });
    expect(await callbacks.get(a.id)).toEqual(done);
    expect((await callbacks.open()).map((c) => c.id)).toEqual([b.id]);
  });

  test('marking done twice keeps the first; unknown ids and a missing agent are refused', async () => {
    const a = await callbacks.create(input());
    const first = await callbacks.done(a.id, 'agent.wang');
    clock = new Date(T0.getTime() + 600_000);
    expect(await callbacks.done(a.id, 'agent.li')).toEqual(first);
    await expect(callbacks.done('C261122-0999', 'agent.wang')).rejects.toMatchObject({ code: 'notFound' });
    await expect(callbacks.done('nonsense', 'agent.wang')).rejects.toMatchObject({ code: 'notFound' });
    await expect(callbacks.done(a.id, ' ')).rejects.toMatchObject({ code: 'invalid' });
  });

  test('after the call-back is done, the same conversation can ask for a new one', async () => {
    const first = await callbacks.create(input());
    await callbacks.done(first.id, 'agent.wang');
    const second = await callbacks.create(input());
    expect(second.id).toBe('C261122-0002');
    expect(second.status).toBe('open');
  });

  test('ids are found however the customer types them', async () => {
    const a = await callbacks.create(input());
    expect((await callbacks.get('c2611220001'))?.id).toBe(a.id);
    expect((await callbacks.get(' Ｃ261122－0001 '))?.id).toBe(a.id);
    expect(await callbacks.get('S261122-0001')).toBeUndefined();
    expect(normalizeCallbackId('C261122-12345')).toBe('C261122-12345');
  });

  test("an open call-back is kept; done, it lives keepDoneSeconds; the conversation's pointer lives its idle time", async () => {
    const short = new CallbackRequests(redis, { now: () => clock, conversationIdleSeconds: 600, keepDoneSeconds: 3600 });
    const callback = await short.create(input({ conversationId: 'conv-ttl' }));
    expect(await redis.ttl(`cs:callback:{${callback.id}}`)).toBe(-1);
    const pointerTtl = await redis.ttl('cs:conv:{conv-ttl}:callback');
    expect(pointerTtl).toBeGreaterThan(500);
    expect(pointerTtl).toBeLessThanOrEqual(600);
    await short.done(callback.id, 'agent1');
    const doneTtl = await redis.ttl(`cs:callback:{${callback.id}}`);
    expect(doneTtl).toBeGreaterThan(3500);
    expect(doneTtl).toBeLessThanOrEqual(3600);
    expect(await redis.exists('cs:conv:{conv-ttl}:callback')).toBe(0);
  });

  test("openFor: the conversation's call-back while it is still to be made, and nothing once done", async () => {
    expect(await callbacks.openFor('conv-1')).toBeUndefined();
    const callback = await callbacks.create(input());
    expect(await callbacks.openFor('conv-1')).toEqual(callback);
    expect(await callbacks.openFor('conv-2')).toBeUndefined();
    await callbacks.done(callback.id, 'agent1');
    expect(await callbacks.openFor('conv-1')).toBeUndefined();
  });
});
