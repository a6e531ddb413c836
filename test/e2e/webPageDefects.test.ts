import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { artefactPath, launchBrowser, requireChineseFont } from '../helpers/browser';
import { SAMPLE_DATA_NOW, startTestApp, type RunningApp } from '../helpers/testApp';
import { until } from '../helpers/until';
import { WebClient } from '../helpers/webClient';
import { renderAsText } from '../../adapters/textRendering';

/** The web page as a customer meets it in the flows of issue 12: each defect seen there, fixed. */
describe('the web chat page keeps the customer informed and in control', () => {
  let running: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    running = await startTestApp({}, { now: SAMPLE_DATA_NOW });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });
  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
    await page.goto(running.url);
    await page.locator('.msg-bot', { hasText: '您好' }).first().waitFor();
  });
  afterEach(async () => {
    await context.close();
  });

  const header = () => page.locator('#handoff-state');
  const userRow = (text: string) => page.locator('.msg-user', { has: page.locator('.msg-text', { hasText: text }) });

  async function conversationId(): Promise<string> {
    const stored = (await page.evaluate("localStorage.getItem('cs.web.conversation')")) as string;
    return (JSON.parse(stored) as { conversationId: string }).conversationId;
  }

  /** Sends as the customer does and waits until the page shows the message as delivered. */
  async function send(text: string): Promise<void> {
    const replies = await page.locator('.msg-bot').count();
    await page.fill('#input', text);
    await page.click('#send');
    await userRow(text).last().waitFor();
    await page.locator('.msg-pending').first().waitFor({ state: 'detached' });
    await until(async () => (await page.locator('.msg-bot').count()) >= replies, 'the reply');
  }

  async function userMessagesOnRecord(text: string): Promise<number> {
    const entries = await running.app.transcripts.read(await conversationId());
    return entries.filter((entry) => entry.speaker === 'user' && entry.activity.text === text).length;
  }

  test('the header says who answers — 排队中, then the agent by name, then the assistant — and what the customer sends to people is acknowledged', async () => {
    await header().filter({ hasText: '智能助手' }).waitFor();
    await send('转人工');
    await header().filter({ hasText: '排队中' }).waitFor();

    // The bot is silent while the customer waits: the message itself says it reached the agents' side.
    await send('我的手机充不进电');
    await userRow('我的手机充不进电').locator('.msg-ack', { hasText: '已转给客服' }).waitFor();
    await page.screenshot({ path: artefactPath('webpage-waiting.png') });

    const id = await conversationId();
    const agent = { username: 'agent7', displayName: '客服小李' };
    expect((await running.app.handoff.claim(id, agent)).ok).toBe(true);
    await header().filter({ hasText: '人工客服 客服小李 为您服务' }).waitFor();

    await send('充电器是原装的');
    await userRow('充电器是原装的').locator('.msg-ack', { hasText: '已送达' }).waitFor();
    // What the bot answered is not acknowledged as passed on.
    await expect(userRow('转人工').locator('.msg-ack').count()).resolves.toBe(0);

    // A reload (and the history it fetches) keeps both the header and the acknowledgements.
    await page.reload();
    await header().filter({ hasText: '人工客服 客服小李 为您服务' }).waitFor();
    await userRow('我的手机充不进电').locator('.msg-ack', { hasText: '已转给客服' }).waitFor();
    await userRow('充电器是原装的').locator('.msg-ack', { hasText: '已送达' }).waitFor();
    // The desk's own notes of the moves are for agents; the customer was told in their own words.
    await expect(page.locator('.msg', { hasText: '排队第' }).count()).resolves.toBe(0);
    await expect(page.locator('.msg', { hasText: '人工客服已接入（客服小李）' }).count()).resolves.toBe(1);
    await page.screenshot({ path: artefactPath('webpage-with-agent.png') });

    expect((await running.app.handoff.handBack(id, agent)).ok).toBe(true);
    await header().filter({ hasText: '智能助手为您服务' }).waitFor();
    await page.screenshot({ path: artefactPath('webpage-handoff.png') });
  });

  test('a choice asked again on the web points at the buttons it shows, not at numbers that are not there', async () => {
    await send('报修');
    await send('RT2639UV2450');
    await send('路由器老是掉线');
    await page.locator('.msg-bot', { hasText: '摔' }).last().waitFor();
    await send('嗯');
    const again = page.locator('.msg-bot').filter({ hasText: '请从下面的选项中选一个' }).last();
    await again.waitFor();
    await expect(again.locator('.msg-text').textContent()).resolves.not.toMatch(/数字|序号|number/);
    // …and the buttons it points at are there, under the question asked again.
    await page.locator('.msg-bot', { hasText: '摔' }).last().locator('.chip', { hasText: '都没有' }).waitFor();
    await expect(page.locator('.msg-text', { hasText: '数字' }).count()).resolves.toBe(0);
  });

  test('on a text-only channel the same answer numbers the options and says to reply with a number', async () => {
    const client = await WebClient.open(running.url);
    for (const text of ['报修', 'RT2639UV2450', '路由器老是掉线']) await client.chat(text);
    const reply = await client.say('嗯');
    // What WeChat and Taobao send for these activities.
    const [message] = renderAsText(reply.body.activities ?? [], { maxBytes: 2048 }).messages;
    expect(message).toContain('请从下面的选项中选一个');
    expect(message).toContain('请回复数字选择');
    expect(message).toMatch(/1\D+都没有/);
    expect(message.match(/数字/g)).toHaveLength(1);
  });

  test('the rating request after 好了 keeps its 评价 button under the menu that follows, and the button works', async () => {
    await send('我的耳机只有一边响');
    await send('好了');
    const thanks = page.locator('.msg-bot', { hasText: '问题解决了' });
    await thanks.waitFor();
    const rate = thanks.locator('.chip', { hasText: '评价' });
    await rate.waitFor();
    // The menu after it still offers its choices too.
    await page.locator('.msg-bot', { hasText: '还有什么可以帮您' }).locator('.chip', { hasText: '报修' }).waitFor();
    await rate.click();
    await page.locator('.msg-bot', { hasText: '请为本次服务打分' }).waitFor();
    // Once the customer has answered, the old buttons are gone: only the question asked now has any.
    await expect(thanks.locator('.chip').count()).resolves.toBe(0);
  });

  test('重新开始 asks first and keeps the conversation on screen until the customer confirms', async () => {
    await send('你好');
    const before = await conversationId();

    await page.click('#restart');
    const confirm = page.locator('#restart-confirm');
    await confirm.waitFor();
    await expect(userRow('你好').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: artefactPath('webpage-restart-confirm.png') });
    await confirm.locator('button', { hasText: '继续当前对话' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await expect(userRow('你好').isVisible()).resolves.toBe(true);
    expect(await conversationId()).toBe(before);

    // Escape is "no" as well.
    await page.click('#restart');
    await confirm.waitFor();
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    await expect(userRow('你好').count()).resolves.toBe(1);

    await page.click('#restart');
    await confirm.locator('button', { hasText: '清空并重新开始' }).click();
    await userRow('你好').waitFor({ state: 'detached' });
    await page.locator('.msg-bot', { hasText: '您好' }).first().waitFor();
    await until(
      async () => (await page.evaluate("localStorage.getItem('cs.web.conversation')")) !== null && (await conversationId()) !== before,
      'a new conversation',
    );
  });

  test('a message typed offline waits with a 重试 control and goes out once, by itself, when the network is back', async () => {
    const bodies: string[] = [];
    page.on('request', (request: Request) => {
      if (request.method() === 'POST' && request.url().endsWith('/messages')) bodies.push(request.postData() ?? '');
    });
    await context.setOffline(true);
    await page.fill('#input', '帮助');
    await page.click('#send');
    const failed = page.locator('.msg-failed', { hasText: '帮助' });
    await failed.locator('.msg-retry', { hasText: '重试' }).waitFor();
    await expect(failed.locator('.msg-failed-note').textContent()).resolves.toContain('网络恢复后会自动重发');
    await page.screenshot({ path: artefactPath('webpage-offline.png') });
    // The control retries; still offline, the message keeps waiting and keeps its text.
    await failed.locator('.msg-retry').click();
    await failed.locator('.msg-retry').waitFor();

    await context.setOffline(false);
    await page.locator('.msg-bot', { hasText: '主菜单' }).first().waitFor();
    await page.locator('.msg-failed').first().waitFor({ state: 'detached' });
    await expect(userRow('帮助').count()).resolves.toBe(1);
    expect(await userMessagesOnRecord('帮助')).toBe(1);
    // Every attempt that reached the network carried the same client message id.
    expect(new Set(bodies.map((body) => (JSON.parse(body) as { id: string }).id)).size).toBe(1);
  });

  test('when the answer to a send is lost on the way, the retry with the same id makes no second turn', async () => {
    let lost = false;
    const ids: string[] = [];
    await page.route('**/api/web/conversations/*/messages', async (route) => {
      ids.push((JSON.parse(route.request().postData() ?? '{}') as { id: string }).id);
      if (lost) return route.continue();
      lost = true;
      // The server gets and answers the message; the browser only sees the connection drop.
      await route.fetch();
      await route.abort('connectionreset');
    });
    await send('帮助');
    await page.locator('.msg-bot', { hasText: '主菜单' }).first().waitFor();
    expect(ids.length).toBe(2);
    expect(ids[1]).toBe(ids[0]);
    expect(await userMessagesOnRecord('帮助')).toBe(1);
    await page.reload();
    await userRow('帮助').waitFor();
    await expect(userRow('帮助').count()).resolves.toBe(1);
    await expect(page.locator('.msg-bot', { hasText: '主菜单' }).count()).resolves.toBe(1);
  });
});

describe('the web chat page on a phone and on a desktop', () => {
  let running: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    requireChineseFont();
    running = await startTestApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  /** Whether the placeholder fits on one line of the input box as laid out (the box's own metrics). */
  const PLACEHOLDER_FITS = `(() => {
    const input = document.getElementById('input');
    const saved = input.value;
    input.style.whiteSpace = 'pre';
    input.value = input.placeholder;
    const fits = input.scrollWidth <= input.clientWidth;
    input.value = saved;
    input.style.whiteSpace = '';
    return fits;
  })()`;

  async function open(width: number, height: number): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width, height }, deviceScaleFactor: width < 500 ? 2 : 1 })).newPage();
    await page.goto(running.url);
    await page.locator('.msg-bot .chip', { hasText: '报修' }).first().waitFor();
    return page;
  }

  test('at 390 × 844 the placeholder is whole, nothing scrolls sideways and the send button is on screen', async () => {
    const page = await open(390, 844);
    try {
      const placeholder = await page.getAttribute('#input', 'placeholder');
      expect(placeholder).toBeTruthy();
      await expect(page.evaluate(PLACEHOLDER_FITS)).resolves.toBe(true);
      await expect(page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).resolves.toBe(true);
      const send = await page.locator('#send').boundingBox();
      expect(send && send.x + send.width).toBeLessThanOrEqual(390);
      await page.screenshot({ path: artefactPath('webpage-390.png') });
    } finally {
      await page.context().close();
    }
  });

  test('on a desktop the placeholder also says how to send, and it fits', async () => {
    const page = await open(1280, 800);
    try {
      await expect(page.getAttribute('#input', 'placeholder')).resolves.toContain('Enter 发送');
      await expect(page.evaluate(PLACEHOLDER_FITS)).resolves.toBe(true);
      await page.screenshot({ path: artefactPath('webpage-desktop.png') });
    } finally {
      await page.context().close();
    }
  });
});
