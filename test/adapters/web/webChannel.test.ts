import WebSocket from 'ws';
import { BOT_ACCOUNT, WEB_CHANNEL } from '../../../adapters/web/webAdapter';
import { startTestApp, type RunningApp } from '../../helpers/testApp';
import { WebClient, pushWithText, textsOf } from '../../helpers/webClient';

describe('web channel over HTTP', () => {
  let running: RunningApp;
  let client: WebClient;

  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => {
    await running.stop();
  });
  beforeEach(async () => {
    client = new WebClient(running.url);
    await client.start();
  });

  test('creating a conversation returns its id, a token and the greeting with the menu', async () => {
    const fresh = new WebClient(running.url);
    const reply = await fresh.start();
    expect(reply.status).toBe(201);
    expect(reply.body.conversationId).toMatch(/^web-/);
    expect(reply.body.token?.length).toBeGreaterThanOrEqual(32);
    expect(textsOf(reply.body.activities)).toContain('您好');
    const last = reply.body.activities?.at(-1);
    expect(last?.suggestedActions?.actions.map((a) => a.title)).toContain('报修');
  });

  test("a message gets that turn's replies in the response", async () => {
    const reply = await client.say('帮助');
    expect(reply.status).toBe(200);
    expect(textsOf(reply.body.activities)).toContain('主菜单');
    for (const activity of reply.body.activities ?? []) {
      expect(activity).toMatchObject({ type: 'message', channelId: WEB_CHANNEL, from: { id: BOT_ACCOUNT.id } });
      expect(activity.id).toBeTruthy();
    }
  });

  test('a retried POST with the same client id returns the first answer and runs no second turn', async () => {
    const first = await client.say('转人工', 'client-msg-1');
    const retry = await client.say('转人工', 'client-msg-1');
    expect(retry.status).toBe(200);
    expect(retry.body.activities).toEqual(first.body.activities);
    const history = await client.history();
    expect(history.filter((a) => a.from?.role === 'user')).toHaveLength(1);
    // A second turn would have answered "already requested".
    expect(textsOf(history)).not.toContain('已登记，客服会按顺序');
  });

  test('the same message delivered four times at once makes exactly one turn', async () => {
    const replies = await Promise.all([1, 2, 3, 4].map(() => client.say('帮助', 'dup-1')));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    for (const reply of replies) expect(reply.body.activities).toEqual(replies[0].body.activities);
    const history = await client.history();
    expect(history.filter((a) => a.from?.role === 'user')).toHaveLength(1);
  });

  test('two different messages sent at once are both answered, one turn after the other', async () => {
    const [a, b] = await Promise.all([client.say('帮助', 'c-a'), client.say('取消', 'c-b')]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(textsOf(a.body.activities)).toContain('主菜单');
    expect(textsOf(b.body.activities)).toContain('没有进行中的操作');
    // The record shows each message followed by its own answers, never interleaved.
    const roles = (await client.history()).map((entry) => entry.from?.role);
    const userAt = roles.flatMap((role, i) => (role === 'user' ? [i] : []));
    expect(userAt).toHaveLength(2);
    expect(roles.slice(userAt[0] + 1, userAt[1]).every((role) => role === 'bot')).toBe(true);
    expect(userAt[1]).toBeGreaterThan(userAt[0] + 1);
  });

  test('history holds both sides of the conversation in order, with roles', async () => {
    await client.say('你好', 'h-1');
    const history = await client.history();
    expect(history[0].from?.role).toBe('bot');
    const user = history.find((a) => a.from?.role === 'user');
    expect(user).toMatchObject({ text: '你好', id: 'h-1' });
  });

  describe('bad input gets a clear 4xx and changes nothing', () => {
    async function transcriptLength(): Promise<number> {
      return (await running.app.transcripts.read(client.conversationId)).length;
    }

    test.each([
      ['a wrong token', 401, { authorization: 'Bearer not-the-token' }],
      ['no token', 401, {}],
      ['a malformed header', 401, { authorization: 'Token abc' }],
    ])('%s → %d', async (_name, status, headers) => {
      const before = await transcriptLength();
      const reply = await client.request('POST', `/api/web/conversations/${client.conversationId}/messages`, { text: '你好' }, headers);
      expect(reply.status).toBe(status);
      expect(reply.body.message).toBeTruthy();
      expect(await transcriptLength()).toBe(before);
    });

    test.each([
      ['malformed JSON', 400, '{"text": "你好"'],
      ['an empty text', 400, { text: '   ' }],
      ['text that is not a string', 400, { text: 42 }],
      ['a client id with odd characters', 400, { text: '你好', id: '../../etc' }],
      ['a 1 MB body', 413, { text: 'x'.repeat(1024 * 1024) }],
    ])('%s → %d', async (_name, status, body) => {
      const before = await transcriptLength();
      const reply = await client.request('POST', `/api/web/conversations/${client.conversationId}/messages`, body, client.auth());
      expect(reply.status).toBe(status);
      expect(reply.body.message).toBeTruthy();
      expect(await transcriptLength()).toBe(before);
    });

    test('a body that is not JSON → 415', async () => {
      const response = await fetch(`${running.url}/api/web/conversations/${client.conversationId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', ...client.auth() },
        body: 'hello',
      });
      expect(response.status).toBe(415);
    });

    test('an unknown conversation → 404, for messages, history and the stream', async () => {
      const reply = await client.request('POST', '/api/web/conversations/web-nope/messages', { text: '你好' }, client.auth());
      expect(reply.status).toBe(404);
      expect(reply.body.code).toBe('UnknownConversation');
      const history = await client.request('GET', '/api/web/conversations/web-nope/history', undefined, client.auth());
      expect(history.status).toBe(404);
      await expect(openSocket(`${running.url}/api/web/conversations/web-nope/stream?token=${client.token}`)).rejects.toThrow('404');
    });

    test("one conversation's token does not open another", async () => {
      const other = new WebClient(running.url);
      await other.start();
      const reply = await client.request('GET', `/api/web/conversations/${other.conversationId}/history`, undefined, client.auth());
      expect(reply.status).toBe(401);
      await expect(openSocket(`${running.url}/api/web/conversations/${other.conversationId}/stream?token=${client.token}`)).rejects.toThrow(
        '401',
      );
    });
  });

  test('pushes sent outside a turn reach the browser over the stream', async () => {
    const socket = await openSocket(
      `${running.url}/api/web/conversations/${client.conversationId}/stream?token=${encodeURIComponent(client.token)}`,
    );
    const pushed = pushWithText(socket, '您的工程师已出发');
    await running.app.webAdapter.continueConversation(
      {
        channelId: WEB_CHANNEL,
        conversation: { id: client.conversationId, isGroup: false, conversationType: 'personal', name: '' },
        bot: BOT_ACCOUNT,
        serviceUrl: 'web',
      },
      async (context) => {
        await context.sendActivity('您的工程师已出发');
      },
    );
    expect((await pushed)[0]).toMatchObject({ type: 'message', text: '您的工程师已出发' });
    socket.close();
    // Pushed messages are part of the record, so a reconnecting page shows them.
    expect(textsOf(await client.history())).toContain('您的工程师已出发');
  });

  test('GET /healthz answers 200 ok while Redis answers', async () => {
    const response = await fetch(`${running.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });
});

describe('health without Redis', () => {
  test('GET /healthz answers 503 when Redis does not answer', async () => {
    const down = await startTestApp({ redisUrl: 'redis://127.0.0.1:1' });
    try {
      const response = await fetch(`${down.url}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'unavailable' });
    } finally {
      await down.stop();
    }
  });
});

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'));
    socket.on('open', () => resolve(socket));
    socket.on('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    socket.on('error', reject);
  });
}
