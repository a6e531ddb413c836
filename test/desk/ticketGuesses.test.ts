import type { Redis } from 'ioredis';
import { SecurityEvents } from '../../desk/securityEvents';
import { TicketGuesses, type TicketAsker, type TicketGuessLimits, type TicketGuessTry } from '../../desk/ticketGuesses';
import { testRedis } from '../helpers/redis';
import { until } from '../helpers/until';

const asker = (n: number, channel = 'web'): TicketAsker => ({ channel, userId: `user-${n}-0123456789`, conversationId: `conv-${n}` });

describe('TicketGuesses', () => {
  let redis: Redis;
  let events: SecurityEvents;
  let warnings: Array<Record<string, unknown>>;
  const guesses = (limits: Partial<TicketGuessLimits> = {}): TicketGuesses =>
    new TicketGuesses(redis, { events, logger: { warn: (details) => void warnings.push(details as Record<string, unknown>) }, limits });

  beforeEach(() => {
    redis = testRedis();
    events = new SecurityEvents(redis);
    warnings = [];
  });
  afterEach(async () => {
    await redis.quit();
  });

  /** One whole try: let through (or not), then settled as a match or a miss. */
  async function attempt(store: TicketGuesses, ticketId: string, who: TicketAsker, matched: boolean) {
    const begun = await store.begin(ticketId, who);
    if (!begun.allowed) return begun;
    return { ...(await store.settle(begun, matched, { maskedPhone: '138****5678' })), allowed: true as const };
  }

  test('three misses from three customers pause the ticket for everyone, the right digits included; other tickets go on', async () => {
    const store = guesses();
    expect(await attempt(store, 'S261122-0001', asker(1), false)).toEqual({ allowed: true, locked: false });
    expect(await attempt(store, 'S261122-0001', asker(2), false)).toEqual({ allowed: true, locked: false });
    expect(await attempt(store, 'S261122-0001', asker(3), false)).toEqual({ allowed: true, locked: 'ticket', lockedSeconds: 900 });
    const owner = await store.begin('S261122-0001', asker(4, 'wechat'));
    expect(owner).toMatchObject({ allowed: false, lockedBy: 'ticket' });
    expect(owner.allowed === false && owner.retryAfterSeconds).toBeGreaterThan(895);
    expect(await store.begin('S261122-0002', asker(1))).toMatchObject({ allowed: true });

    expect(warnings).toEqual([
      expect.objectContaining({ event: 'ticket.ticketLookupLocked', ticketId: 'S261122-0001', failures: 3, lockedSeconds: 900 }),
    ]);
    expect(await events.recent()).toEqual([
      expect.objectContaining({
        kind: 'ticketLookupLocked',
        subject: 'S261122-0001',
        channel: 'web',
        maskedPhone: '138****5678',
        failures: 3,
        lockedSeconds: 900,
      }),
    ]);
  });

  test('a match forgets the ticket’s misses; the last free try, if right, lifts the pause it set', async () => {
    const store = guesses();
    await attempt(store, 'S261122-0001', asker(1), false);
    await attempt(store, 'S261122-0001', asker(1), false);
    expect(await attempt(store, 'S261122-0001', asker(2), true)).toEqual({ allowed: true, locked: false });
    await attempt(store, 'S261122-0001', asker(1), false);
    await attempt(store, 'S261122-0001', asker(1), false);
    expect(await store.begin('S261122-0001', asker(3))).toMatchObject({ allowed: true, lastFree: true });
    // That try is still open: meanwhile everyone else waits.
    expect(await store.begin('S261122-0001', asker(4))).toMatchObject({ allowed: false, lockedBy: 'ticket' });
  });

  test('the last free try settled as a match ends the pause at once', async () => {
    const store = guesses();
    await attempt(store, 'S261122-0001', asker(1), false);
    await attempt(store, 'S261122-0001', asker(2), false);
    const last = (await store.begin('S261122-0001', asker(3))) as TicketGuessTry;
    expect(last.lastFree).toBe(true);
    expect(await store.settle(last, true)).toEqual({ locked: false });
    expect(await store.begin('S261122-0001', asker(4))).toMatchObject({ allowed: true, lastFree: false });
    expect(warnings).toEqual([]);
  });

  test('after a pause ends, the next miss pauses the ticket again', async () => {
    const store = guesses({ ticketLockSeconds: 2 });
    for (let n = 1; n <= 3; n += 1) await attempt(store, 'S261122-0001', asker(n), false);
    expect(await store.begin('S261122-0001', asker(4))).toMatchObject({ allowed: false });
    const reopened = await until(
      async () => {
        const begun = await store.begin('S261122-0001', asker(5));
        return begun.allowed ? begun : undefined;
      },
      'the pause to end',
      5000,
    );
    expect(await store.settle(reopened, false)).toEqual({ locked: 'ticket', lockedSeconds: 2 });
    expect(await store.begin('S261122-0001', asker(6))).toMatchObject({ allowed: false, lockedBy: 'ticket' });
  });

  test('one customer missing on many tickets is paused on every ticket, longer each time; others are not', async () => {
    const store = guesses();
    const wechatUser = asker(7, 'wechat');
    const outcomes = [];
    for (let n = 1; n <= 5; n += 1) outcomes.push(await attempt(store, `S261122-010${n}`, wechatUser, false));
    expect(outcomes.slice(0, 4).every((outcome) => outcome.allowed && outcome.locked === false)).toBe(true);
    expect(outcomes[4]).toEqual({ allowed: true, locked: 'customer', lockedSeconds: 900 });
    expect(await store.begin('S261122-0999', wechatUser)).toMatchObject({ allowed: false, lockedBy: 'customer' });
    expect(await store.begin('S261122-0101', asker(8, 'wechat'))).toMatchObject({ allowed: true });
    expect(await events.recent()).toEqual([
      expect.objectContaining({ kind: 'customerLookupLocked', subject: 'user…6789', channel: 'wechat', failures: 5, lockedSeconds: 900 }),
    ]);

    // The pause over, the next miss doubles it.
    await redis.del(`cs:ticketGuess:customer:{${encodeURIComponent('wechat:user-7-0123456789')}}:lock`);
    expect(await attempt(store, 'S261122-0106', wechatUser, false)).toEqual({ allowed: true, locked: 'customer', lockedSeconds: 1800 });
  });

  test('tries sent at once from many conversations: only three are let through', async () => {
    const store = guesses();
    const begun = await Promise.all(Array.from({ length: 12 }, (_, n) => store.begin('S261122-0042', asker(n))));
    expect(begun.filter((b) => b.allowed)).toHaveLength(3);
    expect(begun.filter((b) => !b.allowed && b.lockedBy === 'ticket')).toHaveLength(9);
  });

  test('every key it makes expires', async () => {
    const store = guesses();
    // A paused ticket and a paused customer: every kind of key there is.
    for (const ticketId of ['S261122-0001', 'S261122-0001', 'S261122-0001', 'S261122-0002', 'S261122-0003'])
      await attempt(store, ticketId, asker(1), false);
    const prefix = redis.options.keyPrefix ?? '';
    // KEYS takes its pattern as given (no prefix added), and answers whole key names.
    const keys = (await redis.keys(`${prefix}*`)).map((key) => key.slice(prefix.length));
    expect(keys.length).toBe(7);
    for (const key of keys) expect({ key, ttl: await redis.ttl(key) }).toEqual({ key, ttl: expect.any(Number) });
    for (const key of keys) expect(await redis.ttl(key)).toBeGreaterThan(0);
  });
});

describe('SecurityEvents', () => {
  let redis: Redis;
  beforeEach(() => {
    redis = testRedis();
  });
  afterEach(async () => {
    await redis.quit();
  });

  test('newest first, capped, expiring, and an entry that does not read back is left out', async () => {
    const events = new SecurityEvents(redis, { maxEntries: 3, ttlSeconds: 60 });
    for (let n = 1; n <= 5; n += 1)
      await events.record({ kind: 'ticketLookupLocked', subject: `S261122-000${n}`, failures: 3, lockedSeconds: 900 });
    expect((await events.recent()).map((event) => event.subject)).toEqual(['S261122-0005', 'S261122-0004', 'S261122-0003']);
    expect(await redis.ttl('cs:security:events')).toBeGreaterThan(50);
    await redis.lpush('cs:security:events', 'not json', JSON.stringify({ kind: 'somethingElse' }));
    expect((await events.recent()).map((event) => event.subject)).toEqual(['S261122-0005', 'S261122-0004', 'S261122-0003']);
  });
});
