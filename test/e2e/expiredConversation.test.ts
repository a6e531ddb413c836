import type { Browser, Page } from 'playwright-core';
import { auditKeys, keysOfConversation } from '../helpers/keyAudit';
import { launchBrowser } from '../helpers/browser';
import { startTestApp, type RunningApp } from '../helpers/testApp';
import { until } from '../helpers/until';

/** The web page after the idle time ended its conversation: the server says 404, the page starts over. */
describe('the web page with a conversation that has expired', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    running = await startTestApp({ rateLimits: undefined });
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

  /** The conversation the page keeps in localStorage (a string expression: the tests compile without DOM types). */
  const storedConversation = async (): Promise<string> => {
    const stored = await page.evaluate<string | null>("localStorage.getItem('cs.web.conversation')");
    return (JSON.parse(stored ?? '{}') as { conversationId?: string }).conversationId ?? '';
  };

  /** What the idle TTL does after CONVERSATION_IDLE_DAYS, at once. */
  async function expire(conversationId: string): Promise<void> {
    const idle = keysOfConversation(await auditKeys(running.config.redisKeyPrefix), conversationId).filter((k) => k.end === 'idle');
    expect(idle.map((k) => k.key)).toContain(`cs:conv:{${conversationId}}:web`);
    for (const key of idle) await running.app.redis.pexpire(key.key, 1);
    await until(async () => (await running.app.redis.exists(...idle.map((k) => k.key))) === 0, 'the idle keys to expire');
  }

  async function say(text: string): Promise<void> {
    await page.fill('#input', text);
    await page.click('#send');
  }

  test('a reload greets in a new conversation instead of showing an error', async () => {
    await say('帮助');
    await page.locator('.msg-bot', { hasText: '主菜单' }).first().waitFor();
    const old = await storedConversation();
    await expire(old);
    await page.reload();
    await until(async () => {
      const now = await storedConversation();
      return now !== '' && now !== old;
    }, 'a new conversation in the page');
    await page.locator('.msg-bot', { hasText: '您好' }).first().waitFor();
    await expect(page.locator('.msg-user').count()).resolves.toBe(0);
  });

  test('a message typed into the expired conversation is sent in a new one and answered', async () => {
    const old = await storedConversation();
    await expire(old);
    await say('帮助');
    await page.locator('.msg-bot', { hasText: '主菜单' }).first().waitFor();
    const now = await storedConversation();
    expect(now).not.toBe(old);
    expect((await running.app.transcripts.read(now)).some((entry) => entry.activity.text === '帮助')).toBe(true);
  });
});
