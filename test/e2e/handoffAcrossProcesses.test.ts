import { ConsoleAccounts } from '../../console/accounts';
import { ConsoleClient } from '../helpers/consoleClient';
import { startTestApp, type RunningApp } from '../helpers/testApp';
import { uniquePrefix } from '../helpers/redis';
import { WechatApiStandIn } from '../helpers/wechatApiStandIn';
import { WechatUser, randomWechatAccount } from '../helpers/wechatUser';
import { until } from '../helpers/until';
import { ConsoleEvents } from '../helpers/consoleEvents';

describe('hand-off with the customer on WeChat in one process and the agent console in another', () => {
  const account = randomWechatAccount();
  let wechatApi: WechatApiStandIn;
  let customerSide: RunningApp;
  let consoleSide: RunningApp;

  beforeAll(async () => {
    wechatApi = new WechatApiStandIn({ appId: account.appId, appSecret: 'wx-secret' });
    const apiBase = await wechatApi.start();
    // Two instances of the service on one Redis (same key prefix), as two processes behind a load balancer.
    const shared = {
      redisKeyPrefix: uniquePrefix(),
      wechat: { token: account.token, appId: account.appId, appSecret: 'wx-secret', encodingAesKey: account.encodingAesKey, apiBase },
    };
    customerSide = await startTestApp(shared);
    consoleSide = await startTestApp(shared);
    await new ConsoleAccounts(consoleSide.app.redis).create({
      username: 'agent7',
      displayName: '客服小周',
      role: 'agent',
      password: 'agent-pass-777',
    });
  });
  afterAll(async () => {
    await customerSide.stop();
    await consoleSide.stop();
    await wechatApi.stop();
  });

  test('the bot stays silent while the agent has the chat, both ways work, and handing back asks for a rating', async () => {
    const customer = new WechatUser(customerSide.url, account, undefined, 'safe');
    expect(await customer.say('我的手机充不进电')).toBeDefined();
    expect(await customer.say('转人工')).toContain('已为您转接人工客服');

    const agent = await ConsoleClient.login(consoleSide.url, 'agent7', 'agent-pass-777');
    const queue = await agent.request('GET', '/queue');
    const waiting = (queue.body.waiting as { conversationId: string; channel: string; summary: { lastMessages: string[] } }[]).find(
      (item) => item.conversationId === customer.openId,
    );
    expect(waiting).toMatchObject({ channel: 'wechat' });
    expect(waiting?.summary.lastMessages.join(' ')).toContain('充不进电');

    const stream = await ConsoleEvents.open(consoleSide.url, agent.cookieHeader());
    try {
      expect((await agent.claim(customer.openId)).status).toBe(200);
      // The customer hears that a person is there (through WeChat's customer-service API).
      await until(() => wechatApi.sentTo(customer.openId).some((text) => text.includes('客服小周')), 'the agent-joined notice');

      // The customer writes on process A: no answer from the bot, the agent sees it live on process B.
      expect(await customer.say('我已经换了充电线还是不行')).toBeUndefined();
      await until(
        () => stream.events.some((event) => event.type === 'message' && event.data.entry?.text === '我已经换了充电线还是不行'),
        'the customer message on the console',
      );

      // A photo goes to the agent too, and the bot says nothing about it.
      const photo = await customer.deliver({
        MsgType: 'image',
        PicUrl: 'http://mmbiz.example/cable.jpg',
        MediaId: 'M1',
        MsgId: customer.newMsgId(),
      });
      expect(photo.body).toBe('success');
      await until(
        () => stream.events.some((event) => event.type === 'message' && event.data.entry?.text.includes('cable.jpg')),
        'the photo on the console',
      );

      // The agent answers from process B: it reaches the customer on WeChat.
      const sent = await agent.request('POST', `/chats/${encodeURIComponent(customer.openId)}/messages`, {
        text: '请把手机和充电器一起寄来检测',
        id: 'reply-1',
      });
      expect(sent.body.delivery).toEqual({ status: 'delivered' });
      expect(wechatApi.sentTo(customer.openId)).toContain('请把手机和充电器一起寄来检测');
      // A retried send with the same id sends nothing twice.
      await agent.request('POST', `/chats/${encodeURIComponent(customer.openId)}/messages`, {
        text: '请把手机和充电器一起寄来检测',
        id: 'reply-1',
      });
      expect(wechatApi.sentTo(customer.openId).filter((text) => text === '请把手机和充电器一起寄来检测')).toHaveLength(1);

      // Handing back: the bot is back, in a clean state, and asks for a rating.
      expect((await agent.request('POST', `/chats/${encodeURIComponent(customer.openId)}/handback`)).status).toBe(200);
      await until(() => wechatApi.sentTo(customer.openId).some((text) => /打分|评价/.test(text)), 'the rating question');
      const thanks = await customer.say('5');
      expect(thanks).toMatch(/感谢/);
      const transcript = await consoleSide.app.transcripts.read(customer.openId);
      const speakers = transcript.map((entry) => entry.speaker);
      expect(speakers).toEqual(expect.arrayContaining(['user', 'bot', 'agent', 'system']));
      expect(transcript.find((entry) => entry.speaker === 'agent')?.activity.from).toMatchObject({ name: '客服小周', role: 'agent' });
    } finally {
      stream.close();
    }
  });
});
