import type { Activity } from 'botbuilder';
import { SAMPLE_DATA_NOW, startTestApp, type RunningApp } from '../helpers/testApp';
import { WebClient, textsOf } from '../helpers/webClient';

const HAN = /\p{Script=Han}/u;

/** The buttons under the last answer: what the customer can tap now. */
function lastButtons(activities: Partial<Activity>[] | undefined): string[] {
  return (activities?.at(-1)?.suggestedActions?.actions ?? []).map((action) => action.title ?? '');
}

describe('conversations that never trap a customer, over the web channel (issue 12: exits, switches, scope, language)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp({}, { now: SAMPLE_DATA_NOW });
  });
  afterAll(async () => {
    await running.stop();
  });

  test('算了 mid-报修 leaves politely; back at 报修 the draft is offered, resumed with the facts kept, and ends in a ticket', async () => {
    const client = await WebClient.open(running.url);
    await client.chat('我要报修');
    await client.chat('PH26P7014547');
    expect(await client.chat('充不进电，前天开始的')).toContain('摔');
    const left = await client.say('算了');
    expect(textsOf(left.body.activities)).toMatch(/报修先取消了。您已经提供的.*序列号.*故障描述.*保留 24 小时/);
    expect(lastButtons(left.body.activities)).toContain('报修');
    expect(await running.app.redis.ttl(`cs:conv:{${client.conversationId}}:draft`)).toBeGreaterThan(23 * 3600);

    const offer = await client.say('报修');
    expect(textsOf(offer.body.activities)).toContain('上次的报修还没提交，要继续吗？');
    expect(lastButtons(offer.body.activities)).toEqual(['继续', '重新开始']);
    const resumed = await client.chat('继续');
    // Where it was left: the damage question, not the serial again.
    expect(resumed).toContain('摔');
    expect(resumed).not.toContain('序列号');
    expect(await client.chat('都没有')).toContain('服务方式');
    expect(await client.chat('送修')).toContain('称呼');
    expect(await client.chat('王小明')).toContain('电话');
    const summary = await client.chat('13800138000');
    expect(summary).toContain('充不进电');
    const done = await client.chat('确认提交');
    const ticketId = /工单号 (S\d{6}-\d{4,})/.exec(done)?.[1] ?? '';
    expect(await running.app.tickets.get(ticketId)).toMatchObject({ product: { serial: 'PH26P7014547' }, customer: { name: '王小明' } });
    // Submitted: nothing is kept to be offered back.
    expect(await running.app.redis.exists(`cs:conv:{${client.conversationId}}:draft`)).toBe(0);
  });

  test('"给个评价" mid-报修 starts the rating, not 报修; afterwards 报修 is offered back', async () => {
    const client = await WebClient.open(running.url);
    await client.chat('我要报修');
    const rating = await client.say('给个评价');
    expect(textsOf(rating.body.activities)).toContain('打分');
    expect(lastButtons(rating.body.activities)).toContain('非常满意');
    const thanked = await client.say('非常满意');
    expect(textsOf(thanked.body.activities)).toContain('刚才的报修还没办完，要继续吗？');
    expect(lastButtons(thanked.body.activities)).toEqual(['继续', '不用了']);
    expect(await client.chat('继续')).toContain('序列号');
  });

  test('a question the manual answers mid-报修 is answered, and 报修 is offered back where it was', async () => {
    const client = await WebClient.open(running.url);
    await client.chat('我要报修');
    expect(await client.chat('PH26P7014547')).toContain('故障');
    const answered = await client.chat('手机怎么截屏？');
    expect(answered).toContain('音量');
    expect(answered).toContain('有帮助吗');
    expect(await client.chat('有帮助')).toContain('刚才的报修还没办完，要继续吗？');
    expect(await client.chat('继续')).toContain('故障');
  });

  test('"不报修了，我要投诉" switches to the complaint, saying the 报修 was put aside', async () => {
    const client = await WebClient.open(running.url);
    await client.chat('我要报修');
    await client.chat('PH26P7014547');
    const switched = await client.chat('不报修了，我要投诉');
    expect(switched).toContain('报修先不办了');
    expect(switched).toContain('投诉');
    expect(await running.app.handoffQueue.get(client.conversationId)).toMatchObject({ reason: 'complaint' });
  });

  test('洗衣机坏了: not ours, said at once and kindly, with a person and the menu as the way on', async () => {
    const client = await WebClient.open(running.url);
    const reply = await client.say('洗衣机坏了');
    const text = textsOf(reply.body.activities);
    expect(text).toContain('我们不生产洗衣机');
    expect(text).toContain('官方售后');
    expect(text).not.toContain('序列号');
    expect(lastButtons(reply.body.activities)).toEqual(expect.arrayContaining(['报修', '转人工']));
  });

  test('"X30 Ultra" in a Chinese chat stays Chinese; "ok" and a number keep an English chat English', async () => {
    const chinese = await WebClient.open(running.url);
    await chinese.chat('报修');
    const model = await chinese.chat('X30 Ultra');
    expect(model).toMatch(HAN);
    expect(model).toContain('购买');

    const english = await WebClient.open(running.url);
    expect(await english.chat('I want to check my ticket')).toMatch(/ticket number/i);
    for (const text of ['ok', '12345']) expect(await english.chat(text)).not.toMatch(HAN);
  });

  test('a guide that did not help: "我要报修" typed at its offer is its own 报修, with what it learnt, not a new one', async () => {
    const client = await WebClient.open(running.url);
    let reply = await client.chat('我的星耀X20 Pro 充不进电');
    for (let step = 0; step < 6 && !reply.includes('现在为您报修吗'); step += 1) reply = await client.chat('没好');
    expect(reply).toContain('现在为您报修吗');
    const report = await client.chat('我要报修');
    // The product is known from the guide: the next question is not the serial.
    expect(report).not.toContain('序列号');
    expect(report).toContain('购买');
  });

  test('不用了谢谢 after a flow is a goodbye, not "sorry, I did not understand"', async () => {
    const client = await WebClient.open(running.url);
    await client.chat('报修');
    await client.chat('算了');
    const bye = await client.chat('不用了谢谢');
    expect(bye).toContain('感谢您的咨询');
    expect(bye).not.toContain('没太明白');
  });
});
