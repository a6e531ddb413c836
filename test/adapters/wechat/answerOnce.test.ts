import type { Redis } from 'ioredis';
import pino from 'pino';
import { ConversationOwners } from '../../../bot/conversationOwners';
import { TurnPipeline } from '../../../bot/turnPipeline';
import { ConversationLock } from '../../../common/conversationLock';
import { InboundDedupe } from '../../../common/inboundDedupe';
import { answerOnce, type Answer, type Texts } from '../../../adapters/wechat/answerOnce';
import { testRedis, uniquePrefix } from '../../helpers/redis';
import { until } from '../../helpers/until';

/** A turn the test finishes when it wants: a slow turn without waiting a fixed time. */
function gate(): { open: (texts: Texts) => void; fail: (error: Error) => void; wait: Promise<Texts> } {
  let open: (texts: Texts) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const wait = new Promise<Texts>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { open, fail, wait };
}

describe('answerOnce: one answer per WeChat message, decided by the pipeline', () => {
  let prefix: string;
  // Two connections on one prefix stand for two processes of the service behind WeChat.
  let clients: Redis[];
  let pipelines: TurnPipeline[];
  let sent: string[][];
  let turns: number;

  beforeEach(() => {
    prefix = uniquePrefix();
    clients = [testRedis(prefix), testRedis(prefix)];
    pipelines = clients.map(
      (redis) =>
        new TurnPipeline(
          new InboundDedupe(redis, { runningLeaseMs: 300 }),
          new ConversationLock(redis),
          pino({ level: 'silent' }),
          new ConversationOwners(redis, { idleDays: 30 }),
        ),
    );
    sent = [];
    turns = 0;
  });
  afterEach(async () => {
    await Promise.all(clients.map((client) => client.quit()));
  });

  const message = { channel: 'wechat', conversationId: 'o-customer', messageId: 'msg-1' };
  const running = () => clients[0].exists('cs:inbound:{wechat:o-customer:msg-1}:running');

  /** One delivery of the message, to process `which`, whose turn is `turn`. */
  const deliver = (
    which: number,
    turn: () => Promise<Texts>,
    budgetMs: number,
    admit = async (): Promise<Texts | undefined> => undefined,
  ) =>
    answerOnce(
      message,
      {
        admit,
        run: async () => {
          turns += 1;
          return turn();
        },
      },
      {
        pipeline: pipelines[which],
        passiveBudgetMs: budgetMs,
        sendLater: async (texts) => {
          sent.push(texts);
        },
        onFailed: () => '抱歉，系统刚才出了点问题，请稍后再发一次。',
      },
    );

  test('a retry while the first is running within the budget gets the same passive text; one turn, nothing sent twice', async () => {
    const turn = gate();
    const first = deliver(0, () => turn.wait, 5000);
    await until(running, 'the first delivery to be running');
    const retry = deliver(1, () => gate().wait, 5000);
    turn.open({ texts: ['您好，请问有什么可以帮您？', '1. 报修'] });
    const answers = await Promise.all([first, retry]);
    expect(answers.map((answer) => answer.passive)).toEqual(['您好，请问有什么可以帮您？', '您好，请问有什么可以帮您？']);
    // The rest goes out once, from the first delivery only.
    expect(answers[1].later).toBeUndefined();
    await answers[0].later?.();
    expect(sent).toEqual([['1. 报修']]);
    const after = await deliver(1, () => gate().wait, 5000);
    expect(after).toEqual({ passive: '您好，请问有什么可以帮您？', later: undefined });
    expect(turns).toBe(1);
  });

  test('a slow turn: success at once, the answer sent later exactly once; retries during and after it get success', async () => {
    const turn = gate();
    const first = await deliver(0, () => turn.wait, 50);
    expect(first.passive).toBeUndefined();
    expect(first.later).toBeDefined();
    // WeChat retries while the turn is still running: told `success`, and no second turn starts.
    const during = await deliver(1, () => gate().wait, 50);
    expect(during).toEqual({});
    turn.open({ texts: ['工程师明天上午到', '请保持电话畅通'] });
    await first.later?.();
    expect(sent).toEqual([['工程师明天上午到', '请保持电话畅通']]);
    const after: Answer = await deliver(1, () => gate().wait, 50);
    expect(after).toEqual({});
    expect(turns).toBe(1);
  });

  test('a failed first delivery keeps nothing: the customer hears of it, and the retry runs the turn again', async () => {
    const turn = gate();
    const first = deliver(0, () => turn.wait, 5000);
    await until(running, 'the first delivery to be running');
    turn.fail(new Error('dialog state unreadable'));
    expect((await first).passive).toBe('抱歉，系统刚才出了点问题，请稍后再发一次。');
    const retry = await deliver(1, async () => ({ texts: ['您好'] }), 5000);
    expect(retry.passive).toBe('您好');
    expect(turns).toBe(2);
  });

  test('a first delivery whose process died mid-turn: the retry after its lease runs the turn', async () => {
    await clients[0].set('cs:inbound:{wechat:o-customer:msg-1}:running', 'dead-process', 'PX', 200);
    const during = await deliver(1, async () => ({ texts: ['too early'] }), 20);
    expect(during).toEqual({});
    await until(async () => !(await running()), 'the dead lease to end');
    expect((await deliver(1, async () => ({ texts: ['您好'] }), 5000)).passive).toBe('您好');
    expect(turns).toBe(1);
  });

  test('a message refused before the turn (over the rate limit) gives its retries the same notice, without a turn', async () => {
    let admitted = 0;
    const admit = async (): Promise<Texts> => {
      admitted += 1;
      return { texts: ['您发得太快了，请稍后再发。'] };
    };
    const answers = await Promise.all([0, 1, 0].map((which) => deliver(which, () => gate().wait, 5000, admit)));
    expect(answers.map((answer) => answer.passive)).toEqual(Array(3).fill('您发得太快了，请稍后再发。'));
    expect(admitted).toBe(1);
    expect(turns).toBe(0);
  });
});
