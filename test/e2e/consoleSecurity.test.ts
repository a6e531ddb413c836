import type { Browser } from 'playwright-core';
import { ConsoleAccounts } from '../../console/accounts';
import { sampleTicketDraft } from '../helpers/ticketDrafts';
import { launchBrowser } from '../helpers/browser';
import { startTestApp, type RunningApp } from '../helpers/testApp';
import { WebClient } from '../helpers/webClient';

/** What the console page shows of attacks: the agent's own failed sign-ins, and every lock for all agents. */

const AGENT = { username: 'agent1', password: 'agent-pass-123', displayName: '客服小李' };
const ATTACKER = '203.0.113.7';

const draft = sampleTicketDraft('13812345678');

describe('the console page and attacks', () => {
  let running: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    // The test's own requests come through "our proxy" on 127.0.0.1, so X-Forwarded-For places them.
    running = await startTestApp({ trustedProxies: ['127.0.0.1'] });
    await new ConsoleAccounts(running.app.redis).create({ ...AGENT, role: 'agent' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  test('the agent is told of failed sign-ins on their account, and every agent sees the locks', async () => {
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${running.url}/api/console/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ATTACKER },
        body: JSON.stringify({ username: AGENT.username, password: `guess number ${i}` }),
      });
      expect(response.status).toBe(401);
    }
    const ticket = await running.app.tickets.create(draft, 'test');
    for (const guess of ['1111', '2222', '3333']) {
      const client = await WebClient.open(running.url);
      await client.chat(`工单进度 ${ticket.id}`);
      await client.chat(guess);
    }

    const context = await browser.newContext({ locale: 'zh-CN' });
    context.setDefaultTimeout(10_000);
    try {
      const page = await context.newPage();
      await page.goto(`${running.url}/console/`);
      await page.getByLabel('用户名').fill(AGENT.username);
      await page.getByLabel('密码').fill(AGENT.password);
      await page.getByRole('button', { name: '登录' }).click();

      const notice = page.getByTestId('login-attacks');
      await notice.filter({ hasText: '5 次登录失败' }).waitFor();
      await expect(notice.textContent()).resolves.toMatch(/^您的账号在 .+ 有 5 次登录失败（来自 203\.0\.113\.\*）/);

      const events = page.getByTestId('security-event');
      await events.filter({ hasText: ticket.id }).waitFor();
      await events.filter({ hasText: '登录已锁定' }).waitFor();
      const listed = (await page.getByTestId('security-events').textContent()) ?? '';
      expect(listed).toContain('138****5678');
      expect(listed).not.toContain('13812345678');
      expect(listed).not.toContain(ATTACKER);
      await expect(page.getByTestId('security-count').textContent()).resolves.toBe('2');

      // A reload keeps the notice for the session.
      await page.reload();
      await notice.filter({ hasText: '5 次登录失败' }).waitFor();
    } finally {
      await context.close();
    }
  }, 60_000);
});
