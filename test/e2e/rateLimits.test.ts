import { randomUUID } from 'node:crypto';
import { connectRedis } from '../../common/redis';
import { ConsoleAccounts } from '../../console/accounts';
import type { RateLimitSettings } from '../../common/rateLimitSettings';
import { ConsoleClient } from '../helpers/consoleClient';
import { testRedisUrl } from '../helpers/redis';
import { startTestApp, type RunningApp } from '../helpers/testApp';
import { signedRelayMessage } from '../helpers/topStandIn';
import { WechatApiStandIn } from '../helpers/wechatApiStandIn';
import { WechatUser, randomWechatAccount } from '../helpers/wechatUser';

/** Small enough to reach in a few requests; every scenario uses its own addresses, conversations, customers. */
const SMALL: RateLimitSettings = {
  webConversationsPerIp: { points: 3, seconds: 60 },
  messagesPerConversation: { points: 3, seconds: 60 },
  messagesPerIp: { points: 6, seconds: 60 },
  messagesPerChannelCustomer: { points: 3, seconds: 60 },
  consolePerSession: { points: 5, seconds: 60 },
};
const SLOW_DOWN = '您发得太快了，请稍后再发。';
const taobao = { appKey: '23456789', appSecret: 'shop-secret-of-the-app' };
const SELLER = '星耀官方旗舰店';

interface Answer {
  status: number;
  retryAfter: string | null;
  body: {
    code?: string;
    message?: string;
    conversationId?: string;
    token?: string;
    activities?: { text?: string }[];
    replies?: { content: string }[];
  };
}

async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { forwardedFor?: string; token?: string; body?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.forwardedFor) headers['x-forwarded-for'] = options.forwardedFor;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: text ? (JSON.parse(text) as Answer['body']) : {},
  };
}

/** A web customer whose requests come through our proxy from `ip`. */
class WebCustomer {
  conversationId = '';
  token = '';

  constructor(
    private readonly baseUrl: string,
    public ip: string,
  ) {}

  async open(): Promise<Answer> {
    const answer = await call(this.baseUrl, 'POST', '/api/web/conversations', { forwardedFor: this.ip, body: {} });
    this.conversationId = answer.body.conversationId ?? '';
    this.token = answer.body.token ?? '';
    return answer;
  }

  say(text: string): Promise<Answer> {
    return call(this.baseUrl, 'POST', `/api/web/conversations/${this.conversationId}/messages`, {
      forwardedFor: this.ip,
      token: this.token,
      body: { text, id: randomUUID() },
    });
  }

  async historyLength(): Promise<number> {
    const answer = await call(this.baseUrl, 'GET', `/api/web/conversations/${this.conversationId}/history`, {
      forwardedFor: this.ip,
      token: this.token,
    });
    return answer.body.activities?.length ?? -1;
  }
}

function expectTooManyRequests(answer: Answer, seconds: number): void {
  expect(answer.status).toBe(429);
  expect(answer.body.code).toBe('TooManyRequests');
  expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(answer.retryAfter)).toBeLessThanOrEqual(seconds);
}

function relayPost(baseUrl: string, buyerNick: string, content: string): Promise<Answer> {
  const fields = signedRelayMessage(
    { buyer_nick: buyerNick, seller_nick: SELLER, message_id: randomUUID(), content },
    { appKey: taobao.appKey, secret: taobao.appSecret },
  );
  return call(baseUrl, 'POST', '/api/taobao', { body: fields });
}

describe('rate limits', () => {
  const account = randomWechatAccount();
  let wechatApi: WechatApiStandIn;
  /** Behind a proxy we trust (the test itself, on loopback), with small limits. */
  let proxied: RunningApp;

  beforeAll(async () => {
    wechatApi = new WechatApiStandIn({ appId: account.appId, appSecret: 'secret-of-the-account' });
    const apiBase = await wechatApi.start();
    proxied = await startTestApp({
      rateLimits: SMALL,
      trustedProxies: ['127.0.0.1'],
      wechat: {
        token: account.token,
        appId: account.appId,
        appSecret: 'secret-of-the-account',
        encodingAesKey: account.encodingAesKey,
        apiBase,
      },
      taobao: { ...taobao, apiBase: 'http://127.0.0.1:9' },
    });
    const accounts = new ConsoleAccounts(proxied.app.redis);
    await accounts.create({ username: 'agent1', password: 'agent-pass-123', displayName: '客服小李', role: 'agent' });
    await accounts.create({ username: 'agent2', password: 'agent-pass-234', displayName: '客服小王', role: 'agent' });
  });
  afterAll(async () => {
    await proxied?.stop();
    await wechatApi?.stop();
  });

  test('web: the 4th message in a conversation gets 429 and leaves no trace; another conversation goes on', async () => {
    const customer = new WebCustomer(proxied.url, '198.51.100.10');
    const other = new WebCustomer(proxied.url, '198.51.100.11');
    expect((await customer.open()).status).toBe(201);
    expect((await other.open()).status).toBe(201);
    for (const text of ['你好', '我要报修', '取消']) expect((await customer.say(text)).status).toBe(200);
    const before = await customer.historyLength();

    const refused = await customer.say('菜单');
    expectTooManyRequests(refused, 60);
    expect(refused.body.activities).toBeUndefined();
    expect(await customer.historyLength()).toBe(before);

    const answered = await other.say('你好');
    expect(answered.status).toBe(200);
    expect(answered.body.activities?.length).toBeGreaterThan(0);
  });

  test('web: messages per address count over all its conversations', async () => {
    const [first, second, third] = ['a', 'b', 'c'].map(() => new WebCustomer(proxied.url, '198.51.100.20'));
    for (const customer of [first, second, third]) expect((await customer.open()).status).toBe(201);
    for (const customer of [first, second]) {
      for (let i = 0; i < 3; i += 1) expect((await customer.say(`第${i}条`)).status).toBe(200);
    }
    const before = await third.historyLength();
    expectTooManyRequests(await third.say('第一条'), 60);
    expect(await third.historyLength()).toBe(before);
    // The same conversation from another address is within both of its limits.
    third.ip = '198.51.100.21';
    expect((await third.say('换了网络')).status).toBe(200);
  });

  test('web: new conversations per client address, as the trusted proxy names it', async () => {
    for (let i = 0; i < 3; i += 1) expect((await new WebCustomer(proxied.url, '203.0.113.30').open()).status).toBe(201);
    const refused = await new WebCustomer(proxied.url, '203.0.113.30').open();
    expectTooManyRequests(refused, 60);
    expect(refused.body.conversationId).toBeUndefined();
    expect((await new WebCustomer(proxied.url, '203.0.113.31').open()).status).toBe(201);
  });

  test('console: API calls per session get 429 past the limit; another session is not affected', async () => {
    const li = await ConsoleClient.login(proxied.url, 'agent1', 'agent-pass-123');
    const wang = await ConsoleClient.login(proxied.url, 'agent2', 'agent-pass-234');
    for (let i = 0; i < 5; i += 1) expect((await li.request('GET', '/queue')).status).toBe(200);
    const refused = await fetch(`${proxied.url}/api/console/chats`, { headers: { cookie: li.cookieHeader() } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ code: 'TooManyRequests' });
    expect((await wang.request('GET', '/queue')).status).toBe(200);
  });

  test('WeChat: a flooding customer hears 请稍后再发 once, nothing more, and no turn; another customer is answered', async () => {
    const flooding = new WechatUser(proxied.url, account);
    const calm = new WechatUser(proxied.url, account);
    for (const text of ['你好', '我要报修', '取消']) expect(await flooding.say(text)).not.toBe(SLOW_DOWN);
    const answers = [];
    for (const text of ['在吗', '在吗', '在吗']) answers.push(await flooding.say(text));
    expect(answers).toEqual([SLOW_DOWN, undefined, undefined]);
    const inbound = (await proxied.app.transcripts.read(flooding.openId)).filter((entry) => entry.direction === 'in');
    expect(inbound).toHaveLength(3);

    expect(await calm.say('你好')).toContain('您好');
  });

  test('WeChat: an English customer is told in English', async () => {
    const user = new WechatUser(proxied.url, account);
    for (let i = 0; i < 3; i += 1) await user.say('hello there');
    expect(await user.say('hello again')).toMatch(/too fast/);
  });

  test('Taobao: a flooding buyer gets 429 with the polite text once for the relay to deliver; another buyer is answered', async () => {
    const flooding = `买家${randomUUID().slice(0, 6)}`;
    for (const text of ['你好', '我要报修', '取消']) expect((await relayPost(proxied.url, flooding, text)).status).toBe(200);
    const first = await relayPost(proxied.url, flooding, '在吗');
    expectTooManyRequests(first, 60);
    expect(first.body.replies).toEqual([{ content: SLOW_DOWN }]);
    const next = await relayPost(proxied.url, flooding, '在吗');
    expect(next.status).toBe(429);
    expect(next.body.replies).toEqual([]);
    const inbound = (await proxied.app.transcripts.read(`taobao:${SELLER}:${flooding}`)).filter((entry) => entry.direction === 'in');
    expect(inbound).toHaveLength(3);

    const calm = await relayPost(proxied.url, `买家${randomUUID().slice(0, 6)}`, '你好');
    expect(calm.status).toBe(200);
    expect(calm.body.replies?.map((reply) => reply.content).join('')).toContain('您好');
  });
});

describe('rate limits without a trusted proxy', () => {
  let direct: RunningApp;

  beforeAll(async () => {
    direct = await startTestApp({ rateLimits: SMALL, trustedProxies: [] });
  });
  afterAll(async () => {
    await direct?.stop();
  });

  test('X-Forwarded-For does not escape the limit: the connection itself is the client', async () => {
    for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) expect((await new WebCustomer(direct.url, ip).open()).status).toBe(201);
    expectTooManyRequests(await new WebCustomer(direct.url, '192.0.2.4').open(), 60);
  });
});

describe('RATE_LIMITS=off', () => {
  let off: RunningApp;

  beforeAll(async () => {
    off = await startTestApp({ rateLimits: undefined });
  });
  afterAll(async () => {
    await off?.stop();
  });

  test('nothing is limited: past every default (30 messages in a conversation) all are answered', async () => {
    const customer = new WebCustomer(off.url, '');
    await customer.open();
    for (let i = 0; i < 35; i += 1) expect((await customer.say(`第${i}条`)).status).toBe(200);
    const raw = connectRedis(testRedisUrl(), '');
    try {
      await expect(raw.keys(`${off.config.redisKeyPrefix}cs:rate:*`)).resolves.toEqual([]);
    } finally {
      await raw.quit();
    }
  });
});
