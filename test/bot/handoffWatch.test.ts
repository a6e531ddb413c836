import pino from 'pino';
import type { Redis } from 'ioredis';
import { HandoffWatch } from '../../bot/handoffWatch';
import { HandoffQueue } from '../../desk/handoff';
import { HandoffEvents, type HandoffEvent } from '../../desk/handoffEvents';
import { textsFor } from '../../dialogs/texts';
import { sleep } from '../../common/timing';
import { testRedis, uniquePrefix } from '../helpers/redis';

describe('HandoffWatch: nobody is forgotten in the queue', () => {
  let redis: Redis;
  let subscriber: Redis;
  let clock: Date;
  let queue: HandoffQueue;
  let heard: HandoffEvent[];
  let told: { conversationId: string; text: string }[];
  let watch: HandoffWatch;

  beforeEach(async () => {
    const prefix = uniquePrefix();
    redis = testRedis(prefix);
    subscriber = testRedis(prefix);
    clock = new Date('2026-11-22T10:00:00+08:00');
    queue = new HandoffQueue(redis, { now: () => clock });
    const events = new HandoffEvents(redis, subscriber, `${prefix}events`);
    heard = [];
    await events.listen((event) => heard.push(event));
    told = [];
    watch = new HandoffWatch({
      queue,
      events,
      redis,
      logger: pino({ level: 'silent' }),
      tell: async (conversationId, say) => {
        told.push({ conversationId, text: say(textsFor('zh-CN')) });
      },
      alertAfterMs: 3 * 60_000,
      offerCallbackAfterMs: 10 * 60_000,
    });
    await queue.escalate({ conversationId: 'c1', channel: 'web', reason: 'asked', summary: { lastMessages: [] } });
  });
  afterEach(async () => {
    await subscriber.quit();
    await redis.quit();
  });

  async function sweepAt(minutes: number): Promise<void> {
    clock = new Date(Date.parse('2026-11-22T10:00:00+08:00') + minutes * 60_000);
    await watch.sweep(clock.getTime());
    await sleep(50);
  }

  test('alerts the consoles after 3 minutes, again after 3 more, and offers a call-back once after 10', async () => {
    await sweepAt(2);
    expect(heard).toHaveLength(0);
    await sweepAt(4);
    expect(heard).toEqual([{ type: 'queue', conversationId: 'c1', alert: true }]);
    await sweepAt(5);
    expect(heard).toHaveLength(1);
    await sweepAt(7.5);
    expect(heard).toHaveLength(2);
    expect(told).toHaveLength(0);
    await sweepAt(11);
    expect(told).toEqual([{ conversationId: 'c1', text: expect.stringContaining('回电') }]);
    await sweepAt(15);
    expect(told).toHaveLength(1);
  });

  test('a chat an agent took is not alerted', async () => {
    await queue.claim('c1', 'agent1');
    await sweepAt(20);
    expect(heard).toHaveLength(0);
    expect(told).toHaveLength(0);
  });
});
