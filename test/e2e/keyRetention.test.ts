import { randomUUID } from 'node:crypto';
import { DAY_SECONDS } from '../../common/retention';
import { KEY_OWNERS, ownerOf } from '../../common/keyOwners';
import { auditKeys, keysOfConversation, type AuditedKey, type KeyAudit } from '../helpers/keyAudit';
import { SAMPLE_DATA_NOW, startTestApp, type RunningApp } from '../helpers/testApp';
import { signedRelayMessage } from '../helpers/topStandIn';
import { until } from '../helpers/until';
import { WebClient } from '../helpers/webClient';
import { WechatApiStandIn } from '../helpers/wechatApiStandIn';
import { WechatUser, randomWechatAccount } from '../helpers/wechatUser';

const IDLE_DAYS = 7;
const TRANSCRIPT_DAYS = 90;
const wechatAccount = randomWechatAccount();
const taobao = { appKey: '23456789', secret: 'shop-secret-of-the-app' };

/** "Every key has an owner and an end": what a conversation leaves in Redis, key by key. */
describe('every key a conversation creates has a TTL or a documented owner', () => {
  let wechatApi: WechatApiStandIn;
  let running: RunningApp;

  beforeAll(async () => {
    wechatApi = new WechatApiStandIn({ appId: wechatAccount.appId, appSecret: 'wx-secret' });
    const wechatBase = await wechatApi.start();
    running = await startTestApp(
      {
        rateLimits: undefined,
        retention: { conversationIdleDays: IDLE_DAYS, transcriptDays: TRANSCRIPT_DAYS, transcriptMaxEntries: 500 },
        wechat: {
          token: wechatAccount.token,
          appId: wechatAccount.appId,
          appSecret: 'wx-secret',
          encodingAesKey: wechatAccount.encodingAesKey,
          apiBase: wechatBase,
        },
        // No relay and no TOP session: replies come back in the response, which is all this needs.
        taobao: { appKey: taobao.appKey, appSecret: taobao.secret, apiBase: 'http://127.0.0.1:9/router/rest' },
      },
      { now: SAMPLE_DATA_NOW },
    );
  });
  afterAll(async () => {
    await running.stop();
    await wechatApi.stop();
  });

  /** Fails with the names of keys that would stay forever without anyone owning them. */
  async function audit(): Promise<KeyAudit> {
    const result = await auditKeys(running.config.redisKeyPrefix);
    expect({ unknown: result.unknown, documentedToExpireButDoNot: result.missingTtl }).toEqual({
      unknown: [],
      documentedToExpireButDoNot: [],
    });
    return result;
  }

  /** Idle keys live the configured idle time from the last turn; transcripts their own retention. */
  function expectConfiguredEnds(keys: AuditedKey[]): void {
    for (const key of keys) {
      const limit = key.end === 'idle' ? IDLE_DAYS * DAY_SECONDS : key.end === 'transcript' ? TRANSCRIPT_DAYS * DAY_SECONDS : undefined;
      if (limit === undefined) continue;
      expect({ key: key.key, ttlWithinLimit: key.ttl > limit - 120 && key.ttl <= limit }).toEqual({ key: key.key, ttlWithinLimit: true });
    }
  }

  const endsOf = (keys: AuditedKey[]) =>
    Object.fromEntries(keys.map((k) => [k.key.replace(/web-[0-9a-f-]{36}|o[\w-]{16}|买家\w+/g, '<id>'), k.end]));

  test('web: greeting, an FAQ answer, 报修 up to a ticket, a wrong lookup, a rating, a call-back and a hand-off', async () => {
    const client = await WebClient.open(running.url);
    expect(await client.chat('笔记本电脑怎么连接投影仪')).toContain('有帮助吗');
    expect(await client.chat('有帮助')).toContain('很高兴');
    expect(await client.chat('我要报修')).toContain('序列号');
    expect(await client.chat('序列号是 PH26P7014547')).toContain('故障');
    expect(await client.chat('充不进电，前天开始的')).toContain('摔');
    expect(await client.chat('都没有')).toContain('服务方式');
    expect(await client.chat('送修')).toContain('称呼');
    expect(await client.chat('我叫王小明')).toContain('电话');
    expect(await client.chat('13800138000')).toContain('请核对');
    const ticketId = /工单号 (S\d{6}-\d{4,})/.exec(await client.chat('确认提交'))?.[1];
    expect(ticketId).toBeDefined();
    expect(await client.chat(`工单进度 ${ticketId}`)).toContain('后四位');
    expect(await client.chat('0000')).toContain('对不上');
    expect(await client.chat('评价')).toMatch(/打分|评价/);
    expect(await client.chat('5')).toContain('感谢');
    expect(await client.chat('转人工')).toMatch(/前面还有 \d+ 位|马上为您接入|客服都在忙/);
    expect(await client.chat('还是给我回电吧')).toMatch(/手机号|号码/);
    expect(await client.chat('13912345678')).toMatch(/已登记回电/);
    expect(await client.chat('转人工')).toMatch(/前面还有 \d+ 位|马上为您接入|客服都在忙/);

    // Waiting for an agent: the queue owns the record, so it does not expire under the customer.
    const waiting = await audit();
    const mine = keysOfConversation(waiting, client.conversationId);
    expect(mine.find((k) => k.key.startsWith('cs:handoff:{q}:conv:'))).toMatchObject({ ttl: -1, end: 'owned' });
    expect(endsOf(mine)).toEqual(
      expect.objectContaining({
        'cs:state:{web/conversations/<id>/}': 'idle',
        'cs:conv:{<id>}:web': 'idle',
        'cs:conv:{<id>}:reference': 'idle',
        'cs:conv:{<id>}:facts': 'idle',
        'cs:conv:{<id>}:callback': 'idle',
        'cs:conv:{<id>}:transcript': 'transcript',
        'cs:conv:{<id>}:ratings': 'record',
      }),
    );
    expectConfiguredEnds(mine);
    expect(waiting.keys.map((k) => k.key)).toEqual(
      expect.arrayContaining([`cs:ticket:{${ticketId}}`, 'cs:ratings:byTime', 'cs:transcripts:byLastActivity']),
    );

    // Handed back: the record is the bot's again and ends like the rest of the conversation.
    const agent = { username: 'agent7', displayName: '客服小李' };
    expect((await running.app.handoff.claim(client.conversationId, agent)).ok).toBe(true);
    expect((await running.app.handoff.handBack(client.conversationId, agent)).ok).toBe(true);
    await until(
      async () => (await client.history()).some((a) => /打分|评价/.test(a.text ?? '') && a.from?.role === 'bot'),
      'the rating question after the hand-back',
    );
    expect(await client.chat('4')).toContain('感谢');
    const after = keysOfConversation(await audit(), client.conversationId);
    for (const record of after.filter((k) => k.key.startsWith('cs:handoff:{q}:'))) {
      expect(record.ttl).toBeGreaterThan(IDLE_DAYS * DAY_SECONDS - 120);
      expect(record.ttl).toBeLessThanOrEqual(IDLE_DAYS * DAY_SECONDS);
    }
  });

  test('each turn gives every idle key of the conversation its full time again', async () => {
    const client = await WebClient.open(running.url);
    await client.chat('我要报修');
    await client.chat('序列号是 PH26P7014547');
    const before = keysOfConversation(await audit(), client.conversationId).filter((k) => k.end === 'idle');
    expect(before.length).toBeGreaterThanOrEqual(4);
    // As if the customer had been away for all but a minute of the idle time.
    for (const key of before) await running.app.redis.expire(key.key, 60);
    // 帮助 need not change what the dialog keeps, yet the conversation was used.
    await client.chat('帮助');
    const refreshed = keysOfConversation(await audit(), client.conversationId).filter((k) => k.end === 'idle');
    expect(refreshed.map((k) => k.key).sort()).toEqual(before.map((k) => k.key).sort());
    expectConfiguredEnds(refreshed);
  });

  test('once the idle time is over the conversation is unknown (404), and a new one works', async () => {
    const client = await WebClient.open(running.url);
    await client.chat('你好');
    const idle = keysOfConversation(await audit(), client.conversationId).filter((k) => k.end === 'idle');
    for (const key of idle) await running.app.redis.pexpire(key.key, 1);
    await until(async () => (await running.app.redis.exists(...idle.map((k) => k.key))) === 0, 'the idle keys to expire');
    const refused = await client.say('还在吗');
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe('UnknownConversation');
    expect((await client.request('GET', `/api/web/conversations/${client.conversationId}/history`, undefined, client.auth())).status).toBe(
      404,
    );
    const fresh = await WebClient.open(running.url);
    expect(await fresh.chat('你好')).toContain('您好');
  });

  test('WeChat: a follow, the numbered menu, an image and the first 报修 answers', async () => {
    const user = new WechatUser(running.url, wechatAccount);
    expect((await user.deliver({ MsgType: 'event', Event: 'subscribe' })).content).toContain('您好');
    expect(await user.say('1')).toContain('序列号');
    const image = await user.deliver({
      MsgType: 'image',
      PicUrl: 'http://mmbiz.example/pic1.jpg',
      MediaId: 'MEDIA_1',
      MsgId: user.newMsgId(),
    });
    expect(image.status).toBe(200);
    expect(await user.say('序列号是 PH26P7014547')).toContain('故障');
    const mine = keysOfConversation(await audit(), user.openId);
    expect(endsOf(mine)).toEqual(
      expect.objectContaining({
        'cs:state:{wechat/conversations/<id>/}': 'idle',
        'cs:conv:{<id>}:reference': 'idle',
        'cs:conv:{<id>}:attachments': 'idle',
        'cs:conv:{<id>}:transcript': 'transcript',
      }),
    );
    expectConfiguredEnds(mine);
  });

  test("Taobao: a buyer's greeting and a numbered choice", async () => {
    const nick = `买家${randomUUID().slice(0, 6)}`;
    const say = async (content: string): Promise<string> => {
      const body = signedRelayMessage(
        { buyer_nick: nick, seller_nick: '星耀官方旗舰店', message_id: randomUUID(), content },
        { appKey: taobao.appKey, secret: taobao.secret },
      );
      const response = await fetch(`${running.url}/api/taobao`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      return JSON.stringify(await response.json());
    };
    expect(await say('在吗')).toMatch(/1\. 报修/);
    expect(await say('1')).toContain('序列号');
    const mine = keysOfConversation(await audit(), nick);
    expect(endsOf(mine)).toEqual(
      expect.objectContaining({
        'cs:conv:{taobao:星耀官方旗舰店:<id>}:transcript': 'transcript',
        'cs:conv:{taobao:星耀官方旗舰店:<id>}:reference': 'idle',
      }),
    );
    expectConfiguredEnds(mine);
  });

  test('the table lists the transient keys of the flood and lock-out protections up front', () => {
    for (const key of [
      'cs:rate:messagesPerIp:127.0.0.1',
      'cs:security:anything',
      'cs:console:loginFailures:ip:127.0.0.1',
      'cs:wechat:nonce:abc',
      'cs:conv:{web-1}:channel',
    ]) {
      expect({ key, end: ownerOf(key)?.end }).toEqual({ key, end: key.includes(':channel') ? 'idle' : 'ttl' });
    }
    expect(new Set(KEY_OWNERS.map((row) => row.pattern)).size).toBe(KEY_OWNERS.length);
  });
});
