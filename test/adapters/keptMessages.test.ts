import type { Redis } from 'ioredis';
import { KEPT_MAX, KeptMessages } from '../../adapters/keptMessages';
import { testRedis, uniquePrefix } from '../helpers/redis';

const HOUR = 3600 * 1000;

describe('KeptMessages (the one kept-for-later store of every channel)', () => {
  let prefix: string;
  // Two connections on one prefix stand for two processes of the service.
  let redisA: Redis;
  let redisB: Redis;
  let clock: number;
  let kept: KeptMessages;
  let otherProcess: KeptMessages;

  beforeEach(() => {
    prefix = uniquePrefix();
    redisA = testRedis(prefix);
    redisB = testRedis(prefix);
    clock = Date.parse('2025-03-01T08:00:00Z');
    kept = new KeptMessages(redisA, { now: () => clock });
    otherProcess = new KeptMessages(redisB, { now: () => clock });
  });
  afterEach(async () => {
    await Promise.all([redisA.quit(), redisB.quit()]);
  });

  test('are kept in order, with who wrote them and when, and handed out once', async () => {
    await kept.keep('o-user', ['您的维修单已寄出'], 'bot');
    clock += 1000;
    await otherProcess.keep('o-user', ['快递单号 SF123', '请查收'], '客服小李');

    expect(await kept.takeAll('o-user')).toEqual([
      { text: '您的维修单已寄出', from: 'bot', at: clock - 1000 },
      { text: '快递单号 SF123', from: '客服小李', at: clock },
      { text: '请查收', from: '客服小李', at: clock },
    ]);
    expect(await kept.takeAll('o-user')).toEqual([]);
  });

  test('two concurrent takers get disjoint sets that together hold every text', async () => {
    for (let round = 0; round < 10; round += 1) {
      const texts = Array.from({ length: 10 }, (_, i) => `r${round}-t${i}`);
      for (const text of texts) await kept.keep('o-user', [text], 'bot');
      const [first, second] = await Promise.all([kept.takeAll('o-user'), otherProcess.takeAll('o-user')]);
      const all = [...first, ...second].map((item) => item.text);
      expect(all.sort()).toEqual([...texts].sort());
    }
  });

  test('are kept for 7 days, and only the newest ones when too many pile up', async () => {
    for (let i = 0; i < KEPT_MAX + 5; i += 1) await kept.keep('o-user', [`t${i}`], 'bot');
    const ttl = await redisA.pttl('cs:conv:{o-user}:held');
    expect(ttl).toBeGreaterThan(6.9 * 24 * HOUR);
    expect(ttl).toBeLessThanOrEqual(7 * 24 * HOUR);
    const taken = await kept.takeAll('o-user');
    expect(taken).toHaveLength(KEPT_MAX);
    expect(taken[0].text).toBe('t5');
  });

  test('texts held as plain strings before the stores were merged still reach the customer', async () => {
    await redisA.rpush('cs:conv:{taobao:shop:buyer}:held', '您的退款已受理');
    await kept.keep('taobao:shop:buyer', ['请留意短信'], 'bot');
    expect((await kept.takeAll('taobao:shop:buyer')).map((item) => item.text)).toEqual(['您的退款已受理', '请留意短信']);
  });

  test('forget removes what is kept for that conversation only', async () => {
    await kept.keep('o-user', ['hi'], 'bot');
    await kept.keep('o-other', ['kept'], 'bot');
    await otherProcess.forget('o-user');
    expect(await kept.takeAll('o-user')).toEqual([]);
    const left = (await redisA.keys(`${prefix}*`)).map((key) => key.slice(prefix.length));
    expect(left).toEqual(['cs:conv:{o-other}:held']);
  });
});
