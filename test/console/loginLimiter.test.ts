import type { Redis } from 'ioredis';
import { LoginLimiter, type LoginLimits, type LoginRefusal } from '../../console/loginLimiter';
import { testRedis } from '../helpers/redis';
import { until } from '../helpers/until';

// Small numbers, same shape as the defaults (5 per pair, 30 per address, 100 per name).
const LIMITS: LoginLimits = {
  pairMaxFailures: 3,
  pairWindowSeconds: 60,
  pairLockSeconds: 60,
  addressMaxFailures: 5,
  addressWindowSeconds: 120,
  nameCeiling: 6,
  nameWindowSeconds: 60,
  maxDelaySeconds: 60,
};

type Step = ['fail' | 'succeed', string, string];
interface Expectation {
  user: string;
  address: string;
  allowed: boolean;
  reason?: LoginRefusal;
  /** Retry-After lies in [min, max] seconds. */
  retry?: [number, number];
}

const fails = (user: string, addresses: string[]): Step[] => addresses.map((address) => ['fail', user, address]);
const range = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);

const cases: Array<{ name: string; steps: Step[]; expect: Expectation[] }> = [
  {
    name: 'failures in a row lock that name from that address only',
    steps: fails('alice', ['10.0.0.1', '10.0.0.1', '10.0.0.1']),
    expect: [
      { user: 'alice', address: '10.0.0.1', allowed: false, reason: 'pair', retry: [59, 60] },
      { user: 'alice', address: '10.0.0.2', allowed: true },
      { user: 'bob', address: '10.0.0.1', allowed: true },
    ],
  },
  {
    name: 'a right password ends the run of failures',
    steps: [...fails('alice', ['10.0.0.1', '10.0.0.1']), ['succeed', 'alice', '10.0.0.1'], ...fails('alice', ['10.0.0.1', '10.0.0.1'])],
    expect: [{ user: 'alice', address: '10.0.0.1', allowed: true }],
  },
  {
    name: 'one address failing over many names is locked for every name, others are not',
    steps: range('n', 5).flatMap((user) => fails(user, ['10.0.0.9'])),
    expect: [
      { user: 'alice', address: '10.0.0.9', allowed: false, reason: 'address', retry: [119, 120] },
      { user: 'alice', address: '10.0.0.2', allowed: true },
    ],
  },
  {
    name: 'one valid account does not wipe the address’s count',
    steps: [...range('n', 4).flatMap((user) => fails(user, ['10.0.0.9'])), ['succeed', 'alice', '10.0.0.9'], ['fail', 'n5', '10.0.0.9']],
    expect: [{ user: 'alice', address: '10.0.0.9', allowed: false, reason: 'address' }],
  },
  {
    name: 'names count without regard to case',
    steps: [...fails('Alice', ['10.0.0.1']), ...fails('ALICE', ['10.0.0.1']), ...fails('alice', ['10.0.0.1'])],
    expect: [{ user: 'aLiCe', address: '10.0.0.1', allowed: false, reason: 'pair' }],
  },
  {
    name: 'a name failing from many addresses slows the failing address, never one that has not failed',
    steps: fails('alice', range('10.1.0.', 7)),
    expect: [
      { user: 'alice', address: '10.1.0.7', allowed: false, reason: 'slowed', retry: [1, 2] },
      { user: 'alice', address: '10.1.0.1', allowed: true },
      { user: 'alice', address: '10.9.9.9', allowed: true },
      { user: 'bob', address: '10.1.0.7', allowed: true },
    ],
  },
  {
    name: 'the wait doubles with each failure over the ceiling, up to the longest',
    steps: fails('alice', range('10.1.0.', 12)),
    expect: [
      { user: 'alice', address: '10.1.0.11', allowed: false, reason: 'slowed', retry: [31, 32] },
      { user: 'alice', address: '10.1.0.12', allowed: false, reason: 'slowed', retry: [59, 60] },
      { user: 'alice', address: '10.9.9.9', allowed: true },
    ],
  },
  {
    name: 'a right password ends the address’s wait',
    steps: [...fails('alice', range('10.1.0.', 8)), ['succeed', 'alice', '10.1.0.8']],
    expect: [{ user: 'alice', address: '10.1.0.8', allowed: true }],
  },
];

describe('LoginLimiter', () => {
  let redis: Redis;
  beforeEach(() => {
    redis = testRedis();
  });
  afterEach(async () => {
    await redis.quit();
  });

  test.each(cases)('$name', async ({ steps, expect: expectations }) => {
    const limiter = new LoginLimiter(redis, LIMITS);
    for (const [action, user, address] of steps) {
      if (action === 'fail') await limiter.failed(user, address);
      else await limiter.succeeded(user, address);
    }
    for (const { user, address, allowed, reason, retry } of expectations) {
      const check = await limiter.check(user, address);
      expect({ user, address, allowed: check.allowed }).toEqual({ user, address, allowed });
      if (check.allowed) continue;
      if (reason) expect(check.reason).toBe(reason);
      if (retry) {
        expect(check.retryAfterSeconds).toBeGreaterThanOrEqual(retry[0]);
        expect(check.retryAfterSeconds).toBeLessThanOrEqual(retry[1]);
      }
    }
  });

  test('each lock is reported once, by the failure that causes it', async () => {
    const limiter = new LoginLimiter(redis, LIMITS);
    const pair = [];
    for (let i = 0; i < 3; i += 1) pair.push(await limiter.failed('alice', '10.0.0.1'));
    expect(pair.map((failure) => failure.pairLocked)).toEqual([false, false, true]);
    const others = [];
    for (const user of ['n1', 'n2']) others.push(await limiter.failed(user, '10.0.0.1'));
    expect(others.map((failure) => failure.addressLocked)).toEqual([false, true]);
    const spread = [];
    for (const address of range('10.2.0.', 5)) spread.push(await limiter.failed('alice', address));
    // alice had 3 failures already: the 7th overall is the first over the ceiling of 6.
    expect(spread.map((failure) => failure.nameSlowed)).toEqual([false, false, false, true, false]);
    expect(spread.map((failure) => failure.delaySeconds)).toEqual([undefined, undefined, undefined, 2, 4]);
  });

  test('a lock ends by itself, and every key it made expires', async () => {
    const limiter = new LoginLimiter(redis, { ...LIMITS, pairLockSeconds: 2, nameCeiling: 1, maxDelaySeconds: 2 });
    for (let i = 0; i < 3; i += 1) await limiter.failed('alice', '10.0.0.1');
    expect(await limiter.check('alice', '10.0.0.1')).toMatchObject({ allowed: false });
    const keys = await redis.keys(`${redis.options.keyPrefix ?? ''}*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(await redis.ttl(key.slice((redis.options.keyPrefix ?? '').length))).toBeGreaterThan(0);
    await until(async () => (await limiter.check('alice', '10.0.0.1')).allowed, 'the pair lock to end', 5000);
  });
});
