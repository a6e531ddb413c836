import WebSocket from 'ws';
import { CallbackRequests } from '../../desk/callbacks';
import type { Ticket } from '../../desk/model';
import { visitJobId, type BookedVisit } from '../../desk/visitReminders';
import type { Config } from '../../app/config';
import { uniquePrefix } from '../helpers/redis';
import { startTestApp, type RunningApp } from '../helpers/testApp';
import { sampleTicketDraft } from '../helpers/ticketDrafts';
import { until } from '../helpers/until';
import { WebClient, pushWithText, textsOf } from '../helpers/webClient';
import { WechatApiStandIn } from '../helpers/wechatApiStandIn';
import { WechatUser, randomWechatAccount } from '../helpers/wechatUser';

// Each case starts the whole service twice (before and after the restart).
jest.setTimeout(60_000);

const shanghai = (local: string): Date => new Date(`${local}+08:00`);
const account = randomWechatAccount();

/** The day-before reminder reaches the customer in their own channel, after the service was restarted in between. */
describe('visit reminders through the customer’s channel, across a restart', () => {
  let wechatApi: WechatApiStandIn;
  let wechat: Partial<Config>;
  let clock: Date;
  const running: RunningApp[] = [];

  beforeAll(async () => {
    wechatApi = new WechatApiStandIn({ appId: account.appId, appSecret: 'wx-secret' });
    const apiBase = await wechatApi.start();
    wechat = {
      wechat: { token: account.token, appId: account.appId, appSecret: 'wx-secret', encodingAesKey: account.encodingAesKey, apiBase },
    };
  });
  afterAll(async () => {
    await wechatApi.stop();
  });
  beforeEach(() => {
    clock = shanghai('2026-11-22T10:00:00');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
  });

  async function start(prefix: string): Promise<RunningApp> {
    const app = await startTestApp({ ...wechat, redisKeyPrefix: prefix }, { now: () => clock });
    running.push(app);
    return app;
  }

  async function restart(app: RunningApp, prefix: string): Promise<RunningApp> {
    running.splice(running.indexOf(app), 1);
    await app.stop();
    return start(prefix);
  }

  const visit = (ticket: Ticket): BookedVisit => ({
    ticketId: ticket.id,
    channel: ticket.channel,
    conversationId: ticket.conversationId,
    date: '2026-11-25',
    halfDay: 'pm',
    start: shanghai('2026-11-25T13:00:00'),
    engineerName: '李强',
    servicePointPhone: '021-62345678',
    locale: 'zh',
  });

  test('WeChat: booked, the service restarted, and at 18:00 the evening before the reminder arrives as a customer-service message', async () => {
    const prefix = uniquePrefix();
    const before = await start(prefix);
    const user = new WechatUser(before.url, account);
    expect(await user.say('你好')).toBeDefined();
    const ticket = await before.app.tickets.create(
      { ...sampleTicketDraft('13912345678'), serviceMode: 'onsite', channel: 'wechat', conversationId: user.openId },
      'bot',
    );
    await before.app.reminders?.visitBooked(visit(ticket));

    const after = await restart(before, prefix);
    clock = shanghai('2026-11-24T18:00:00');
    // The reminder, and the on-site ticket's dispatch deadline (16:00 on the 22nd), long passed with no engineer.
    expect(await after.app.reminders?.promoteDue()).toBe(2);
    const [text] = await until(() => wechatApi.sentTo(user.openId).length > 0 && wechatApi.sentTo(user.openId), 'the reminder on WeChat');
    expect(text).toMatch(/明天（11月25日）下午 13:00–18:00，工程师李强将上门维修/);
    expect(text).toContain('021-62345678');
    expect(wechatApi.sentTo(user.openId)).toHaveLength(1);
    // Booked, yet past its deadline by then: the console lists it as at risk.
    const flagged = await until(async () => (await after.app.atRisk.list()).find((r) => r.ticket.id === ticket.id), 'the flag');
    expect(flagged).toMatchObject({ reason: 'deadlinePassed', deadline: shanghai('2026-11-22T16:00:00').toISOString() });
  });

  test('two instances of the service on one Redis: the customer gets the reminder once', async () => {
    const prefix = uniquePrefix();
    const [one, two] = [await start(prefix), await start(prefix)];
    const user = new WechatUser(one.url, account);
    await user.say('你好');
    const ticket = await one.app.tickets.create(
      { ...sampleTicketDraft('13912345678'), serviceMode: 'carryIn', channel: 'wechat', conversationId: user.openId },
      'bot',
    );
    // Both hear of the booking (a retried request reaching the other instance).
    await Promise.all([one.app.reminders?.visitBooked(visit(ticket)), two.app.reminders?.visitBooked(visit(ticket))]);
    clock = shanghai('2026-11-24T18:00:00');
    await Promise.all([one.app.reminders?.promoteDue(), two.app.reminders?.promoteDue()]);
    const sentFlag = `cs:reminders:sent:${visitJobId(ticket.id, 'dayBefore', shanghai('2026-11-25T13:00:00'))}`;
    await until(async () => (await one.app.redis.get(sentFlag)) === 'delivered', 'the reminder recorded as delivered');
    expect(wechatApi.sentTo(user.openId)).toEqual([expect.stringContaining('工程师李强将上门维修')]);
  });

  test('WeChat refusing the message (45015): the reminder is on the call list for an agent to phone', async () => {
    const prefix = uniquePrefix();
    const app = await start(prefix);
    const user = new WechatUser(app.url, account);
    await user.say('你好');
    const ticket = await app.app.tickets.create(
      { ...sampleTicketDraft('13912345678'), serviceMode: 'onsite', channel: 'wechat', conversationId: user.openId },
      'bot',
    );
    await app.app.reminders?.visitBooked(visit(ticket));
    wechatApi.failNext(user.openId, 45015);
    clock = shanghai('2026-11-24T18:00:00');
    await app.app.reminders?.promoteDue();
    const [callback] = await until(async () => {
      const open = await new CallbackRequests(app.app.redis).open();
      return open.length > 0 && open;
    }, 'the call-back');
    expect(callback).toMatchObject({ conversationId: user.openId, phone: '13912345678' });
    expect(callback.note).toMatch(/上门前一天提醒未能送达.*李强/);
  });

  test('web: the reminder is pushed to the open page of the restarted service and stays in the history', async () => {
    const prefix = uniquePrefix();
    const before = await start(prefix);
    const customer = await WebClient.open(before.url);
    await customer.chat('你好');
    const ticket = await before.app.tickets.create(
      { ...sampleTicketDraft('13912345678'), serviceMode: 'onsite', channel: 'web', conversationId: customer.conversationId },
      'bot',
    );
    await before.app.reminders?.visitBooked(visit(ticket));

    const after = await restart(before, prefix);
    const socket = await new Promise<WebSocket>((resolve, reject) => {
      const url = `${after.url.replace(/^http/, 'ws')}/api/web/conversations/${customer.conversationId}/stream?token=${encodeURIComponent(customer.token)}`;
      const ws = new WebSocket(url);
      ws.on('open', () => resolve(ws));
      ws.on('error', reject);
    });
    try {
      const pushed = pushWithText(socket, '工程师李强');
      clock = shanghai('2026-11-24T18:00:00');
      await after.app.reminders?.promoteDue();
      expect(textsOf(await pushed)).toMatch(/明天（11月25日）下午.*取消预约/);
      const again = new WebClient(after.url);
      again.conversationId = customer.conversationId;
      again.token = customer.token;
      expect(textsOf(await again.history())).toContain('工程师李强将上门维修');
    } finally {
      socket.close();
    }
  });
});
