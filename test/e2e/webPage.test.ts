import type { Browser, Page } from 'playwright-core';
import { RATE_LIMIT_DEFAULTS } from '../../common/rateLimitSettings';
import { launchBrowser } from '../helpers/browser';
import { startTestApp, type RunningApp } from '../helpers/testApp';

describe('the web chat page in a real browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    running = await startTestApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });
  beforeEach(async () => {
    page = await (await browser.newContext()).newPage();
    await page.goto(running.url);
    await page.locator('.msg-bot', { hasText: '您好' }).first().waitFor();
  });
  afterEach(async () => {
    await page.context().close();
  });

  const botTexts = () => page.locator('.msg-bot .msg-text').allTextContents();

  async function send(text: string): Promise<void> {
    const before = (await botTexts()).length;
    await page.fill('#input', text);
    await page.click('#send');
    // A locator rather than a waitForFunction string: the page's CSP forbids the eval that needs.
    await page.locator('.msg-bot').nth(before).waitFor();
  }

  test('greets in Chinese with the menu as buttons, and answers a typed message', async () => {
    await page.locator('.msg-bot', { hasText: '您好' }).first().waitFor();
    await expect(page.locator('.chip').allTextContents()).resolves.toEqual(expect.arrayContaining(['报修', '保修查询', '转人工']));
    await send('你好');
    await page.locator('.msg-user .msg-text', { hasText: '你好' }).waitFor();
    expect((await botTexts()).filter((t) => t.includes('您好')).length).toBeGreaterThanOrEqual(2);
  });

  test('a button sends its choice, and 取消 / 帮助 / 菜单 work', async () => {
    await page.locator('.chip', { hasText: '预约' }).click();
    await page.locator('.msg-bot', { hasText: '“预约”' }).waitFor();
    await send('帮助');
    await page.locator('.msg-bot', { hasText: '主菜单' }).first().waitFor();
    await send('取消');
    await page.locator('.msg-bot', { hasText: '没有进行中的操作' }).waitFor();
    await send('菜单');
    await page.locator('.msg-bot', { hasText: '好的，回到主菜单' }).waitFor();
  });

  test('an English greeting gets English', async () => {
    await send('Hello, can you help me?');
    await page.locator('.msg-bot', { hasText: 'Hello' }).waitFor();
    await page.locator('.chip', { hasText: 'Report a fault' }).waitFor();
  });

  test('a reload keeps the conversation', async () => {
    await send('帮助');
    await page.locator('.chip', { hasText: '报修' }).waitFor();
    const before = await page.locator('.msg').count();
    await page.reload();
    await page.locator('.msg-user .msg-text', { hasText: '帮助' }).waitFor();
    await expect(page.locator('.msg').count()).resolves.toBe(before);
  });

  test('under its Content-Security-Policy the page breaks no rule and gets pushes over its stream', async () => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.reload();
    await page.locator('.msg-bot', { hasText: '您好' }).first().waitFor();
    const session = JSON.parse((await page.evaluate("localStorage.getItem('cs.web.conversation')")) as string) as {
      conversationId: string;
    };
    // The reloaded page's own stream, not the old page's socket the server may not have seen close yet.
    await page.locator('html[data-stream="open"]').waitFor();
    await running.app.proactive.send(session.conversationId, [
      { type: 'message', text: '工程师已出发', from: { id: 'agent1', name: '客服小李', role: 'agent' } },
    ]);
    await page.locator('.msg', { hasText: '工程师已出发' }).first().waitFor();
    expect(violations).toEqual([]);
  });

  test('markup typed by a customer shows as text and never runs', async () => {
    const markup = '<img src=x onerror="window.__pwned=1"><b>粗体</b>';
    await send(markup);
    await page.locator('.msg-user .msg-text', { hasText: '<b>粗体</b>' }).waitFor();
    await expect(page.evaluate('window.__pwned')).resolves.toBeUndefined();
    await expect(page.locator('.msg-user b').count()).resolves.toBe(0);
  });
});

describe('the web chat page over the rate limit', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    running = await startTestApp({ rateLimits: { ...RATE_LIMIT_DEFAULTS, messagesPerConversation: { points: 2, seconds: 60 } } });
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
    await page.goto(running.url);
    await page.locator('.msg-bot', { hasText: '您好' }).first().waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  async function type(text: string): Promise<void> {
    await page.fill('#input', text);
    await page.click('#send');
  }

  test("says politely to wait, in the customer's language, and keeps what they typed in the input box", async () => {
    for (const text of ['你好', '帮助']) {
      const before = await page.locator('.msg-bot').count();
      await type(text);
      // A locator, not waitForFunction: the page's CSP refuses the eval a string predicate needs.
      await page.locator('.msg-bot').nth(before).waitFor();
    }
    await type('第三条消息');
    await page.locator('#status', { hasText: '您发得太快了，请稍后再发。' }).waitFor();
    await expect(page.inputValue('#input')).resolves.toBe('第三条消息');
    // Not sent, so not shown as sent or failed.
    await expect(page.locator('.msg-user', { hasText: '第三条消息' }).count()).resolves.toBe(0);
    await expect(page.locator('.msg-retry').count()).resolves.toBe(0);

    await type('Can you help me please');
    await page.locator('#status', { hasText: 'too fast' }).waitFor();
    await expect(page.inputValue('#input')).resolves.toBe('Can you help me please');
  });
});
