import { startTestApp, type RunningApp } from '../helpers/testApp';
import { WebClient } from '../helpers/webClient';

/** What a customer in line for a person can still do, and what the bot no longer does. */
describe('a customer waiting for a person', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => {
    await running.stop();
  });

  async function inLine(): Promise<WebClient> {
    const client = await WebClient.open(running.url);
    const answer = await client.chat('我要找真人客服');
    expect(answer).toContain('已为您转接人工客服');
    expect(answer).not.toContain('前面还有 0 位');
    return client;
  }

  test('ordinary messages go to the agent side only: the bot says nothing', async () => {
    const client = await inLine();
    expect(await client.chat('我的手机充不进电')).toBe('');
    expect(await client.chat('报修')).toBe('');
    const transcript = await running.app.transcripts.read(client.conversationId);
    expect(transcript.filter((entry) => entry.speaker === 'user').map((entry) => entry.activity.text)).toEqual(
      expect.arrayContaining(['我的手机充不进电', '报修']),
    );
  });

  test.each(['还要等多久', '排到我了吗'])('"%s" is told the place in line', async (question) => {
    const client = await inLine();
    expect(await client.chat(question)).toMatch(/您仍在排队。/);
  });

  test.each(['取消', '不等了'])('"%s" leaves the line and the bot is back', async (words) => {
    const client = await inLine();
    expect(await client.chat(words)).toContain('已取消排队');
    expect(await running.app.handoffQueue.stateOf(client.conversationId)).toBe('bot');
    expect(await client.chat('保修查询')).toContain('序列号');
  });

  test('asking for a call-back leaves the line and registers one', async () => {
    const client = await inLine();
    expect(await client.chat('还是给我回电吧')).toMatch(/手机号|号码/);
    expect(await client.chat('13912345678')).toMatch(/已登记回电（编号 C\d{6}-\d{4}）/);
    expect(await running.app.handoffQueue.stateOf(client.conversationId)).toBe('bot');
  });
});

describe('a chat the agent ends', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => {
    await running.stop();
  });

  test('the customer is told it ended, and the bot answers again from a clean start', async () => {
    const client = await WebClient.open(running.url);
    await client.chat('转人工');
    const agent = { username: 'agent9', displayName: '客服小吴' };
    expect((await running.app.handoff.claim(client.conversationId, agent)).ok).toBe(true);
    expect((await running.app.handoff.close(client.conversationId, agent)).ok).toBe(true);
    const history = await client.history();
    const said = history.map((activity) => activity.text ?? '').join('\n');
    expect(said).toContain('人工客服已接入（客服小吴）');
    expect(said).toContain('本次服务已结束');
    expect(await client.chat('保修查询')).toContain('序列号');
  });
});
