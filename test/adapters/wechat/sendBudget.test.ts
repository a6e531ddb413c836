import type { Redis } from 'ioredis';
import { WechatSendBudget } from '../../../adapters/wechat/sendBudget';
import { testRedis, uniquePrefix } from '../../helpers/redis';

const HOUR = 3600 * 1000;

describe('WechatSendBudget', () => {
  let prefix: string;
  // Two connections on one prefix stand for two processes of the service.
  let redisA: Redis;
  let redisB: Redis;
  let clock: number;
  let budget: WechatSendBudget;
  let otherProcess: WechatSendBudget;

  beforeEach(() => {
    prefix = uniquePrefix();
    redisA = testRedis(prefix);
    redisB = testRedis(prefix);
    clock = Date.parse('2025-03-01T08:00:00Z');
    budget = new WechatSendBudget(redisA, { now: () => clock });
    otherProcess = new WechatSendBudget(redisB, { now: () => clock });
  });
  afterEach(async () => {
    await Promise.all([redisA.quit(), redisB.quit()]);
  });

  const takeTimes = async (n: number, openId = 'o-user') => {
    const taken: boolean[] = [];
    for (let i = 0; i < n; i += 1) taken.push(await budget.tryTake(openId));
    return taken;
  };

  describe('sends', () => {
    test('none before the customer has written', async () => {
      expect(await budget.tryTake('o-user')).toBe(false);
      expect(await budget.remaining('o-user')).toBe(0);
    });

    test('5 after a message, then no more', async () => {
      await budget.customerWrote('o-user');
      expect(await budget.remaining('o-user')).toBe(5);
      expect(await takeTimes(6)).toEqual([true, true, true, true, true, false]);
      expect(await budget.remaining('o-user')).toBe(0);
    });

    test('a new message opens a fresh window', async () => {
      await budget.customerWrote('o-user');
      await takeTimes(5);
      clock += HOUR;
      await otherProcess.customerWrote('o-user', 'message');
      expect(await budget.remaining('o-user')).toBe(5);
      expect(await budget.tryTake('o-user')).toBe(true);
    });

    test('the window closes 48 h after the message', async () => {
      await budget.customerWrote('o-user');
      await budget.tryTake('o-user');
      clock += 48 * HOUR - 1;
      expect(await budget.remaining('o-user')).toBe(4);
      clock += 1;
      expect(await budget.tryTake('o-user')).toBe(false);
      expect(await budget.remaining('o-user')).toBe(0);
    });

    test('after a menu click or a follow: 3 within 1 min', async () => {
      await budget.customerWrote('o-user', 'event');
      expect(await takeTimes(4)).toEqual([true, true, true, false]);
      await budget.customerWrote('o-user', 'event');
      clock += 60_000;
      expect(await budget.tryTake('o-user')).toBe(false);
    });

    test('a menu click does not shrink an open 48 h window; its sends are used first', async () => {
      await budget.customerWrote('o-user', 'message');
      await budget.tryTake('o-user');
      await budget.customerWrote('o-user', 'event');
      expect(await budget.remaining('o-user')).toBe(7);
      await takeTimes(3);
      expect(await budget.remaining('o-user')).toBe(4);
      clock += 61_000;
      expect(await budget.remaining('o-user')).toBe(4);
    });

    test('20 parallel takes from two processes grant exactly the limit', async () => {
      await budget.customerWrote('o-user');
      const taken = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? budget : otherProcess).tryTake('o-user')));
      expect(taken.filter(Boolean)).toHaveLength(5);
    });

    test('users have their own budgets', async () => {
      await budget.customerWrote('o-one');
      await takeTimes(5, 'o-one');
      expect(await budget.tryTake('o-two')).toBe(false);
      await budget.customerWrote('o-two');
      expect(await budget.tryTake('o-two')).toBe(true);
      expect(await budget.tryTake('o-one')).toBe(false);
    });

    test('giveBack returns a send, never beyond the limit, never into a closed window', async () => {
      await budget.customerWrote('o-user');
      await takeTimes(5);
      await budget.giveBack('o-user');
      expect(await budget.remaining('o-user')).toBe(1);
      expect(await takeTimes(2)).toEqual([true, false]);

      await budget.customerWrote('o-user');
      await budget.giveBack('o-user');
      expect(await budget.remaining('o-user')).toBe(5);

      clock += 48 * HOUR;
      await budget.giveBack('o-user');
      expect(await budget.tryTake('o-user')).toBe(false);
    });

    test('giveBack credits the window the send came from', async () => {
      await budget.customerWrote('o-user', 'event');
      await budget.customerWrote('o-user', 'message');
      await takeTimes(4); // 3 from the event window, then 1 from the message window
      await budget.giveBack('o-user');
      clock += 61_000;
      expect(await budget.remaining('o-user')).toBe(5);
    });

    test('the budget key expires with its window', async () => {
      await budget.customerWrote('o-user');
      const ttl = await redisA.pttl('cs:wechat:user:{o-user}:budget');
      expect(ttl).toBeGreaterThan(47 * HOUR);
      expect(ttl).toBeLessThanOrEqual(48 * HOUR);
    });
  });

  test('forget removes everything kept about the user, and only that user', async () => {
    await budget.customerWrote('o-user');
    await budget.customerWrote('o-user', 'event');
    await budget.tryTake('o-user');
    await budget.customerWrote('o-other');

    await otherProcess.forget('o-user');

    expect(await budget.remaining('o-user')).toBe(0);
    const left = (await redisA.keys(`${prefix}*`)).map((key) => key.slice(prefix.length)).sort();
    expect(left).toEqual(['cs:wechat:user:{o-other}:budget']);
  });
});
