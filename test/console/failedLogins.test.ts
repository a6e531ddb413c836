import type { Redis } from 'ioredis';
import { FailedLogins, maskAddress, mergeFailedLogins } from '../../console/failedLogins';
import { testRedis } from '../helpers/redis';

describe('maskAddress', () => {
  test.each([
    ['203.0.113.7', '203.0.113.*'],
    ['2001:db8:85a3::8a2e:370:7334', '2001:db8:85a3:*'],
    ['2001:0DB8::1', '2001:db8:0:*'],
    ['::1', '0:0:0:*'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:*'],
    ['unknown', '未知地址'],
  ])('%s → %s', (address, masked) => {
    expect(maskAddress(address)).toBe(masked);
  });
});

describe('FailedLogins', () => {
  let redis: Redis;
  beforeEach(() => {
    redis = testRedis();
  });
  afterEach(async () => {
    await redis.quit();
  });

  test('counts, keeps the first and last time and a few masked addresses, and is taken once', async () => {
    let clock = new Date('2026-11-22T02:00:00.000Z');
    const store = new FailedLogins(redis, { now: () => clock });
    for (const address of ['203.0.113.7', '203.0.113.8', '198.51.100.1', '192.0.2.1', '192.0.2.2', '192.0.3.1', '192.0.4.1', '192.0.5.1']) {
      await store.record('Alice', address);
      clock = new Date(clock.getTime() + 60_000);
    }
    const summary = await store.peek('alice');
    expect(summary).toEqual({
      count: 8,
      firstAt: '2026-11-22T02:00:00.000Z',
      lastAt: '2026-11-22T02:07:00.000Z',
      addresses: ['192.0.5.*', '192.0.4.*', '192.0.3.*', '192.0.2.*', '198.51.100.*'],
    });
    expect(await store.take('ALICE')).toEqual(summary);
    expect(await store.take('alice')).toBeUndefined();
  });

  test('merging a session’s report with newer failures', () => {
    const earlier = { count: 2, firstAt: '2026-11-22T01:00:00.000Z', lastAt: '2026-11-22T01:05:00.000Z', addresses: ['203.0.113.*'] };
    const later = {
      count: 1,
      firstAt: '2026-11-22T03:00:00.000Z',
      lastAt: '2026-11-22T03:00:00.000Z',
      addresses: ['198.51.100.*', '203.0.113.*'],
    };
    expect(mergeFailedLogins(earlier, later)).toEqual({
      count: 3,
      firstAt: earlier.firstAt,
      lastAt: later.lastAt,
      addresses: ['198.51.100.*', '203.0.113.*'],
    });
    expect(mergeFailedLogins(undefined, later)).toBe(later);
    expect(mergeFailedLogins(undefined, undefined)).toBeUndefined();
  });
});
