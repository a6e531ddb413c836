import type { TicketDraft } from '../../desk/model';
import { RatingStore } from '../../desk/ratings';
import { SAMPLE_DATA_NOW, startTestApp, type RunningApp } from '../helpers/testApp';
import { WebClient } from '../helpers/webClient';
import { WechatApiStandIn } from '../helpers/wechatApiStandIn';
import { WechatUser, randomWechatAccount } from '../helpers/wechatUser';

/**
 * Issue 12 on the web and on WeChat: 工单进度 without the number (looked up by the phone of the
 * 报修), a rating asked for in the middle of 报修, and "有帮助吗？" answered with something else.
 */

function draft(phone: string): TicketDraft {
  return {
    customer: { name: '张伟', phone },
    product: { modelId: 'X20 Pro', category: 'phone' },
    warranty: { status: 'repair', serviceKind: 'free' },
    fault: { symptom: '屏幕不亮', liquid: false, physicalDamage: false, disassembled: false },
    serviceMode: 'onsite',
    area: 'city',
    address: '浦东新区世纪大道100号',
    consent: { fee: false },
    channel: 'web',
    conversationId: 'conv-reporter',
  };
}

/** A fresh phone per test: each test's tickets are its own. */
let phoneSeq = 0;
const freshPhone = (): string => `139${String(Date.now() % 1e4).padStart(4, '0')}${String(phoneSeq++ % 1e4).padStart(4, '0')}`;

type Say = (text: string) => Promise<string>;

describe.each(['web', 'wechat'] as const)('on %s', (channel) => {
  const account = randomWechatAccount();
  let wechatApi: WechatApiStandIn;
  let running: RunningApp;
  beforeAll(async () => {
    wechatApi = new WechatApiStandIn({ appId: account.appId, appSecret: 'wx-secret' });
    const apiBase = await wechatApi.start();
    running = await startTestApp(
      { wechat: { token: account.token, appId: account.appId, appSecret: 'wx-secret', encodingAesKey: account.encodingAesKey, apiBase } },
      { now: () => SAMPLE_DATA_NOW() },
    );
  });
  afterAll(async () => {
    await running.stop();
    await wechatApi.stop();
  });

  async function customer(): Promise<Say> {
    if (channel === 'web') {
      const client = await WebClient.open(running.url);
      return (text) => client.chat(text);
    }
    const user = new WechatUser(running.url, account, undefined, 'safe');
    return async (text) => (await user.say(text)) ?? '';
  }

  test.each([
    ['单号忘了', ['工单进度', '单号忘了']],
    ['不记得', ['我的手机送修了现在修到哪了', '不记得了']],
    ['a phone instead of the number', ['查下单子']],
    ['the phone in the first message', []],
  ])('工单进度, %s: the phone of the 报修 finds the ticket, with its status and what happens by when', async (_case, before) => {
    const phone = freshPhone();
    const ticket = await running.app.tickets.create(draft(phone), 'test');
    const say = await customer();
    for (const text of before) await say(text);
    const answer = await say(before.length ? `手机号${phone}` : `查一下维修进度，手机 ${phone}`);
    expect(answer).toContain(`工单 ${ticket.id}：已受理`);
    expect(answer).toContain('工程师会在 11月22日 16:00 前上门');
  });

  test('工单进度 by a phone with no tickets reveals nothing, and says what to do instead', async () => {
    await running.app.tickets.create(draft(freshPhone()), 'test');
    const say = await customer();
    await say('工单进度');
    const answer = await say(freshPhone());
    expect(answer).toContain('没有查到工单');
    expect(answer).not.toMatch(/工单 S\d/);
  });

  test('工单进度: the same question is never asked a third time', async () => {
    const say = await customer();
    const first = await say('工单进度');
    const second = await say('嗯');
    const third = await say('不知道');
    const fourth = await say('没有');
    expect(first).toContain('请发一下工单号');
    expect(second).toContain('不记得的话，发报修时留的手机号也可以');
    expect(third).toContain('请发一下报修时留的手机号');
    expect(fourth).not.toContain('请发一下报修时留的手机号');
    expect(fourth).toContain('转人工');
  });

  test('a phone tried again and again is paused like ticket digits are', async () => {
    const say = await customer();
    let last = '';
    for (let attempt = 0; attempt < 6 && !/查询次数太多/.test(last); attempt++) {
      await say('工单进度');
      last = await say(freshPhone());
    }
    expect(last).toContain('查询次数太多');
  });

  test.each(['不是报修，我就想给你们打个分', '给个评价', '我只想给个评价'])(
    'mid-报修, "%s" asks for the rating and records it',
    async (ask) => {
      const store = new RatingStore(running.app.redis);
      const fours = async () => (await store.recent(500)).filter((rating) => rating.score === 4).length;
      const before = await fours();
      const say = await customer();
      await say('报修');
      const asked = await say(ask);
      expect(asked).toMatch(/打分|评分|满意/);
      await say('4');
      expect(await fours()).toBe(before + 1);
    },
  );

  test.each([
    ['按了没反应，找不到那个键', /很高兴能帮到您/],
    ['我的耳机右边没声音了', /很高兴能帮到您/],
  ])('"有帮助吗？" answered with "%s" is not counted as helped', async (text, notSaid) => {
    const say = await customer();
    const faq = await say('手机怎么截屏');
    expect(faq).toContain('有帮助');
    const answer = await say(text);
    expect(answer).not.toMatch(notSaid);
  });

  test('"有帮助吗？" answered 不行 moves on (not helped), 有用谢谢 is a yes', async () => {
    const say = await customer();
    await say('手机怎么截屏');
    expect(await say('不行')).not.toContain('很高兴能帮到您');
    const again = await customer();
    await again('手机怎么截屏');
    expect(await again('有用，谢谢')).toContain('很高兴能帮到您');
  });

  /** The states a short word is tried in: what the customer said before it. */
  const STATES: Array<[string, string[]]> = [
    ['at the menu', []],
    ['mid-报修 (asked for the serial)', ['报修']],
    ['mid-guide (a troubleshooting step)', ['手机发烫很厉害']],
    ['at "有帮助吗？"', ['手机怎么截屏']],
    ['at the ticket-number prompt', ['工单进度']],
  ];
  /** Each short word, and what shows it was understood (the service it asks for, or a polite exit). */
  const WORDS: Array<[string, RegExp]> = [
    ['给个评价', /打分|评分|满意/],
    ['查下单子', /工单号/],
    ['人工', /客服/],
    ['投诉', /投诉/],
    ['算了', /取消|好的|随时|再见|不打扰/],
    ['先这样', /取消|好的|随时|再见|不打扰/],
    ['不办了', /取消|好的|随时|再见|不打扰/],
    ['还是报修吧', /序列号|型号|报修/],
  ];
  const cases = STATES.flatMap(([state, before]) => WORDS.map(([word, understood]) => [word, state, before, understood] as const));
  test.each(cases)('"%s" %s is understood', async (word, state, before, understood) => {
    const say = await customer();
    for (const text of before) await say(text);
    const answer = await say(word);
    expect(answer).toMatch(understood);
    // Not taken for an answer to the question that was on screen.
    expect(answer).not.toMatch(/没能识别|请从下面的选项中选一个|请告诉我结果|我没太明白/);
    void state;
  });
});
