import type { TicketDraft } from '../../desk/model';
import { parseWorkingHours } from '../../desk/workingHours';
import { SAMPLE_DATA_NOW, startTestApp, type RunningApp } from '../helpers/testApp';
import { WebClient } from '../helpers/webClient';
import { WechatApiStandIn } from '../helpers/wechatApiStandIn';
import { WechatUser, randomWechatAccount } from '../helpers/wechatUser';

/** Times that are promised: 工单进度 says what happens next and by when; the queue never says "0 ahead, 6 minutes". */

const PHONE = '13812345678';
const DIGITS = '5678';
const HOUR = 3_600_000;

function draft(overrides: Partial<TicketDraft> = {}): TicketDraft {
  return {
    customer: { name: '张伟', phone: PHONE },
    product: { modelId: 'X20 Pro', category: 'phone' },
    warranty: { status: 'repair', serviceKind: 'free' },
    fault: { symptom: '屏幕不亮', liquid: false, physicalDamage: false, disassembled: false },
    serviceMode: 'onsite',
    area: 'city',
    address: '浦东新区世纪大道100号',
    consent: { fee: false },
    channel: 'web',
    conversationId: 'conv-reporter',
    ...overrides,
  };
}

describe('工单进度 over the web: what happens next, and by when', () => {
  let running: RunningApp;
  // 2026-11-22 10:00 in Shanghai; the desk works 09:00–18:00, agents answer 09:00–22:00.
  let clock = SAMPLE_DATA_NOW();
  beforeAll(async () => {
    running = await startTestApp({ serviceHours: parseWorkingHours('09:00-22:00 1-7') }, { now: () => clock });
  });
  beforeEach(() => {
    clock = SAMPLE_DATA_NOW();
  });
  afterAll(async () => {
    await running.stop();
  });

  async function statusOf(ticketId: string, opening?: string, client?: WebClient): Promise<string> {
    const chat = client ?? (await WebClient.open(running.url));
    if (opening) await chat.chat(opening);
    const question = await chat.chat(opening ? `ticket status ${ticketId}` : `工单进度 ${ticketId}`);
    if (!/后四位|last four digits/.test(question)) throw new Error(`not asked for the phone digits: ${question}`);
    return chat.chat(DIGITS);
  }

  test('a new on-site ticket names the dispatch deadline: 6 working hours in the city, 7 in the suburbs', async () => {
    const city = await running.app.tickets.create(draft(), 'test');
    const answer = await statusOf(city.id);
    expect(answer).toContain(`工单 ${city.id}：已受理`);
    expect(answer).toContain('工程师会在 11月22日 16:00 前上门');
    const suburb = await running.app.tickets.create(draft({ area: 'suburb' }), 'test');
    expect(await statusOf(suburb.id)).toContain('工程师会在 11月22日 17:00 前上门');
  });

  test('carry-in and mail-in tickets say when the desk gets in touch, and for what', async () => {
    const carryIn = await running.app.tickets.create(draft({ serviceMode: 'carryIn', address: undefined }), 'test');
    expect(await statusOf(carryIn.id)).toMatch(/工程师会在 11月22日 16:00 前联系您，约好送修的网点和时间/);
    const mailIn = await running.app.tickets.create(draft({ serviceMode: 'mailIn' }), 'test');
    expect(await statusOf(mailIn.id)).toMatch(/工程师会在 11月22日 16:00 前联系您，告诉您寄修地址/);
  });

  test('an English customer hears the promise in English', async () => {
    const ticket = await running.app.tickets.create(draft(), 'test');
    const answer = await statusOf(ticket.id, 'Hello');
    expect(answer).toContain('The engineer will visit by 22/11 16:00');
    expect(answer).not.toMatch(/\p{Script=Han}{4}/u);
  });

  test('past the deadline: said honestly, chased once (log line and the desk’s list), the agent will see the ticket', async () => {
    const ticket = await running.app.tickets.create(draft(), 'test');
    clock = new Date(SAMPLE_DATA_NOW().getTime() + 24 * HOUR);
    const client = await WebClient.open(running.url);
    const answer = await statusOf(ticket.id, undefined, client);
    expect(answer).toContain('原定 11月22日 16:00 前上门，已超过承诺时间');
    expect(answer).toContain('已为您催办');
    expect(answer).toContain('转人工');
    expect(answer).not.toContain('工程师会在 11月22日 16:00 前上门');

    const chased = async () =>
      (await running.app.redis.lrange('cs:tickets:chased', 0, -1))
        .map((json) => JSON.parse(json) as Record<string, unknown>)
        .filter((c) => c.ticketId === ticket.id);
    expect(await chased()).toEqual([
      expect.objectContaining({
        ticketId: ticket.id,
        status: 'new',
        promised: ticket.dispatchDeadline,
        minutesLate: 18 * 60,
        channel: 'web',
        conversationId: client.conversationId,
      }),
    ]);
    expect(await running.app.handoff.facts(client.conversationId)).toMatchObject({ ticketId: ticket.id });

    // Asking again the same day says the same and does not chase twice.
    expect(await statusOf(ticket.id)).toContain('已超过承诺时间');
    expect(await chased()).toHaveLength(1);
  });

  test('a completed carry-in ticket says when it was done and what the customer does next', async () => {
    const ticket = await running.app.tickets.create(draft({ serviceMode: 'carryIn', address: undefined }), 'test');
    for (const to of ['accepted', 'dispatched', 'inRepair'] as const) await running.app.tickets.move(ticket.id, to, 'engineer:e1');
    clock = new Date('2026-11-23T15:30:00+08:00');
    await running.app.tickets.move(ticket.id, 'completed', 'engineer:e1');
    const answer = await statusOf(ticket.id);
    expect(answer).toContain(`工单 ${ticket.id}：已修好`);
    expect(answer).toContain('维修完成于 11月23日 15:30，请凭工单号到服务网点取机');
    expect(answer).not.toContain('已超过承诺时间');
  });

  test('in repair, closed and cancelled each say what comes next', async () => {
    const repairing = await running.app.tickets.create(draft(), 'test');
    for (const to of ['accepted', 'dispatched', 'inRepair'] as const) await running.app.tickets.move(repairing.id, to, 'engineer:e1');
    expect(await statusOf(repairing.id)).toContain('工程师正在为您维修');

    const closed = await running.app.tickets.create(draft(), 'test');
    for (const to of ['accepted', 'dispatched', 'inRepair', 'completed', 'closed'] as const)
      await running.app.tickets.move(closed.id, to, 'engineer:e1');
    expect(await statusOf(closed.id)).toMatch(/服务已于 11月22日 10:00 结束。维修过的部件另有 90 天保修/);

    const cancelled = await running.app.tickets.create(draft(), 'test');
    await running.app.tickets.move(cancelled.id, 'cancelled', 'customer');
    expect(await statusOf(cancelled.id)).toContain('工单已于 11月22日 10:00 取消。如还需要维修，回复“报修”');
  });

  test('a registered call-back is named with the time it is promised by', async () => {
    const ticket = await running.app.tickets.create(draft(), 'test');
    const client = await WebClient.open(running.url);
    const { id } = await running.app.handoff.requestCallback({ conversationId: client.conversationId, channel: 'web', phone: PHONE });
    const answer = await statusOf(ticket.id, undefined, client);
    expect(answer).toContain('工程师会在 11月22日 16:00 前上门');
    expect(answer).toContain(`您登记的回电（编号 ${id}）：客服会在 11月22日 22:00 前给您打电话`);
  });
});

describe('the queue message, on the web and on WeChat', () => {
  const account = randomWechatAccount();
  let wechatApi: WechatApiStandIn;
  let running: RunningApp;
  let clock = SAMPLE_DATA_NOW();
  beforeAll(async () => {
    wechatApi = new WechatApiStandIn({ appId: account.appId, appSecret: 'wx-secret' });
    const apiBase = await wechatApi.start();
    running = await startTestApp(
      { wechat: { token: account.token, appId: account.appId, appSecret: 'wx-secret', encodingAesKey: account.encodingAesKey, apiBase } },
      { now: () => clock },
    );
  });
  afterAll(async () => {
    await running.stop();
    await wechatApi.stop();
  });
  /** Each test has its own queue: whoever waits from another test is taken out first. */
  beforeEach(async () => {
    for (const record of await running.app.handoffQueue.waiting()) await running.app.handoffQueue.cancel(record.conversationId, 'test');
    for (const agent of await running.app.handoffQueue.onlineAgents()) await running.app.handoffQueue.goOffline(agent);
  });
  const tick = (): void => {
    clock = new Date(clock.getTime() + 1000);
  };

  test('web, nobody ahead and an agent online: the agent joins shortly, no "0 位", no minutes', async () => {
    await running.app.handoffQueue.heartbeat('agent1');
    const client = await WebClient.open(running.url);
    const answer = await client.chat('转人工');
    expect(answer).toContain('已为您转接人工客服，客服马上为您接入');
    expect(answer).not.toMatch(/0 位|分钟/);
    expect(await client.chat('还要等多久')).toContain('您仍在排队。客服马上为您接入');
  });

  test('web, nobody online in service hours: agents are busy, a call-back is offered, no minutes', async () => {
    const client = await WebClient.open(running.url);
    const answer = await client.chat('转人工');
    expect(answer).toContain('目前客服都在忙');
    expect(answer).toContain('回电');
    expect(answer).not.toMatch(/0 位|分钟/);
  });

  test('web, three ahead and two agents online (no history yet: 6 minutes a chat): about 9 minutes', async () => {
    await running.app.handoffQueue.heartbeat('agent1');
    await running.app.handoffQueue.heartbeat('agent2');
    for (const id of ['ahead-1', 'ahead-2', 'ahead-3']) {
      await running.app.handoffQueue.escalate({ conversationId: id, channel: 'web', reason: 'asked', summary: { lastMessages: [] } });
      tick();
    }
    const client = await WebClient.open(running.url);
    expect(await client.chat('我要人工客服')).toContain('您前面还有 3 位，预计等待约 9 分钟');
    // One of them is taken: the answer to 还要等多久 follows.
    await running.app.handoffQueue.claim('ahead-1', 'agent1');
    expect(await client.chat('还要等多久')).toContain('您仍在排队。您前面还有 2 位，预计等待约 6 分钟');
  });

  test('WeChat, nobody ahead and an agent online: the agent joins shortly, no "0 位"', async () => {
    await running.app.handoffQueue.heartbeat('agent1');
    const user = new WechatUser(running.url, account, undefined, 'safe');
    const answer = (await user.say('转人工')) ?? '';
    expect(answer).toContain('客服马上为您接入');
    expect(answer).not.toMatch(/0 位|分钟/);
    expect(await user.say('排到我了吗')).toContain('您仍在排队。客服马上为您接入');
  });
});
