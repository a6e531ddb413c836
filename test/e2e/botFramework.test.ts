import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { sleep } from '../../bot/timing';
import { startTestApp, type RunningApp } from '../helpers/testApp';

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
    return this.calls.filter((call) => call.path.includes(encodeURIComponent(conversationId)) && call.activity.type === 'message').map((call) => call.activity.text ?? '');
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

  const post = (body: unknown) =>
    fetch(`${running.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

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
    await sleep(50);
    expect(connector.textsFor(conversationId)).toHaveLength(count);
    const transcript = await running.app.transcripts.read(conversationId);
    expect(transcript.filter((entry) => entry.direction === 'in')).toHaveLength(1);
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

  test('with an app id configured, a request without the channel\'s token is refused', async () => {
    const secured = await startTestApp({ botFramework: { appId: '11111111-2222-3333-4444-555555555555', appPassword: 'pw', appType: 'MultiTenant' } });
    try {
      const conversationId = `emu-${randomUUID()}`;
      const response = await fetch(`${secured.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity(conversationId, '你好')) });
      expect(response.status).toBe(401);
      expect(connector.textsFor(conversationId)).toHaveLength(0);
    } finally {
      await secured.stop();
    }
  });
});
