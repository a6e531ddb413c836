import { startTestApp, type RunningApp } from '../../helpers/testApp';
import { WebClient } from '../../helpers/webClient';

/** `levels` arrays inside each other around a number, built without recursion: [[[…[1]…]]]. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i += 1) value = [value];
  return value;
}

/** A JSON text nested `levels` deep, for bodies too deep for JSON.stringify itself. */
function deepJson(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

describe('web bodies too deep or too large are refused with a reason', () => {
  let running: RunningApp;
  let client: WebClient;

  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => {
    await running.stop();
  });
  beforeEach(async () => {
    client = await WebClient.open(running.url);
  });

  const messages = () => `/api/web/conversations/${client.conversationId}/messages`;
  const transcriptLength = async () => (await running.app.transcripts.read(client.conversationId)).length;

  test.each<[string, string, RegExp]>([
    ['a value nested 5,000 levels (30 KB)', `{"value":${deepJson(5000)}}`, /nested deeper/],
    ['a whole body nested 5,000 levels', deepJson(5000), /nested deeper/],
    ['a value nested 9 levels', JSON.stringify({ value: nested(9) }), /value: is nested deeper than 8 levels/],
    [
      'a value over 4 KB',
      JSON.stringify({ value: { note: 'x'.repeat(1500), more: 'y'.repeat(1500), rest: 'z'.repeat(1500) } }),
      /value: is larger than 4096 bytes/,
    ],
    ['a value with a 3,000-character string', JSON.stringify({ value: 'x'.repeat(3000) }), /value: holds a string longer than 2000/],
    [
      'a value with 500 array items',
      JSON.stringify({ value: Array.from({ length: 500 }, () => 0) }),
      /value: holds an array or object with more than 100 items/,
    ],
  ])('%s → 400 InvalidBody, nothing recorded, the next message answered', async (_name, body, reason) => {
    const before = await transcriptLength();
    const reply = await client.request('POST', messages(), body, client.auth());
    expect(reply.status).toBe(400);
    expect(reply.body.code).toBe('InvalidBody');
    expect(reply.body.message).toMatch(reason);
    expect(await transcriptLength()).toBe(before);
    expect(await client.chat('帮助')).toContain('主菜单');
  });

  test('a small flat value is still accepted, as a button payload', async () => {
    const reply = await client.request('POST', messages(), { value: { choice: 'menu', items: [1, 2, 3] }, text: '菜单' }, client.auth());
    expect(reply.status).toBe(200);
    expect((reply.body.activities ?? []).length).toBeGreaterThan(0);
  });

  test('creating a conversation with a deep body → 400 InvalidBody, and no conversation is made', async () => {
    const reply = await client.request('POST', '/api/web/conversations', `{"locale":"zh-CN","extra":${deepJson(5000)}}`);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ code: 'InvalidBody', message: expect.stringMatching(/nested deeper/) });
    expect(reply.body.conversationId).toBeUndefined();
  });
});
