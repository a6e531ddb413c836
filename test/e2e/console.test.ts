import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { RATE_LIMIT_DEFAULTS } from '../../common/rateLimitSettings';
import { ConsoleAccounts } from '../../console/accounts';
import { parseWorkingHours } from '../../desk/workingHours';
import { launchBrowser } from '../helpers/browser';
import { startTestApp, type RunningApp } from '../helpers/testApp';
import { ConsoleClient } from '../helpers/consoleClient';
import { WebClient } from '../helpers/webClient';

/**
 * The agents' console end to end: its pages in a real browser next to a customer's web chat, and the
 * hand-off rules over HTTP (one winner per claim, no reading other agents' chats).
 */

/** What the console's Content-Security-Policy must say: only its own files and API, no inline code, no framing. */
const CONSOLE_CSP_DIRECTIVES = [
  "default-src 'self'",
  "connect-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
];

const AGENTS = {
  li: { username: 'agent1', password: 'agent-pass-123', displayName: '客服小李' },
  wang: { username: 'agent2', password: 'agent-pass-234', displayName: '客服小王' },
  zhang: { username: 'agent3', password: 'agent-pass-345', displayName: '客服小张' },
} as const;

/** What the bot says when it puts a customer in line (then what the wait looks like). */
const IN_LINE = /已为您转接人工客服/;

/** The bot, back after a hand-off, asks the customer to rate the service (评价 / 打分). */
const ASKS_FOR_RATING = /评价|打分/;

/** A web customer who has asked for a person and been put in line. */
async function customerInLine(baseUrl: string): Promise<WebClient> {
  const customer = await WebClient.open(baseUrl);
  const answer = await customer.chat('转人工');
  if (!IN_LINE.test(answer)) throw new Error(`转人工 did not put the customer in line; the bot said: ${answer}`);
  return customer;
}

/** Runs `task` for 0..count-1, at most `width` at a time, and returns the results in order. */
async function inBatches<T>(count: number, width: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += width) {
    const batch = Array.from({ length: Math.min(width, count - start) }, (_, i) => task(start + i));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

describe('the agents’ console', () => {
  let running: RunningApp;

  beforeAll(async () => {
    // Agents on duty around the clock, so that 转人工 queues whatever the hour the test runs at.
    running = await startTestApp({
      serviceHours: parseWorkingHours('00:00-24:00 1-7', 'Asia/Shanghai'),
      // Over a hundred customers start a chat here within seconds, all from the test's one address:
      // more than webConversationsPerIp allows. Every other limit stays at its default.
      rateLimits: { ...RATE_LIMIT_DEFAULTS, webConversationsPerIp: { points: 1000, seconds: 600 } },
    });
    const accounts = new ConsoleAccounts(running.app.redis);
    for (const agent of Object.values(AGENTS)) await accounts.create({ ...agent, role: 'agent' });
  });
  afterAll(async () => {
    await running?.stop();
  });

  describe('its pages', () => {
    const files = [
      { path: '/console', type: 'text/html' },
      { path: '/console/', type: 'text/html' },
      { path: '/console/console.js', type: 'text/javascript' },
      { path: '/console/console.css', type: 'text/css' },
    ];

    test.each(files)('$path is served with strict headers', async ({ path, type }) => {
      const response = await fetch(`${running.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain(type);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const csp = (response.headers.get('content-security-policy') ?? '').split(/;\s*/);
      expect(csp).toEqual(expect.arrayContaining(CONSOLE_CSP_DIRECTIVES));
      expect(csp.join(';')).not.toMatch(/unsafe-|\*/);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      expect((await response.text()).length).toBeGreaterThan(100);
    });

    test('load nothing from elsewhere, run no inline code and never build the page from HTML strings', async () => {
      const html = await (await fetch(`${running.url}/console/`)).text();
      const script = await (await fetch(`${running.url}/console/console.js`)).text();
      const css = await (await fetch(`${running.url}/console/console.css`)).text();
      expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i); // every script is a file
      expect(html).not.toMatch(/\sstyle\s*=|<style/i);
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
      expect(css).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//i);
    });
  });

  describe('in a real browser, beside a customer', () => {
    let browser: Browser;
    const contexts: BrowserContext[] = [];

    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser?.close();
    });

    async function newPage(): Promise<Page> {
      const context = await browser.newContext({ locale: 'zh-CN' });
      // Well inside jest's limit, so that a failure names the step that waited in vain.
      context.setDefaultTimeout(10_000);
      contexts.push(context);
      return context.newPage();
    }

    test('a customer asks for a person; an agent takes the chat, talks, and hands it back', async () => {
      // The customer, on the web chat, asks for a person and is told where they are in line.
      const customer = await newPage();
      await customer.goto(running.url);
      await customer.locator('.msg-bot', { hasText: '您好' }).first().waitFor();
      await customer.fill('#input', '转人工');
      await customer.click('#send');
      await customer.locator('.msg-bot', { hasText: IN_LINE }).waitFor();
      const conversationId = await customer.evaluate<string>(
        "JSON.parse(localStorage.getItem('cs.web.conversation') || '{}').conversationId || ''",
      );
      expect(conversationId).not.toBe('');

      // The agent opens the console and signs in (a wrong password first).
      const agent = await newPage();
      const dialogs: string[] = [];
      const problems: string[] = [];
      agent.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      agent.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      agent.on('console', (message) => {
        if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
      });
      await agent.goto(`${running.url}/console/`);
      await agent.getByTestId('login-view').waitFor();
      await agent.getByLabel('用户名').fill(AGENTS.li.username);
      await agent.getByLabel('密码').fill('not-the-password');
      await agent.getByRole('button', { name: '登录' }).click();
      await agent.getByTestId('login-error').filter({ hasText: '用户名或密码错误' }).waitFor();
      await agent.getByLabel('密码').fill(AGENTS.li.password);
      await agent.getByRole('button', { name: '登录' }).click();
      await agent.getByTestId('user-name').filter({ hasText: AGENTS.li.displayName }).waitFor();
      await agent.getByRole('button', { name: '退出' }).waitFor();

      // The waiting chat is in the queue with the bot's summary, and its wait time ticks.
      const row = agent.locator(`[data-testid="queue-item"][data-conversation-id="${conversationId}"]`);
      await row.waitFor();
      await expect(row.getByTestId('queue-channel').textContent()).resolves.toBe('网页');
      await expect(row.getByTestId('summary-last-messages').textContent()).resolves.toContain('转人工');
      const wait = row.getByTestId('queue-wait');
      const waitedBefore = (await wait.textContent()) ?? '';
      expect(waitedBefore).toMatch(/^等待 (\d+ 分 )?\d+ 秒$/);
      await wait.filter({ hasNotText: new RegExp(`^${waitedBefore}$`) }).waitFor({ timeout: 5000 });

      // The agent takes it: the chat view opens with the transcript so far.
      await row.getByRole('button', { name: /接入/ }).click();
      const chat = agent.locator(`[data-testid="chat-view"][data-conversation-id="${conversationId}"]`);
      await chat.waitFor();
      await row.waitFor({ state: 'detached' });
      await agent.locator(`[data-testid="my-chat-item"][data-conversation-id="${conversationId}"]`).waitFor();
      const transcript = agent.getByTestId('transcript');
      await entry(transcript, 'user', '转人工').waitFor();
      await expect(transcript.getAttribute('aria-live')).resolves.toBe('polite');

      // The customer writes markup; the agent sees it live, as text.
      const markup = '<script>alert(1)</script><b>我的手机充不进电</b>';
      await customer.fill('#input', markup);
      await customer.click('#send');
      const shown = entry(transcript, 'user', '<b>我的手机充不进电</b>');
      await shown.waitFor();
      await expect(shown.getByTestId('entry-text').textContent()).resolves.toBe(markup);
      await expect(shown.getByTestId('entry-speaker').textContent()).resolves.toBe('客户');
      await expect(transcript.locator('b, script').count()).resolves.toBe(0);
      await agent.waitForTimeout(300); // time for an injected alert to fire, had it run
      expect(dialogs).toEqual([]);

      // The agent answers with a quick reply (Shift+Enter makes a new line, Enter sends); the customer gets it pushed.
      const input = agent.getByLabel('回复客户');
      await input.fill('第一行');
      await input.press('Shift+Enter');
      await input.pressSequentially('第二行');
      await expect(input.inputValue()).resolves.toBe('第一行\n第二行');
      await input.fill('');
      const greeting = '您好，我是售后客服，请问有什么可以帮您？';
      await agent.getByTestId('quick-reply').filter({ hasText: greeting }).click();
      await expect(input.inputValue()).resolves.toBe(greeting);
      await input.press('Enter');
      await entry(transcript, 'agent', greeting).waitFor();
      await expect(input.inputValue()).resolves.toBe('');
      await customer.locator('.msg-agent', { hasText: greeting }).waitFor();
      await expect(agent.getByTestId('delivery-note').count()).resolves.toBe(0); // the web page got it at once

      // The customer writes again: only the agent sees it, the bot keeps quiet.
      await settled(customer);
      const botMessages = await customer.locator('.msg-bot').count();
      await customer.fill('#input', '型号是 X1，昨天开始充不进电');
      await customer.click('#send');
      await entry(transcript, 'user', '型号是 X1').waitFor();
      await settled(customer);
      await customer.waitForTimeout(500);
      await expect(customer.locator('.msg-bot').count()).resolves.toBe(botMessages);

      // The agent hands back: the bot returns and asks the customer for a rating.
      await chat.getByRole('button', { name: '交还机器人' }).click();
      await chat.waitFor({ state: 'hidden' });
      await agent.locator(`[data-testid="my-chat-item"][data-conversation-id="${conversationId}"]`).waitFor({ state: 'detached' });
      await customer.locator('.msg-bot', { hasText: ASKS_FOR_RATING }).last().waitFor();

      expect(dialogs).toEqual([]);
      expect(problems).toEqual([]);

      // 退出 goes back to the login form, and the session is gone.
      await agent.getByRole('button', { name: '退出' }).click();
      await agent.getByTestId('login-view').waitFor();
      await agent.reload();
      await agent.getByTestId('login-view').waitFor();
    }, 90_000);
  });

  describe('over HTTP', () => {
    test('two agents claiming the same chat at once: exactly one wins, 100 times over', async () => {
      const customers = await inBatches(100, 10, () => customerInLine(running.url));
      const wang = await ConsoleClient.login(running.url, AGENTS.wang.username, AGENTS.wang.password);
      const zhang = await ConsoleClient.login(running.url, AGENTS.zhang.username, AGENTS.zhang.password);
      const wins: Record<string, number> = { [wang.username]: 0, [zhang.username]: 0 };

      for (const customer of customers) {
        const id = customer.conversationId;
        const [first, second] = await Promise.all([wang.claim(id), zhang.claim(id)]);
        expect([first.status, second.status].sort()).toEqual([200, 409]);
        const [winner, lost] = first.status === 200 ? [wang, second] : [zhang, first];
        expect(lost.body.code).toBe('AlreadyTaken');
        wins[winner.username]++;
        // Free the winner again: an agent holds only a few chats at a time.
        await expect(winner.close(id).then((reply) => reply.status)).resolves.toBe(200);
      }
      expect(wins[wang.username] + wins[zhang.username]).toBe(100);

      // Each conversation was taken exactly once.
      for (const customer of customers) {
        const entries = await running.app.transcripts.read(customer.conversationId);
        const joins = entries.filter((e) => e.speaker === 'system' && /^客服 .+ 接入$/.test(String(e.activity.text ?? '')));
        expect(joins).toHaveLength(1);
      }
      const queue = await wang.request('GET', '/queue');
      const waiting = (queue.body.waiting as { conversationId: string }[]).map((w) => w.conversationId);
      expect(waiting.filter((id) => customers.some((c) => c.conversationId === id))).toEqual([]);
    }, 180_000);

    test('an agent cannot read a chat another agent holds', async () => {
      const customer = await customerInLine(running.url);
      const id = encodeURIComponent(customer.conversationId);
      const wang = await ConsoleClient.login(running.url, AGENTS.wang.username, AGENTS.wang.password);
      const zhang = await ConsoleClient.login(running.url, AGENTS.zhang.username, AGENTS.zhang.password);

      await expect(wang.claim(customer.conversationId).then((r) => r.status)).resolves.toBe(200);
      const own = await wang.request('GET', `/chats/${id}/transcript`);
      expect(own.status).toBe(200);
      expect((own.body.entries as { text: string }[]).some((e) => e.text === '转人工')).toBe(true);

      const other = await zhang.request('GET', `/chats/${id}/transcript`);
      expect(other.status).toBe(403);
      expect(JSON.stringify(other.body)).not.toContain('转人工');
      await wang.close(customer.conversationId);
    });
  });
});

/** A transcript entry of one speaker whose text contains `text`. */
function entry(transcript: Locator, speaker: 'user' | 'bot' | 'agent' | 'system', text: string): Locator {
  return transcript.locator(`[data-testid="transcript-entry"][data-speaker="${speaker}"]`, { hasText: text });
}

/** The customer's page has nothing on its way: no message pending, no typing indicator. */
async function settled(customer: Page): Promise<void> {
  await customer.locator('.msg-pending, .typing').first().waitFor({ state: 'detached' });
}
