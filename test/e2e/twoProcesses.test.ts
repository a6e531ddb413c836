import { ConsoleClient } from '../helpers/consoleClient';
import { testRedisUrl, uniquePrefix } from '../helpers/redis';
import { killHard, startServiceProcess, type ServiceProcess } from '../helpers/serviceProcess';
import { WechatApiStandIn } from '../helpers/wechatApiStandIn';
import { WechatUser, randomWechatAccount } from '../helpers/wechatUser';
import { until } from '../helpers/until';

/**
 * The real service twice, as two OS processes on one Redis (as behind a load balancer): the
 * customer writes on WeChat to one, the agent works in the console of the other.
 */
describe('hand-off between two service processes', () => {
  const account = randomWechatAccount();
  let wechatApi: WechatApiStandIn;
  let customerSide: ServiceProcess;
  let consoleSide: ServiceProcess;

  beforeAll(async () => {
    wechatApi = new WechatApiStandIn({ appId: account.appId, appSecret: 'wx-secret' });
    const env = {
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: uniquePrefix(),
      SERVICE_HOURS: '00:00-24:00 1-7',
      WECHAT_TOKEN: account.token,
      WECHAT_APPID: account.appId,
      WECHAT_APPSECRET: 'wx-secret',
      WECHAT_ENCODING_AES_KEY: account.encodingAesKey,
      WECHAT_API_BASE: await wechatApi.start(),
      CONSOLE_ADMIN_USER: 'lead',
      CONSOLE_ADMIN_PASSWORD: 'lead-pass-2026',
      LOG_LEVEL: 'warn',
    };
    [customerSide, consoleSide] = await Promise.all([startServiceProcess(env), startServiceProcess(env)]);
  }, 120_000);
  afterAll(async () => {
    for (const service of [customerSide, consoleSide]) if (service && service.child.exitCode === null) await killHard(service);
    await wechatApi.stop();
  });

  test('the bot is silent while the agent on the other process has the chat; replies and the rating go through WeChat', async () => {
    const customer = new WechatUser(customerSide.url, account, undefined, 'safe');
    expect(await customer.say('转人工')).toContain('已为您转接人工客服');

    const agent = await until(
      () => ConsoleClient.login(consoleSide.url, 'lead', 'lead-pass-2026').catch(() => undefined),
      'the first admin to exist',
      15_000,
    );
    const waiting = await agent.request('GET', '/queue');
    expect((waiting.body.waiting as { conversationId: string }[]).map((item) => item.conversationId)).toContain(customer.openId);
    expect((await agent.claim(customer.openId)).status).toBe(200);

    expect(await customer.say('屏幕上有一条绿线')).toBeUndefined();
    const path = `/chats/${encodeURIComponent(customer.openId)}`;
    await until(
      async () => {
        const transcript = await agent.request('GET', `${path}/transcript`);
        return (transcript.body.entries as { text: string }[]).some((entry) => entry.text === '屏幕上有一条绿线');
      },
      'the customer message in the console of the other process',
      15_000,
    );

    const sent = await agent.request('POST', `${path}/messages`, { text: '请拍一张照片发给我看看' });
    expect(sent.body.delivery).toEqual({ status: 'delivered' });
    expect(wechatApi.sentTo(customer.openId)).toContain('请拍一张照片发给我看看');

    expect((await agent.request('POST', `${path}/handback`)).status).toBe(200);
    await until(() => wechatApi.sentTo(customer.openId).some((text) => /打分/.test(text)), 'the rating question', 15_000);
    expect(await customer.say('4')).toMatch(/感谢/);
  }, 60_000);
});
