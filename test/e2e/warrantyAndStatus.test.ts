import { SAMPLE_DATA_NOW, startTestApp, type RunningApp } from '../helpers/testApp';
import { WebClient } from '../helpers/webClient';

describe('保修查询 and 工单进度 over the web channel', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp({}, { now: SAMPLE_DATA_NOW });
  });
  afterAll(async () => {
    await running.stop();
  });

  const chat = (client: WebClient, text: string) => client.chat(text);

  const newClient = () => WebClient.open(running.url);

  test('by serial: a unit bought two days ago may be refunded, with the end date of that window', async () => {
    const client = await newClient();
    expect(await chat(client, '保修查询')).toContain('序列号');
    const answer = await chat(client, 'EB26AX56492');
    expect(answer).toContain('退货');
    expect(answer).toMatch(/2026年11月27日/);
  });

  test('by model and date in one message: out of warranty states the fee ranges', async () => {
    const client = await newClient();
    await chat(client, '保修查询');
    expect(await chat(client, 'X20 Pro')).toContain('什么时候购买');
    const answer = await chat(client, '2025年3月5日');
    expect(answer).toContain('已经到期');
    expect(answer).toContain('以购买凭证为准');
    expect(answer).toMatch(/换屏：\d+–\d+元/);
  });

  test('an English customer gets the verdict in English', async () => {
    const client = await newClient();
    await chat(client, 'Hello');
    await chat(client, 'warranty check');
    const answer = await chat(client, 'My serial is EB26AX56492');
    expect(answer).toMatch(/refund/i);
    expect(answer).not.toMatch(/\p{Script=Han}{4}/u);
  });

  test('repeated wrong guesses of a ticket are slowed down', async () => {
    const client = await newClient();
    const replies: string[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await chat(client, `工单进度 S261122-${String(9000 + attempt)}`);
      replies.push(await chat(client, '1234'));
    }
    expect(replies[0]).toContain('对不上');
    expect(replies.at(-1)).toContain('分钟后再试');
  });
});
