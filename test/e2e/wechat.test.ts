import { createHash } from 'node:crypto';
import { SAMPLE_DATA_NOW, startTestApp, type RunningApp } from '../helpers/testApp';
import { WechatApiStandIn } from '../helpers/wechatApiStandIn';
import { WechatUser, randomWechatAccount, xmlOf, type WechatAccount, type WechatMode } from '../helpers/wechatUser';
import { ConversationLock } from '../../common/conversationLock';
import { until } from '../helpers/until';

const account: WechatAccount = randomWechatAccount();

describe('WeChat Official Account channel', () => {
  let wechatApi: WechatApiStandIn;
  let running: RunningApp;
  let slow: RunningApp;

  const wechatConfig = (apiBase: string) => ({
    wechat: {
      token: account.token,
      appId: account.appId,
      appSecret: 'secret-of-the-account',
      encodingAesKey: account.encodingAesKey,
      apiBase,
    },
  });

  beforeAll(async () => {
    wechatApi = new WechatApiStandIn({ appId: account.appId, appSecret: 'secret-of-the-account' });
    const apiBase = await wechatApi.start();
    running = await startTestApp(wechatConfig(apiBase), { now: SAMPLE_DATA_NOW });
    // Every turn is "slower" than a 1 ms budget: answers go through the customer-service API.
    slow = await startTestApp(wechatConfig(apiBase), { now: SAMPLE_DATA_NOW, wechatPassiveBudgetMs: 1 });
  });
  afterAll(async () => {
    await running.stop();
    await slow.stop();
    await wechatApi.stop();
  });

  const userOf = (app: RunningApp, mode: WechatMode = 'safe') => new WechatUser(app.url, account, undefined, mode);

  test('the URL check echoes echostr only with the right signature', async () => {
    const timestamp = '1714036504';
    const nonce = '1514711492';
    const signature = createHash('sha1').update([account.token, timestamp, nonce].sort().join('')).digest('hex');
    const good = await fetch(
      `${running.url}/api/wechat?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&echostr=4375120948345356249`,
    );
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('4375120948345356249');
    const bad = await fetch(
      `${running.url}/api/wechat?signature=${'0'.repeat(40)}&timestamp=${timestamp}&nonce=${nonce}&echostr=4375120948345356249`,
    );
    expect(bad.status).toBe(401);
    expect(await bad.text()).not.toContain('4375120948345356249');
  });

  test.each<WechatMode>(['plaintext', 'compatible', 'safe'])(
    '%s mode: a text gets a correct passive reply (encrypted where the push was)',
    async (mode) => {
      const user = userOf(running, mode);
      const delivery = await user.deliver({ MsgType: 'text', Content: '你好', MsgId: user.newMsgId() });
      expect(delivery.status).toBe(200);
      expect(delivery.encrypted).toBe(mode !== 'plaintext');
      expect(delivery.toUser).toBe(user.openId);
      expect(delivery.fromUser).toBe(user.accountId);
      expect(delivery.content).toContain('您好');
      // No buttons on WeChat: the menu is numbered text.
      expect(delivery.content).toMatch(/1\. 报修/);
    },
  );

  test('a reply of "1" picks the first option of the numbered menu', async () => {
    const user = userOf(running);
    expect(await user.say('你好')).toMatch(/1\. 报修/);
    expect(await user.say('1')).toContain('序列号');
  });

  test('the same message delivered four times makes one turn and one answer', async () => {
    const user = userOf(running);
    const msgId = user.newMsgId();
    const deliveries = await Promise.all([0, 1, 2, 3].map(() => user.deliver({ MsgType: 'text', Content: '我要报修', MsgId: msgId })));
    const answered = deliveries.map((delivery) => delivery.content);
    expect(answered.every((content) => content === answered[0])).toBe(true);
    expect(answered[0]).toContain('序列号');
    const again = await user.deliver({ MsgType: 'text', Content: '我要报修', MsgId: msgId });
    expect(again.content).toBe(answered[0]);
    const transcript = await running.app.transcripts.read(user.openId);
    expect(transcript.filter((entry) => entry.direction === 'in')).toHaveLength(1);
    expect(wechatApi.sentTo(user.openId)).toHaveLength(0);
  });

  test.each<WechatMode>(['plaintext', 'safe'])(
    '%s mode: WeChat retrying with the same query and body makes one turn; both get the answer',
    async (mode) => {
      const user = userOf(running, mode);
      const { pathAndQuery, body } = user.message({ MsgType: 'text', Content: '我要报修', MsgId: user.newMsgId() });
      const first = await user.postRaw(pathAndQuery, body);
      const retry = await user.postRaw(pathAndQuery, body);
      expect(first.status).toBe(200);
      expect(first.content).toContain('序列号');
      // Encrypted replies differ in their random padding; what the customer reads is the same.
      expect(retry).toMatchObject({ status: 200, content: first.content, encrypted: mode === 'safe' });
      const transcript = await running.app.transcripts.read(user.openId);
      expect(transcript.filter((entry) => entry.direction === 'in')).toHaveLength(1);
    },
  );

  test('a signed query used again for another body is a replay: refused, nothing said, nothing recorded', async () => {
    const customer = userOf(running, 'plaintext');
    const seen = customer.message({ MsgType: 'text', Content: '你好', MsgId: customer.newMsgId() });
    expect((await customer.postRaw(seen.pathAndQuery, seen.body)).content).toContain('您好');

    // Someone who saw that URL posts a message of their own choosing under it (plaintext mode signs only the query).
    const victim = userOf(running, 'plaintext');
    const forged = xmlOf({
      ToUserName: victim.accountId,
      FromUserName: victim.openId,
      CreateTime: String(Math.floor(Date.now() / 1000)),
      MsgType: 'text',
      Content: '我要报修',
      MsgId: victim.newMsgId(),
    });
    const replay = await victim.postRaw(seen.pathAndQuery, forged);
    expect(replay.status).toBe(401);
    expect(JSON.parse(replay.body)).toMatchObject({ code: 'ReplayedSignature' });
    expect(await running.app.transcripts.read(victim.openId)).toHaveLength(0);
    const customerSaid = (await running.app.transcripts.read(customer.openId)).filter((entry) => entry.direction === 'in');
    expect(customerSaid.map((entry) => entry.activity.text)).toEqual(['你好']);
    // Remembered only while the timestamp is accepted (10 minutes either side of our clock).
    const signedQuery = new URLSearchParams(seen.pathAndQuery.split('?')[1]);
    const ttl = await running.app.redis.ttl(`cs:wechat:nonce:${signedQuery.get('timestamp')}:${signedQuery.get('nonce')}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(602);
    // The victim's own messages, under their own signatures, are answered as ever.
    expect(await victim.say('你好')).toContain('您好');
  });

  test('a turn slower than the budget: success at once, the answer through the customer-service API, once', async () => {
    const user = userOf(slow);
    const msgId = user.newMsgId();
    const deliveries = await Promise.all([0, 1, 2, 3].map(() => user.deliver({ MsgType: 'text', Content: '你好', MsgId: msgId })));
    for (const delivery of deliveries) expect(delivery.body).toBe('success');
    const sent = (await until(() => wechatApi.sentTo(user.openId)[0], 'the late answer')) ?? '';
    // Turns in a conversation run one after another: once the next message is answered, a second
    // turn for the repeated deliveries would have answered before it.
    await user.deliver({ MsgType: 'text', Content: '谢谢', MsgId: user.newMsgId() });
    await until(() => wechatApi.sentTo(user.openId)[1], 'the answer to the next message');
    expect(wechatApi.sentTo(user.openId)).toHaveLength(2);
    expect(sent).toContain('您好');
    expect(sent).toMatch(/1\. 报修/);
    expect(wechatApi.typing.some((call) => call.touser === user.openId)).toBe(true);
  });

  test('WeChat retrying during a slow turn: one turn, and the customer gets exactly one reply', async () => {
    const user = userOf(slow);
    // The conversation is busy (an earlier turn still running): this message's turn waits for it.
    let finishEarlierTurn: () => void = () => undefined;
    const earlierTurn = new Promise<void>((resolve) => {
      finishEarlierTurn = resolve;
    });
    const busy = new ConversationLock(slow.app.redis).withLock(user.openId, () => earlierTurn);
    await until(() => slow.app.redis.exists(`cs:conv:{${user.openId}}:lock`), 'the conversation to be busy');

    const msgId = user.newMsgId();
    const first = await user.deliver({ MsgType: 'text', Content: '我要报修', MsgId: msgId });
    const retryDuringTurn = await user.deliver({ MsgType: 'text', Content: '我要报修', MsgId: msgId });
    expect([first.body, retryDuringTurn.body]).toEqual(['success', 'success']);
    expect(wechatApi.sentTo(user.openId)).toHaveLength(0);

    finishEarlierTurn();
    await busy;
    const reply = await until(() => wechatApi.sentTo(user.openId)[0], 'the answer through the customer-service API');
    expect(reply).toContain('序列号');
    const retryAfterTurn = await user.deliver({ MsgType: 'text', Content: '我要报修', MsgId: msgId });
    expect(retryAfterTurn.body).toBe('success');

    // A next message's answer comes after anything a second turn of the first would have sent.
    await user.say('菜单');
    await until(() => wechatApi.sentTo(user.openId).length >= 2, 'the answer to the next message');
    const sent = wechatApi.sentTo(user.openId);
    expect(sent).toHaveLength(2);
    expect(sent.filter((text) => text.includes('序列号'))).toHaveLength(1);
    const said = (await slow.app.transcripts.read(user.openId)).filter((entry) => entry.direction === 'in');
    expect(said.map((entry) => entry.activity.text)).toEqual(['我要报修', '菜单']);
  });

  test('an expired access_token is fetched again once and the answer still arrives', async () => {
    const user = userOf(slow);
    await user.say('你好');
    await until(() => wechatApi.sentTo(user.openId).length === 1, 'the first answer');
    const fetches = wechatApi.tokenFetches;
    wechatApi.expireAll();
    await user.say('菜单');
    await until(() => wechatApi.sentTo(user.openId).length === 2, 'the answer after the token expired');
    expect(wechatApi.tokenFetches).toBe(fetches + 1);
  });

  test('subscribe gets the welcome and menu; a menu click starts that service; voice is read as text', async () => {
    const user = userOf(running);
    const welcome = await user.deliver({ MsgType: 'event', Event: 'subscribe' });
    expect(welcome.content).toContain('您好');
    expect(welcome.content).toMatch(/1\. 报修/);
    const click = await user.deliver({ MsgType: 'event', Event: 'CLICK', EventKey: 'REPAIR' });
    expect(click.content).toContain('序列号');
    const voice = await user.deliver({ MsgType: 'voice', MediaId: 'media1', Format: 'amr', Recognition: '取消', MsgId: user.newMsgId() });
    expect(voice.content).toContain('取消');
    const silent = await user.deliver({ MsgType: 'voice', MediaId: 'media2', Format: 'amr', MsgId: user.newMsgId() });
    expect(silent.content).toContain('文字');
  });

  test('unsubscribe deletes the conversation: state, transcript and options', async () => {
    const user = userOf(running);
    await user.say('我要报修');
    const stateKey = `cs:state:{wechat/conversations/${user.openId}/}`;
    expect((await running.app.transcripts.read(user.openId)).length).toBeGreaterThan(0);
    expect(await running.app.redis.exists(stateKey)).toBe(1);
    const bye = await user.deliver({ MsgType: 'event', Event: 'unsubscribe' });
    expect(bye.body).toBe('success');
    expect(await running.app.transcripts.read(user.openId)).toHaveLength(0);
    expect(await running.app.redis.exists(stateKey)).toBe(0);
    // Coming back starts afresh: the 报修 question is no longer pending, so a phone number is not taken as an answer.
    expect(await user.say('你好')).toMatch(/您好/);
  });

  test('an image is kept on the conversation and lands on the ticket of the 报修 that follows', async () => {
    const user = userOf(running);
    const image = await user.deliver({
      MsgType: 'image',
      PicUrl: 'http://mmbiz.example/pic1.jpg',
      MediaId: 'MEDIA_1',
      MsgId: user.newMsgId(),
    });
    expect(image.content).toContain('图片');
    const ticketId = await reportFault(user);
    const ticket = await running.app.tickets.get(ticketId);
    expect(ticket?.attachments?.join(' ')).toContain('http://mmbiz.example/pic1.jpg');
    expect(ticket?.channel).toBe('wechat');
  });

  test('proactive messages use the 5-in-48-hours budget; what is left over reaches the customer when they write again', async () => {
    const user = userOf(running);
    await user.say('你好');
    const outcomes = [];
    for (let i = 1; i <= 6; i += 1)
      outcomes.push(
        await running.app.proactive.send(user.openId, [
          { type: 'message', text: `客服消息 ${i}`, from: { id: 'agent1', name: '客服小李', role: 'agent' } },
        ]),
      );
    expect(outcomes.slice(0, 5).every((outcome) => outcome.status === 'delivered')).toBe(true);
    expect(outcomes[5].status).toBe('kept');
    expect(wechatApi.sentTo(user.openId)).toEqual(['客服消息 1', '客服消息 2', '客服消息 3', '客服消息 4', '客服消息 5']);
    const next = await user.say('你好');
    expect(next).toContain('客服消息 6');
    expect(await user.say('你好')).not.toContain('客服消息 6');
  });

  test('messages kept while the budget is spent reach the customer once, in order, when they write again', async () => {
    const user = userOf(running);
    await user.say('你好');
    const agent = { id: 'agent1', name: '客服小李', role: 'agent' };
    for (let i = 1; i <= 5; i += 1)
      await running.app.proactive.send(user.openId, [{ type: 'message', text: `客服消息 ${i}`, from: agent }]);
    const kept = ['您的维修单已寄出', '快递单号 SF1234567', '请注意查收'];
    for (const text of kept) {
      expect(await running.app.proactive.send(user.openId, [{ type: 'message', text, from: agent }])).toMatchObject({ status: 'kept' });
    }
    expect(wechatApi.sentTo(user.openId)).toHaveLength(5);

    const msgId = user.newMsgId();
    const next = (await user.say('好的', msgId)) ?? '';
    const positions = kept.map((text) => next.indexOf(text));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // The bot's own answer comes after them.
    expect(next.length).toBeGreaterThan(positions[2] + kept[2].length);
    // WeChat retrying that message gets the same reply, not a second copy; the next message has none.
    expect(await user.say('好的', msgId)).toBe(next);
    const after = (await user.say('你好')) ?? '';
    for (const text of kept) expect(after).not.toContain(text);
    expect(wechatApi.sentTo(user.openId)).toHaveLength(5);
  });

  test('WeChat refusing a message (45015) keeps it and tells the sender', async () => {
    const user = userOf(running);
    await user.say('你好');
    wechatApi.failNext(user.openId, 45015);
    const outcome = await running.app.proactive.send(user.openId, [
      { type: 'message', text: '工程师明天上午到', from: { id: 'agent1', name: '客服小李', role: 'agent' } },
    ]);
    expect(outcome).toMatchObject({ status: 'kept' });
    expect(await user.say('好的')).toContain('工程师明天上午到');
  });

  describe('bad input gets a 4xx, is logged, and changes nothing', () => {
    const cases: [string, (user: WechatUser) => Promise<{ status: number }>, number][] = [
      ['a wrong signature', (user) => user.post(xmlOf(message(user)), message(user), (q) => q.set('signature', 'f'.repeat(40))), 401],
      [
        'a wrong msg_signature',
        (user) => inSafeMode(user).post(xmlOf(message(user)), message(user), (q) => q.set('msg_signature', 'f'.repeat(40))),
        401,
      ],
      ['a stale timestamp', (user) => postSigned(user, xmlOf(message(user)), Math.floor(Date.now() / 1000) - 3600), 401],
      ['malformed XML', (user) => postSigned(user, '<xml><ToUserName>gh</ToUserName><MsgType>text', undefined), 400],
      [
        'entity expansion',
        (user) =>
          postSigned(
            user,
            `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><xml><ToUserName>gh</ToUserName><FromUserName>${user.openId}</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&lol2;</Content><MsgId>1</MsgId></xml>`,
            undefined,
          ),
        400,
      ],
      ['a huge body', (user) => postSigned(user, `<xml><Content>${'长'.repeat(100_000)}</Content></xml>`, undefined), 413],
      [
        'a message without a sender',
        (user) =>
          postSigned(
            user,
            '<xml><ToUserName>gh</ToUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>hi</Content><MsgId>5</MsgId></xml>',
            undefined,
          ),
        400,
      ],
      ['ciphertext made with another key', (user) => postEncryptedWithKey(user, randomWechatAccount().encodingAesKey), 400],
    ];

    test.each(cases)('%s', async (_name, send, status) => {
      const user = userOf(running, 'plaintext');
      const reply = await send(user);
      expect(reply.status).toBe(status);
      expect(await running.app.transcripts.read(user.openId)).toHaveLength(0);
    });
  });

  test('the same 报修 conversation in safe mode ends in a ticket', async () => {
    const user = userOf(running, 'safe');
    const ticketId = await reportFault(user);
    const ticket = await running.app.tickets.get(ticketId);
    expect(ticket).toMatchObject({
      product: { modelId: 'X20 Pro', serial: 'PH26P7014547' },
      customer: { name: '王小明', phone: '13800138000' },
      channel: 'wechat',
    });
  });

  test('a guide over WeChat takes the numbers of its options and 还是不行, and moves on each time', async () => {
    const user = userOf(running);
    const first = await user.say('遥控器没反应');
    expect(first).toContain('第1步');
    expect(first).toMatch(/2\. 还是不行/);
    expect(await user.say('2')).toContain('第2步');
    expect(await user.say('还是不行')).toContain('第3步');
  });

  test('a customer who does not know the serial gets a ticket, choosing everything by number', async () => {
    const user = userOf(running);
    /** The number of an option in a numbered reply ("3. 星耀 X20 Pro" → "3"). */
    const numberOf = (reply: string | undefined, option: string): string => {
      const line = (reply ?? '').split('\n').find((candidate) => candidate.replace(/^\d+\.\s*/, '') === option);
      if (!line) throw new Error(`no option "${option}" in: ${reply}`);
      return line.replace(/\..*$/, '');
    };
    const ask = await user.say('我要报修');
    expect(ask).toContain('序列号');
    const families = await user.say(numberOf(ask, '不知道序列号'));
    expect(families).toContain('什么产品');
    const models = await user.say(numberOf(families, '手机'));
    // Where the serial is printed, and the models to pick from instead: numbers, since WeChat has no buttons.
    expect(models).toContain('序列号一般在');
    expect(models).toMatch(/\d\. 星耀 X20 Pro/);
    const date = await user.say(numberOf(models, '星耀 X20 Pro'));
    expect(date).toContain('什么时候购买');
    const lookup = await user.say(numberOf(date, '不记得了'));
    expect(lookup).toContain('订单号');
    expect(await user.say(numberOf(lookup, '没有，先继续'))).toContain('待凭购机凭证核实');
    const damage = await user.say('屏幕一闪一闪的');
    const modes = await user.say(numberOf(damage, '都没有'));
    expect(await user.say(numberOf(modes, '送修到服务网点'))).toContain('称呼');
    await user.say('韩梅梅');
    const summary = await user.say('13700137000');
    expect(summary).toContain('待凭购机凭证核实');
    const done = (await user.say(numberOf(summary, '确认提交'))) ?? '';
    const ticket = await running.app.tickets.get(/工单号 (S\d{6}-\d{4,})/.exec(done)?.[1] ?? '');
    expect(ticket).toMatchObject({
      product: { modelId: 'X20 Pro', category: 'phone' },
      warranty: { pendingProof: true },
      fault: { symptom: '屏幕一闪一闪的' },
      customer: { name: '韩梅梅', phone: '13700137000' },
      channel: 'wechat',
    });
  });

  test('算了 mid-报修 on WeChat: the draft comes back as numbered choices, and "1" resumes it where it was', async () => {
    const user = userOf(running, 'plaintext');
    expect(await user.say('我要报修')).toContain('序列号');
    expect(await user.say('PH26P7014547')).toContain('故障');
    expect(await user.say('算了')).toMatch(/报修先取消了。您已经提供的.*序列号.*保留 24 小时/);
    const offer = (await user.say('报修')) ?? '';
    expect(offer).toContain('上次的报修还没提交，要继续吗？');
    expect(offer).toMatch(/1\. 继续\s+2\. 重新开始/);
    const resumed = (await user.say('1')) ?? '';
    expect(resumed).toContain('故障');
    expect(resumed).not.toContain('序列号');
  });

  test('"给个评价" mid-报修 on WeChat starts the rating; "2" at the offer back (不用了) keeps the draft and shows the menu', async () => {
    const user = userOf(running, 'plaintext');
    await user.say('我要报修');
    await user.say('PH26P7014547');
    expect(await user.say('给个评价')).toMatch(/打分[\s\S]*5\. 非常满意/);
    const offer = (await user.say('5')) ?? '';
    expect(offer).toMatch(/刚才的报修还没办完，要继续吗？[\s\S]*1\. 继续\s+2\. 不用了/);
    const declined = (await user.say('2')) ?? '';
    expect(declined).toContain('已填写的信息为您保留 24 小时');
    expect(declined).toMatch(/1\. 报修/);
    // 重新开始 as the second numbered choice is that choice, not the menu command.
    expect(await user.say('报修')).toMatch(/2\. 重新开始/);
    // Starting again still knows the serial said earlier: it is confirmed, not asked again.
    expect(await user.say('2')).toMatch(/重新开始[\s\S]*(序列号|是PH26P7014547吗)/);
  });

  test('洗衣机坏了 on WeChat: not ours, with the numbered menu as the way on', async () => {
    const user = userOf(running, 'plaintext');
    const reply = (await user.say('洗衣机坏了')) ?? '';
    expect(reply).toContain('我们不生产洗衣机');
    expect(reply).toMatch(/8\. 转人工/);
  });

  /** Walks 报修 by serial to a confirmed ticket; returns its id. */
  async function reportFault(user: WechatUser): Promise<string> {
    expect(await user.say('我要报修')).toContain('序列号');
    expect(await user.say('PH26P7014547')).toContain('故障');
    expect(await user.say('充不进电，前天开始的')).toContain('摔');
    expect(await user.say('都没有')).toContain('服务方式');
    expect(await user.say('送修')).toContain('称呼');
    expect(await user.say('王小明')).toContain('电话');
    expect(await user.say('13800138000')).toContain('请核对');
    const done = (await user.say('确认提交')) ?? '';
    const ticketId = /工单号 (S\d{6}-\d{4,})/.exec(done)?.[1];
    if (!ticketId) throw new Error(`no ticket number in: ${done}`);
    return ticketId;
  }

  function message(user: WechatUser): Record<string, string> {
    return {
      ToUserName: user.accountId,
      FromUserName: user.openId,
      CreateTime: String(Math.floor(Date.now() / 1000)),
      MsgType: 'text',
      Content: '我要报修',
      MsgId: user.newMsgId(),
    };
  }

  /** A plaintext-mode push with a correct signature for the given timestamp. */
  async function postSigned(user: WechatUser, body: string, timestamp: number | undefined) {
    const ts = String(timestamp ?? Math.floor(Date.now() / 1000));
    // Each post its own nonce: one signed query is good for one body only.
    const nonce = String(Math.floor(Math.random() * 1e9));
    const signature = createHash('sha1').update([account.token, ts, nonce].sort().join('')).digest('hex');
    return user.postRaw(`/api/wechat?signature=${signature}&timestamp=${ts}&nonce=${nonce}&openid=${user.openId}`, body);
  }

  function inSafeMode(user: WechatUser): WechatUser {
    return new WechatUser(running.url, account, user.openId, 'safe');
  }

  async function postEncryptedWithKey(user: WechatUser, otherKey: string) {
    const stranger = new WechatUser(running.url, { ...account, encodingAesKey: otherKey }, user.openId, 'safe');
    return stranger.post(xmlOf(message(user)));
  }
});
