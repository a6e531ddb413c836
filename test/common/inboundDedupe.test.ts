import type { Redis } from 'ioredis';
import { InboundDedupe } from '../../common/inboundDedupe';
import { sleep } from '../../common/timing';
import { testRedis, uniquePrefix } from '../helpers/redis';

describe('InboundDedupe', () => {
  let clients: Redis[];
  let first: InboundDedupe;
  let second: InboundDedupe;

  beforeEach(() => {
    const prefix = uniquePrefix();
    clients = [testRedis(prefix), testRedis(prefix)];
    first = new InboundDedupe(clients[0], { runningLeaseMs: 300 });
    second = new InboundDedupe(clients[1], { runningLeaseMs: 300 });
  });
  afterEach(async () => {
    await Promise.all(clients.map((c) => c.quit()));
  });

  test('four deliveries at once make one turn, and all get its answers', async () => {
    let turns = 0;
    const run = async () => {
      turns += 1;
      await sleep(50);
      return { replies: [`answer ${turns}`] };
    };
    const results = await Promise.all([
      first.once('wechat:msg-1', run),
      second.once('wechat:msg-1', run),
      first.once('wechat:msg-1', run),
      second.once('wechat:msg-1', run),
    ]);
    expect(turns).toBe(1);
    expect(results.map((r) => r.result)).toEqual(Array(4).fill({ replies: ['answer 1'] }));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
  });

  test('a retry long after the first delivery gets the stored answers', async () => {
    await first.once('web:m', async () => ['hello']);
    const retry = await second.once('web:m', async () => ['a second turn']);
    expect(retry).toEqual({ result: ['hello'], replayed: true });
  });

  test('different message ids each get their own turn', async () => {
    const a = await first.once('web:a', async () => 'A');
    const b = await first.once('web:b', async () => 'B');
    expect([a.result, b.result]).toEqual(['A', 'B']);
  });

  test('a failed turn stores nothing, so the retry runs the turn again', async () => {
    await expect(first.once('web:f', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(second.once('web:f', async () => 'ok')).resolves.toEqual({ result: 'ok', replayed: false });
  });

  test('a delivery whose process died mid-turn can be retried after the lease', async () => {
    await clients[0].set('cs:inbound:{web:crash}:running', 'dead-process', 'PX', 200);
    await expect(second.once('web:crash', async () => 'recovered')).resolves.toEqual({ result: 'recovered', replayed: false });
  });
});
