import { ConversationState, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import type { Redis } from 'ioredis';
import { CustomerServiceBot } from '../../bot/customerServiceBot';
import { RedisStorage } from '../../bot/redisStorage';
import { HumanRequests } from '../../desk/humanRequests';
import { MainDialog } from '../../dialogs/mainDialog';
import { testRedis } from '../helpers/redis';

const ZH_MENU = ['报修', '故障排查', '保修查询', '预约', '工单进度', '评价', '投诉', '转人工'];

function buttonsOf(activity: Partial<Activity>): string[] {
  return (activity.suggestedActions?.actions ?? []).map((action) => action.title ?? '');
}

describe('MainDialog', () => {
  let redis: Redis;
  let humanRequests: HumanRequests;
  let adapter: TestAdapter;

  beforeEach(() => {
    redis = testRedis();
    humanRequests = new HumanRequests(redis);
    const bot = new CustomerServiceBot(new ConversationState(new RedisStorage(redis)), new MainDialog({ humanRequests }));
    adapter = new TestAdapter((context: TurnContext) => bot.run(context));
  });
  afterEach(async () => {
    await redis.quit();
  });

  /** Sends each message and returns the texts (and buttons) of the bot's replies to each. */
  async function converse(...messages: string[]): Promise<Partial<Activity>[][]> {
    const turns: Partial<Activity>[][] = [];
    for (const text of messages) {
      adapter.activeQueue.splice(0);
      await adapter.send(text).startTest();
      turns.push(adapter.activeQueue.splice(0));
    }
    return turns;
  }

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
    ['投诉', '投诉'],
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

  test('转人工 is acknowledged and recorded on the conversation, once', async () => {
    const [, first, again] = await converse('你好', '转人工', '我要人工客服');
    expect(texts(first)).toContain('已为您登记转人工');
    expect(texts(again)).toContain('已登记');
    const conversationId = adapter.conversation.conversation.id;
    const request = await humanRequests.get(conversationId);
    expect(request).toMatchObject({ conversationId, channel: 'test', reason: '转人工' });
    expect(await humanRequests.open()).toEqual([conversationId]);
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
