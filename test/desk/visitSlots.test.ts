import type { Redis } from 'ioredis';
import { ownerOf } from '../../common/keyOwners';
import { VisitSlots, type EngineerSlot } from '../../desk/visitSlots';
import { testRedis, uniquePrefix } from '../helpers/redis';

/** 2026-12-03 10:00 in Shanghai. */
const T0 = new Date('2026-12-03T02:00:00.000Z');
const friday: EngineerSlot = { engineerId: 'e09', date: '2026-12-04', halfDay: 'pm' };
const saturday: EngineerSlot = { engineerId: 'e09', date: '2026-12-05', halfDay: 'am' };

describe('VisitSlots', () => {
  let redis: Redis;
  let prefix: string;
  let clock: Date;
  let slots: VisitSlots;
  const others: Redis[] = [];

  beforeEach(() => {
    prefix = uniquePrefix();
    redis = testRedis(prefix);
    clock = T0;
    slots = new VisitSlots(redis, { now: () => clock });
  });
  afterEach(async () => {
    await Promise.all([redis, ...others.splice(0)].map((client) => client.quit()));
  });

  test('200 customers at once for a half-day with 20 places: exactly 20 get one, the rest hear it is full', async () => {
    // Ten processes' worth of connections, so the bookings really interleave at the server.
    const clients = Array.from({ length: 10 }, () => testRedis(prefix));
    others.push(...clients);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        new VisitSlots(clients[i % clients.length], { now: () => clock }).book(`S261203-${String(i).padStart(4, '0')}`, friday, 20),
      ),
    );
    const counts = results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.kind]: (acc[r.kind] ?? 0) + 1 }), {});
    expect(counts).toEqual({ booked: 20, full: 180 });
    expect(await slots.taken([friday])).toEqual([20]);
    const holders = await Promise.all(results.map((_, i) => slots.bookingOf(`S261203-${String(i).padStart(4, '0')}`)));
    expect(holders.filter(Boolean)).toHaveLength(20);
  });

  test('the same ticket booking twice keeps one place', async () => {
    expect(await slots.book('S1', friday, 2)).toEqual({ kind: 'booked', slot: friday });
    expect(await slots.book('S1', friday, 2)).toEqual({ kind: 'already', slot: friday });
    expect(await slots.taken([friday])).toEqual([1]);
    // Even when the half-day is full by then, a retry is still told it has its place.
    await slots.book('S2', friday, 2);
    expect(await slots.book('S1', friday, 2)).toEqual({ kind: 'already', slot: friday });
  });

  test('a reschedule frees the old place in the same step; a full new time leaves the old booking', async () => {
    await slots.book('S1', friday, 1);
    await slots.book('S2', saturday, 1);
    expect(await slots.book('S1', saturday, 1)).toEqual({ kind: 'full' });
    expect(await slots.bookingOf('S1')).toEqual(friday);
    await slots.cancel('S2');
    expect(await slots.book('S1', saturday, 1)).toEqual({ kind: 'moved', slot: saturday, from: friday });
    expect(await slots.taken([friday, saturday])).toEqual([0, 1]);
    expect(await slots.book('S3', friday, 1)).toEqual({ kind: 'booked', slot: friday });
  });

  test('cancelling frees the place; cancelling again changes nothing', async () => {
    await slots.book('S1', friday, 1);
    expect(await slots.cancel('S1')).toEqual({ kind: 'cancelled', slot: friday });
    expect(await slots.cancel('S1')).toEqual({ kind: 'none' });
    expect(await slots.bookingOf('S1')).toBeUndefined();
    expect(await slots.book('S2', friday, 1)).toEqual({ kind: 'booked', slot: friday });
  });

  test('a half-day that has begun cannot be booked', async () => {
    clock = new Date('2026-12-04T05:30:00.000Z'); // Friday 13:30 in Shanghai
    expect(await slots.book('S1', friday, 3)).toEqual({ kind: 'past' });
    expect(await slots.taken([friday])).toEqual([0]);
  });

  test('its keys are documented and end a while after the half-day', async () => {
    await slots.book('S1', friday, 1);
    const keys = (await redis.keys(`${prefix}*`)).map((key) => key.slice(prefix.length));
    expect(keys.sort()).toEqual(['cs:visits:{v}:booking:S1', 'cs:visits:{v}:slot:e09:2026-12-04:pm']);
    for (const key of keys) {
      expect(ownerOf(key)?.end).toBe('ttl');
      // Friday 18:00 in Shanghai plus two days.
      expect(await redis.pexpiretime(key)).toBe(Date.parse('2026-12-06T10:00:00.000Z'));
    }
  });
});
