import { randomUUID } from 'node:crypto';
import { SAMPLE_DATA_NOW, startTestApp, type RunningApp } from '../helpers/testApp';
import { RelayStandIn, TopGatewayStandIn, formBody, signedRelayMessage, standInTimestamp } from '../helpers/topStandIn';
import { WechatApiStandIn } from '../helpers/wechatApiStandIn';
import { WechatUser, randomWechatAccount } from '../helpers/wechatUser';

const credentials = { appKey: '23456789', secret: 'shop-secret-of-the-app', session: 'seller-session-token' };
const SELLER = '星耀官方旗舰店';

interface RelayAnswer {
  status: number;
  body: { replies?: { content: string }[]; code?: string; message?: string };
}

/** A buyer in Wangwang, as the shop's chat relay forwards them to /api/taobao. */
class TaobaoBuyer {
  readonly nick = `买家${randomUUID().slice(0, 6)}`;
  readonly conversationId = `taobao:${SELLER}:${this.nick}`;

  constructor(private readonly baseUrl: string) {}

  fields(content: string, messageId: string = randomUUID()): Record<string, string> {
    return signedRelayMessage(
      { buyer_nick: this.nick, seller_nick: SELLER, message_id: messageId, content },
      { appKey: credentials.appKey, secret: credentials.secret },
    );
  }

  async post(body: string, contentType = 'application/json'): Promise<RelayAnswer> {
    const response = await fetch(`${this.baseUrl}/api/taobao`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as RelayAnswer['body']) : {} };
  }

  /** Sends a message; all replies joined. */
  async say(content: string, messageId: string = randomUUID()): Promise<string> {
    const answer = await this.post(JSON.stringify(this.fields(content, messageId)));
    if (answer.status !== 200) throw new Error(`/api/taobao answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return (answer.body.replies ?? []).map((reply) => reply.content).join('\n');
  }
}

describe('Taobao chat relay and TOP order lookups', () => {
  let gateway: TopGatewayStandIn;
  let relay: RelayStandIn;
  let wechatApi: WechatApiStandIn;
  let running: RunningApp;
  const wechatAccount = randomWechatAccount();

  beforeAll(async () => {
    gateway = new TopGatewayStandIn(credentials);
    relay = new RelayStandIn({ appKey: credentials.appKey, secret: credentials.secret });
    wechatApi = new WechatApiStandIn({ appId: wechatAccount.appId, appSecret: 'wx-secret' });
    const [apiBase, relayUrl, wechatBase] = await Promise.all([gateway.start(), relay.start(), wechatApi.start()]);
    gateway
      .setOrder('3912456789012345678', {
        created: '2026-11-20 10:00:00',
        pay_time: '2026-11-20 10:05:00',
        titles: ['星耀 X20 Pro 5G手机 12+256G 曜石黑'],
      })
      .setOrder('3912456789000000001', { created: '2025-03-01 09:00:00', titles: ['星耀 X20 Pro 手机'] })
      .setOrder('3912456789000000002', { created: '2026-10-01 09:00:00', pay_time: '2026-10-01 09:30:00', titles: ['官方旗舰店 礼品卡'] });
    running = await startTestApp(
      {
        taobao: { appKey: credentials.appKey, appSecret: credentials.secret, relayUrl, apiBase, session: credentials.session },
        wechat: {
          token: wechatAccount.token,
          appId: wechatAccount.appId,
          appSecret: 'wx-secret',
          encodingAesKey: wechatAccount.encodingAesKey,
          apiBase: wechatBase,
        },
      },
      { now: SAMPLE_DATA_NOW },
    );
  });
  afterAll(async () => {
    await running.stop();
    await Promise.all([gateway.stop(), relay.stop(), wechatApi.stop()]);
  });

  test('a buyer gets the greeting with a numbered menu, and "1" picks 报修', async () => {
    const buyer = new TaobaoBuyer(running.url);
    const greeting = await buyer.say('在吗');
    expect(greeting).toMatch(/1\. 报修/);
    expect(await buyer.say('1')).toContain('序列号');
  });

  test('the same 报修 conversation succeeds end to end and the ticket says it came from Taobao', async () => {
    const buyer = new TaobaoBuyer(running.url);
    expect(await buyer.say('我要报修')).toContain('序列号');
    expect(await buyer.say('PH26P7014547')).toContain('故障');
    expect(await buyer.say('充不进电，前天开始的')).toContain('摔');
    expect(await buyer.say('都没有')).toContain('服务方式');
    expect(await buyer.say('寄修')).toContain('收件地址');
    expect(await buyer.say('浙江省杭州市西湖区文三路 100 号')).toContain('称呼');
    expect(await buyer.say('李女士')).toContain('电话');
    expect(await buyer.say('13700137000')).toContain('请核对');
    const done = await buyer.say('确认');
    const ticketId = /工单号 (S\d{6}-\d{4,})/.exec(done)?.[1] ?? '';
    const ticket = await running.app.tickets.get(ticketId);
    expect(ticket).toMatchObject({
      channel: 'taobao',
      conversationId: buyer.conversationId,
      serviceMode: 'mailIn',
      customer: { name: '李女士', phone: '13700137000' },
    });
  });

  test('a retried message id gets the first answer without a second turn; form bodies work too', async () => {
    const buyer = new TaobaoBuyer(running.url);
    const fields = buyer.fields('我要报修');
    const first = await buyer.post(JSON.stringify(fields));
    const again = await buyer.post(formBody(fields), 'application/x-www-form-urlencoded');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const transcript = await running.app.transcripts.read(buyer.conversationId);
    expect(transcript.filter((entry) => entry.direction === 'in')).toHaveLength(1);
  });

  describe('bad input gets a 4xx with a reason and changes nothing', () => {
    const stale = new Date(Date.now() - 11 * 60_000);
    const cases: [string, (buyer: TaobaoBuyer) => Promise<RelayAnswer>, number, RegExp][] = [
      ['a wrong sign', (b) => b.post(JSON.stringify({ ...b.fields('你好'), sign: 'A'.repeat(64) })), 401, /sign/],
      [
        'a stale timestamp',
        (b) =>
          b.post(
            JSON.stringify(
              signedRelayMessage(
                { buyer_nick: b.nick, seller_nick: SELLER, message_id: 'm1', content: '你好' },
                { ...credentials, now: stale },
              ),
            ),
          ),
        401,
        /too old/,
      ],
      [
        'another app key',
        (b) =>
          b.post(
            JSON.stringify(
              signedRelayMessage(
                { buyer_nick: b.nick, seller_nick: SELLER, message_id: 'm2', content: '你好' },
                { appKey: '99999999', secret: credentials.secret },
              ),
            ),
          ),
        401,
        /app_key/,
      ],
      ['malformed JSON', (b) => b.post('{"buyer_nick": '), 400, /JSON/],
      ['a number where a string belongs', (b) => b.post(JSON.stringify({ ...b.fields('你好'), content: 42 })), 400, /content/],
      [
        'a missing buyer',
        (b) => {
          const fields = signedRelayMessage({ seller_nick: SELLER, message_id: 'm3', content: '你好' }, credentials);
          return b.post(JSON.stringify(fields));
        },
        400,
        /buyer_nick/,
      ],
      ['a huge body', (b) => b.post(JSON.stringify({ ...b.fields('你好'), padding: 'x'.repeat(40_000) })), 413, /larger/],
      ['XML', (b) => b.post('<xml/>', 'text/xml'), 415, /json/i],
    ];
    test.each(cases)('%s', async (_name, send, status, reason) => {
      const buyer = new TaobaoBuyer(running.url);
      const answer = await send(buyer);
      expect(answer.status).toBe(status);
      expect(answer.body.message).toMatch(reason);
      expect(await running.app.transcripts.read(buyer.conversationId)).toHaveLength(0);
    });
  });

  test("later messages are pushed to the relay, signed; when it is down they wait for the buyer's next message", async () => {
    const buyer = new TaobaoBuyer(running.url);
    await buyer.say('你好');
    const agent = { id: 'agent1', name: '客服小李', role: 'agent' };
    expect(await running.app.proactive.send(buyer.conversationId, [{ type: 'message', text: '您好，我是客服小李', from: agent }])).toEqual({
      status: 'delivered',
    });
    expect(relay.delivered).toContainEqual(
      expect.objectContaining({ buyerNick: buyer.nick, sellerNick: SELLER, content: '您好，我是客服小李' }),
    );
    expect(relay.attempts.every((attempt) => attempt.verified)).toBe(true);

    relay.failNext(10);
    const outcome = await running.app.proactive.send(buyer.conversationId, [{ type: 'message', text: '快递单号已发您', from: agent }]);
    expect(outcome.status).toBe('kept');
    relay.failNext(0);
    expect(await buyer.say('收到了吗')).toContain('快递单号已发您');
  }, 30_000);

  test('messages kept while the relay is down reach the buyer once, in order, with their next answer', async () => {
    const buyer = new TaobaoBuyer(running.url);
    await buyer.say('你好');
    const agent = { id: 'agent1', name: '客服小李', role: 'agent' };
    const kept = ['退款已受理', '款项 1–3 个工作日原路退回', '如有疑问请随时联系我们'];
    relay.failNext(100);
    for (const text of kept) {
      expect(await running.app.proactive.send(buyer.conversationId, [{ type: 'message', text, from: agent }])).toMatchObject({
        status: 'kept',
      });
    }
    relay.failNext(0);
    const messageId = randomUUID();
    const next = await buyer.say('好的', messageId);
    const positions = kept.map((text) => next.indexOf(text));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(next.length).toBeGreaterThan(positions[2] + kept[2].length);
    // The relay retrying that message gets the same answer; the buyer's next message has none of them.
    expect(await buyer.say('好的', messageId)).toBe(next);
    const after = await buyer.say('你好');
    for (const text of kept) expect(after).not.toContain(text);
    expect(relay.delivered.filter((message) => kept.includes(message.content))).toEqual([]);
  }, 30_000);

  describe('warranty by Taobao order number, from any channel', () => {
    test("on Taobao: the order's payment date and item title give the verdict at once", async () => {
      const buyer = new TaobaoBuyer(running.url);
      const answer = await buyer.say('查保修，订单号 3912456789012345678');
      expect(answer).toContain('星耀 X20 Pro');
      expect(answer).toContain('退货');
      expect(answer).toMatch(/2026年11月20日/);
      const lookup = gateway.requests.find((request) => request.params.tid === '3912456789012345678');
      expect(lookup).toMatchObject({ signatureOk: true, params: { method: 'taobao.trade.fullinfo.get', session: credentials.session } });
    });

    test('on WeChat: an unpaid-date order uses its creation date; an old one is out of warranty', async () => {
      const user = new WechatUser(running.url, wechatAccount, undefined, 'safe');
      await user.say('保修查询');
      const answer = (await user.say('淘宝订单 3912 4567 8900 0000 001')) ?? '';
      expect(answer).toContain('星耀 X20 Pro');
      expect(answer).toContain('已经到期');
      expect(answer).toMatch(/2025年3月1日/);
    });

    test('an order whose item names no model asks for the model, keeping the date', async () => {
      const buyer = new TaobaoBuyer(running.url);
      await buyer.say('保修查询');
      const first = await buyer.say('3912456789000000002');
      expect(first).toMatch(/2026年10月1日/);
      expect(first).toContain('型号');
      const answer = await buyer.say('X30');
      expect(answer).toContain('星耀 X30');
      expect(answer).toContain('淘宝订单');
    });

    test("an order that is not the shop's, or a gateway that is down, gets an honest answer and a way on", async () => {
      const buyer = new TaobaoBuyer(running.url);
      await buyer.say('保修查询');
      expect(await buyer.say('订单号 1111222233334444555')).toContain('没有查到订单');
      gateway.failNext({ status: 502 }, { status: 502 });
      expect(await buyer.say('订单号 3912456789012345678')).toContain('购买日期');
    });
  });

  test("the relay's timestamps are GMT+8 wall-clock times", () => {
    expect(standInTimestamp(new Date('2026-11-22T02:00:00Z'))).toBe('2026-11-22 10:00:00');
  });

  test('Taobao off (no app key) answers 404', async () => {
    const off = await startTestApp();
    try {
      const response = await fetch(`${off.url}/api/taobao`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(404);
      const wechat = await fetch(`${off.url}/api/wechat?signature=a&timestamp=1&nonce=1&echostr=x`);
      expect(wechat.status).toBe(404);
    } finally {
      await off.stop();
    }
  });
});
