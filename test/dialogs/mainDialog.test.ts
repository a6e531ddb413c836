import { ConversationState, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import type { Redis } from 'ioredis';
import { CustomerServiceBot } from '../../bot/customerServiceBot';
import { RedisStorage } from '../../bot/redisStorage';
import pino from 'pino';
import { HandoffDesk } from '../../desk/handoffDesk';
import { CallbackRequests } from '../../desk/callbacks';
import { ConversationFactsStore } from '../../desk/conversationFacts';
import { HandoffQueue } from '../../desk/handoff';
import { HandoffEvents } from '../../desk/handoffEvents';
import { RatingStore } from '../../desk/ratings';
import { TranscriptStore } from '../../desk/transcripts';
import { parseWorkingHours } from '../../desk/workingHours';
import { MainDialog } from '../../dialogs/mainDialog';
import { converseThrough } from '../helpers/dialogHarness';
import { testRedis } from '../helpers/redis';

const ZH_MENU = ['报修', '故障排查', '保修查询', '预约', '工单进度', '评价', '投诉', '转人工'];

function buttonsOf(activity: Partial<Activity>): string[] {
  return (activity.suggestedActions?.actions ?? []).map((action) => action.title ?? '');
}

describe('MainDialog', () => {
  let redis: Redis;
  let subscriber: Redis;
  let queue: HandoffQueue;
  let serviceHours = parseWorkingHours('00:00-24:00 1-7');
  let adapter: TestAdapter;

  beforeEach(() => {
    redis = testRedis();
    subscriber = testRedis();
    queue = new HandoffQueue(redis);
    serviceHours = parseWorkingHours('00:00-24:00 1-7');
    const people = new HandoffDesk({
      queue,
      facts: new ConversationFactsStore(redis),
      transcripts: new TranscriptStore(redis),
      events: new HandoffEvents(redis, subscriber, `${Math.random()}:events`),
      ratings: new RatingStore(redis),
      callbacks: new CallbackRequests(redis),
      // Read at each escalation, so a test can close the service line.
      get serviceHours() {
        return serviceHours;
      },
      logger: pino({ level: 'silent' }),
    });
    const bot = new CustomerServiceBot(new ConversationState(new RedisStorage(redis)), new MainDialog({ people }));
    adapter = new TestAdapter((context: TurnContext) => bot.run(context));
  });
  afterEach(async () => {
    await subscriber.quit();
    await redis.quit();
  });

  const converse = (...messages: string[]) => converseThrough(adapter, messages);

  const texts = (turn: Partial<Activity>[]) => turn.map((a) => a.text ?? '').join('\n');

  test('a greeting gets a Chinese welcome and the menu of services as buttons', async () => {
    const [turn] = await converse('你好');
    expect(texts(turn)).toContain('您好');
    expect(buttonsOf(turn[turn.length - 1])).toEqual(ZH_MENU);
  });

  test('an English greeting is answered in English, with an English menu', async () => {
    const [turn] = await converse('Hello, I need some help with my phone');
    expect(texts(turn)).toMatch(/Hello|help/);
    expect(texts(turn)).not.toMatch(/\p{Script=Han}/u);
    expect(buttonsOf(turn[turn.length - 1])).toContain('Report a fault');
  });

  test('English sticks for messages that do not tell the language', async () => {
    const [, second] = await converse('Hello there', '3');
    expect(texts(second)).toMatch(/Warranty check/);
    expect(texts(second)).not.toMatch(/\p{Script=Han}/u);
  });

  test.each([
    ['报修', '报修'],
    ['保修查询', '保修查询'],
    ['我想预约上门', '预约'],
    ['4', '预约'],
  ])('choosing %s says honestly that it is not available yet', async (choice, service) => {
    const [, turn] = await converse('你好', choice);
    expect(texts(turn)).toContain(`“${service}”`);
    expect(texts(turn)).toContain('转人工');
    expect(buttonsOf(turn[turn.length - 1])).toEqual(ZH_MENU);
  });

  test('a first message that names a service goes straight to it, without the menu first', async () => {
    const [turn] = await converse('我的手机坏了，要报修');
    expect(texts(turn)).toContain('“报修”');
  });

  test('help at the menu explains where the customer is and what they can say', async () => {
    const [, turn] = await converse('你好', '帮助');
    expect(texts(turn)).toContain('主菜单');
    expect(texts(turn)).toContain('取消');
    expect(buttonsOf(turn[turn.length - 1])).toEqual(ZH_MENU);
  });

  test('help works as the very first message', async () => {
    const [turn] = await converse('帮助');
    expect(texts(turn)).toContain('主菜单');
  });

  test('cancel with nothing in progress says so and shows the menu', async () => {
    const [, turn] = await converse('你好', '取消');
    expect(texts(turn)).toContain('没有进行中的操作');
    expect(buttonsOf(turn[turn.length - 1])).toEqual(ZH_MENU);
  });

  test('菜单 and 重新开始 bring the menu back', async () => {
    const [, menu, restart] = await converse('你好', '菜单', '重新开始');
    for (const turn of [menu, restart]) {
      expect(texts(turn)).toContain('主菜单');
      expect(buttonsOf(turn[turn.length - 1])).toEqual(ZH_MENU);
    }
  });

  test('转人工 puts the conversation in the queue once, saying where and how long', async () => {
    const [, first, again] = await converse('你好', '转人工', '我要人工客服');
    // No agent online in this test: no minutes are promised, a call-back is offered.
    expect(texts(first)).toMatch(/已为您转接人工客服，目前客服都在忙.*回电/);
    expect(texts(first)).not.toMatch(/前面还有 0 位|分钟/);
    expect(texts(again)).toContain('您已在排队中');
    const conversationId = adapter.conversation.conversation.id;
    expect(await queue.get(conversationId)).toMatchObject({ conversationId, channel: 'test', state: 'waiting', reason: 'asked' });
    expect((await queue.waiting()).map((record) => record.conversationId)).toEqual([conversationId]);
  });

  test.each([
    ['safety words go to the front, with safety advice first', ['你好', '充电器冒烟了'], /断开电源/, 'safety'],
    ['a complaint goes to a person with priority', ['你好', '我要投诉'], /投诉/, 'complaint'],
    ['two misunderstandings in a row go to a person', ['你好', '天气怎么样', '今天股市如何'], /还是没能理解/, 'misunderstood'],
  ])('%s', async (_name, messages, said, reason) => {
    const turns = await converse(...messages);
    expect(texts(turns[turns.length - 1])).toMatch(said);
    const record = await queue.get(adapter.conversation.conversation.id);
    expect(record).toMatchObject({ state: 'waiting', reason });
  });

  test('a plain negation of a safety word is not an alarm', async () => {
    const [, turn] = await converse('你好', '没有冒烟，就是充不进电');
    expect(texts(turn)).not.toContain('断开电源');
    expect(await queue.get(adapter.conversation.conversation.id)).toBeUndefined();
  });

  test('outside service hours a call-back is offered instead of a wait', async () => {
    serviceHours = parseWorkingHours('09:00-09:01 1-7', 'Pacific/Kiritimati');
    const [, offer] = await converse('你好', '转人工');
    expect(texts(offer)).toContain('登记回电');
    expect(await queue.get(adapter.conversation.conversation.id)).toBeUndefined();
  });

  test('something it does not understand gets a polite re-prompt with the menu', async () => {
    const [, turn] = await converse('你好', '天气怎么样');
    expect(texts(turn)).toContain('没太明白');
    expect(buttonsOf(turn[turn.length - 1])).toEqual(ZH_MENU);
  });

  test('the conversation goes on after every command (the main dialog never ends)', async () => {
    const turns = await converse('取消', '帮助', '菜单', '转人工', '5', 'Hello', '退出');
    for (const turn of turns) expect(turn.length).toBeGreaterThan(0);
    expect(texts(turns[4])).toContain('工单进度');
  });
});
