import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { startTestApp, type RunningApp } from '../helpers/testApp';
import { until } from '../helpers/until';
import { WebClient, textsOf } from '../helpers/webClient';

interface ConnectorCall {
  path: string;
  activity: { type?: string; text?: string; replyToId?: string; suggestedActions?: { actions: { title: string }[] } };
}

/** The Bot Framework connector (the Emulator's, or Azure's) that a bot sends its replies to. */
class ConnectorStandIn {
  readonly calls: ConnectorCall[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        this.calls.push({ path: req.url ?? '', activity: JSON.parse(body || '{}') as ConnectorCall['activity'] });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: randomUUID() }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  textsFor(conversationId: string): string[] {
    return this.calls
      .filter((call) => call.path.includes(encodeURIComponent(conversationId)) && call.activity.type === 'message')
      .map((call) => call.activity.text ?? '');
  }
}

describe('Bot Framework channel (POST /api/messages, as the Emulator uses it)', () => {
  let connector: ConnectorStandIn;
  let serviceUrl: string;
  let running: RunningApp;

  beforeAll(async () => {
    connector = new ConnectorStandIn();
    serviceUrl = await connector.start();
    running = await startTestApp();
  });
  afterAll(async () => {
    await running.stop();
    await connector.stop();
  });

  function activity(conversationId: string, text: string, id = randomUUID()) {
    return {
      type: 'message',
      id,
      channelId: 'emulator',
      serviceUrl,
      conversation: { id: conversationId },
      from: { id: 'user-1', name: 'User', role: 'user' },
      recipient: { id: 'bot-1', name: 'Bot', role: 'bot' },
      text,
      locale: 'zh-CN',
      timestamp: new Date().toISOString(),
    };
  }

  // A hang (the connector never answering) fails here within seconds, not at jest's timeout.
  const post = (body: unknown, url = running.url) =>
    fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });

  test('a message gets its replies through the connector, with buttons kept as suggested actions', async () => {
    const conversationId = `emu-${randomUUID()}`;
    const response = await post(activity(conversationId, '你好'));
    expect(response.status).toBeLessThan(300);
    const replies = connector.calls.filter((call) => call.path.includes(conversationId));
    expect(replies.map((call) => call.activity.text).join('\n')).toContain('您好');
    expect(replies.some((call) => call.activity.suggestedActions?.actions.some((action) => action.title === '报修'))).toBe(true);
    expect(replies.every((call) => call.path.startsWith(`/v3/conversations/${encodeURIComponent(conversationId)}/activities`))).toBe(true);
  });

  test('a redelivered activity id makes no second turn', async () => {
    const conversationId = `emu-${randomUUID()}`;
    const first = activity(conversationId, '我要报修');
    await post(first);
    const count = connector.textsFor(conversationId).length;
    await post(first);
    expect(connector.textsFor(conversationId)).toHaveLength(count);
    // Turns run one after another: a second turn for the redelivery would be in the record before the next message's.
    await post(activity(conversationId, '不用了'));
    const transcript = await running.app.transcripts.read(conversationId);
    expect(transcript.filter((entry) => entry.direction === 'in').map((entry) => entry.activity.text)).toEqual(['我要报修', '不用了']);
  });

  test('the conversation can be continued later (an agent, a reminder) through the same connector', async () => {
    const conversationId = `emu-${randomUUID()}`;
    await post(activity(conversationId, '你好'));
    const outcome = await running.app.proactive.send(conversationId, [{ type: 'message', text: '您的工单已派给工程师' }]);
    expect(outcome).toEqual({ status: 'delivered' });
    expect(connector.textsFor(conversationId)).toContain('您的工单已派给工程师');
  });

  test('something that is not an activity is refused with a reason', async () => {
    const response = await post({ hello: 'world' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain('activity');
  });

  describe('a serviceUrl our replies may not go to is refused at once, and nothing runs', () => {
    test.each([
      ['javascript:1'],
      ['file:///etc/passwd'],
      [''],
      ['not a url'],
      ['ftp://127.0.0.1/'],
      ['http://example.com/'],
      ['http://10.0.0.1:3978/'],
      ['http://user:pw@127.0.0.1:1/'],
    ])('%p → 400', async (badUrl) => {
      const conversationId = `emu-${randomUUID()}`;
      const response = await post({ ...activity(conversationId, '我要报修'), serviceUrl: badUrl });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { code: string; message: string };
      expect(body.code).toBe('InvalidServiceUrl');
      expect(body.message).toContain('serviceUrl');
      expect(await running.app.transcripts.read(conversationId)).toHaveLength(0);
      expect(connector.calls.filter((call) => call.path.includes(conversationId))).toHaveLength(0);
    });

    test('http to this machine (the Emulator) is fine without an app id', async () => {
      const conversationId = `emu-${randomUUID()}`;
      const response = await post({ ...activity(conversationId, '你好'), serviceUrl: serviceUrl.replace('127.0.0.1', 'localhost') });
      expect(response.status).toBe(200);
      expect(connector.textsFor(conversationId).join('\n')).toContain('您好');
    });
  });

  describe('activities that are not messages', () => {
    function ofType(type: string, conversationId: string, extra: object = {}) {
      const { text: _text, ...rest } = activity(conversationId, '');
      return { ...rest, type, ...extra };
    }

    test('an invoke gets the 200 the Bot Framework expects, and makes no turn', async () => {
      const conversationId = `emu-${randomUUID()}`;
      const response = await post(
        ofType('invoke', conversationId, { name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute' } } }),
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 200 });
      expect(await running.app.transcripts.read(conversationId)).toHaveLength(0);
      expect(connector.calls.filter((call) => call.path.includes(conversationId))).toHaveLength(0);
    });

    test.each(['event', 'installationUpdate', 'messageReaction', 'typing', 'somethingNew'])(
      '%s is acknowledged and ignored',
      async (type) => {
        const conversationId = `emu-${randomUUID()}`;
        const response = await post(ofType(type, conversationId, { name: 'x', reactionsAdded: [{ type: 'like' }] }));
        expect(response.status).toBe(202);
        expect(await running.app.transcripts.read(conversationId)).toHaveLength(0);
        expect(connector.calls.filter((call) => call.path.includes(conversationId))).toHaveLength(0);
      },
    );

    test('a conversationUpdate that adds the customer still gets the greeting', async () => {
      const conversationId = `emu-${randomUUID()}`;
      const response = await post(ofType('conversationUpdate', conversationId, { membersAdded: [{ id: 'user-1', name: 'User' }] }));
      expect(response.status).toBe(200);
      expect(connector.textsFor(conversationId).join('\n')).toContain('您好');
    });
  });

  describe("one channel never reaches another channel's conversation", () => {
    function openStream(customer: WebClient): Promise<WebSocket> {
      return new Promise((resolve, reject) => {
        const url = `${running.url.replace(/^http/, 'ws')}/api/web/conversations/${customer.conversationId}/stream?token=${encodeURIComponent(customer.token)}`;
        const socket = new WebSocket(url);
        socket.on('open', () => resolve(socket));
        socket.on('error', reject);
      });
    }

    test('an activity naming a web conversation (channelId "web") is refused, and the web customer notices nothing', async () => {
      const customer = await WebClient.open(running.url);
      await customer.chat('我要报修');
      const before = await customer.history();

      const response = await post({ ...activity(customer.conversationId, '转人工'), channelId: 'web' });
      expect(response.status).toBe(403);
      expect(((await response.json()) as { code: string }).code).toBe('ForeignConversation');

      expect(await customer.history()).toEqual(before);
      expect(connector.calls.filter((call) => call.path.includes(customer.conversationId))).toHaveLength(0);
      expect(await running.app.handoffQueue.get(customer.conversationId)).toBeUndefined();

      // The customer's own conversation goes on as before: still in the 报修 flow, not handed off.
      const fresh = await WebClient.open(running.url);
      await fresh.chat('我要报修');
      const expected = await fresh.chat('取消');
      expect(await customer.chat('取消')).toBe(expected);

      // And later messages (an agent, a reminder) still reach the customer's page, not the caller's connector.
      const socket = await openStream(customer);
      const frames: string[] = [];
      socket.on('message', (data: Buffer) => frames.push(data.toString()));
      expect(await running.app.proactive.send(customer.conversationId, [{ type: 'message', text: '客服稍后联系您' }])).toEqual({
        status: 'delivered',
      });
      await until(() => frames.some((frame) => frame.includes('客服稍后联系您')), 'the push on the web stream');
      socket.close();
      expect(connector.calls.filter((call) => call.path.includes(customer.conversationId))).toHaveLength(0);
      expect(textsOf(await customer.history())).toContain('客服稍后联系您');
    });

    test("a conversation is the Bot Framework's whatever channelId its activities name", async () => {
      const conversationId = `emu-${randomUUID()}`;
      const response = await post({ ...activity(conversationId, '你好'), channelId: 'web' });
      expect(response.status).toBe(200);
      expect(connector.textsFor(conversationId).join('\n')).toContain('您好');
      const transcript = await running.app.transcripts.read(conversationId);
      expect(transcript.length).toBeGreaterThan(0);
      // Its later messages go to its connector, not to the web adapter its channelId names.
      expect(await running.app.proactive.send(conversationId, [{ type: 'message', text: '工程师已出发' }])).toEqual({
        status: 'delivered',
      });
      expect(connector.textsFor(conversationId)).toContain('工程师已出发');
    });
  });

  describe('with an app id configured', () => {
    let secured: RunningApp;
    beforeAll(async () => {
      secured = await startTestApp({
        botFramework: { appId: '11111111-2222-3333-4444-555555555555', appPassword: 'pw', appType: 'MultiTenant' },
      });
    });
    afterAll(async () => {
      await secured.stop();
    });

    test("a request without the channel's token is refused", async () => {
      const conversationId = `emu-${randomUUID()}`;
      // Azure names https service URLs; this one is never contacted, the token check comes first.
      const response = await post({ ...activity(conversationId, '你好'), serviceUrl: 'https://127.0.0.1:1/' }, secured.url);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { code: string }).code).toBe('Unauthorized');
      expect(await secured.app.transcripts.read(conversationId)).toHaveLength(0);
    });

    test("an http serviceUrl is refused even on this machine: the bot's token would travel in the clear", async () => {
      const conversationId = `emu-${randomUUID()}`;
      const response = await post(activity(conversationId, '你好'), secured.url);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { code: string }).code).toBe('InvalidServiceUrl');
      expect(connector.textsFor(conversationId)).toHaveLength(0);
    });
  });
});
