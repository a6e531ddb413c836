import type { Browser } from 'playwright-core';
import { ConsoleAccounts } from '../../console/accounts';
import { launchBrowser } from '../helpers/browser';
import { ConsoleClient } from '../helpers/consoleClient';
import { startTestApp, type RunningApp } from '../helpers/testApp';

describe('console accounts over HTTP (admins only)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp({ consoleAdmin: { username: 'boss', password: 'boss-pass-2026' } });
    await new ConsoleAccounts(running.app.redis).create({ username: 'agent1', role: 'agent', password: 'agent-pass-123' });
  });
  afterAll(async () => {
    await running.stop();
  });

  test('an admin lists and adds accounts; the new agent can sign in', async () => {
    const admin = await ConsoleClient.login(running.url, 'boss', 'boss-pass-2026');
    const created = await admin.request('POST', '/users', {
      username: 'agent2',
      displayName: '客服小陈',
      role: 'agent',
      password: 'agent-pass-456',
    });
    expect(created.status).toBe(201);
    const list = await admin.request('GET', '/users');
    expect((list.body.users as { username: string }[]).map((user) => user.username)).toEqual(
      expect.arrayContaining(['boss', 'agent1', 'agent2']),
    );
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|password/i);
    await expect(ConsoleClient.login(running.url, 'agent2', 'agent-pass-456')).resolves.toBeDefined();
  });

  test.each([
    [{ username: 'agent1', role: 'agent', password: 'agent-pass-789' }, 409],
    [{ username: 'x', role: 'agent', password: 'agent-pass-789' }, 400],
    [{ username: 'agent3', role: 'agent', password: 'short' }, 400],
    [{ username: 'agent3', role: 'boss', password: 'agent-pass-789' }, 400],
  ])('bad input is refused with a reason: %j', async (body, status) => {
    const admin = await ConsoleClient.login(running.url, 'boss', 'boss-pass-2026');
    const reply = await admin.request('POST', '/users', body);
    expect(reply.status).toBe(status);
    expect(reply.body.message).toBeTruthy();
  });

  test('an agent may neither list nor add accounts', async () => {
    const agent = await ConsoleClient.login(running.url, 'agent1', 'agent-pass-123');
    expect((await agent.request('GET', '/users')).status).toBe(403);
    expect((await agent.request('POST', '/users', { username: 'sneaky', role: 'admin', password: 'sneaky-pass-1' })).status).toBe(403);
  });

  describe('in the console page', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser.close();
    });

    test('an admin adds an agent with the form; an agent sees no account panel', async () => {
      const context = await browser.newContext({ locale: 'zh-CN' });
      const page = await context.newPage();
      await page.goto(`${running.url}/console/`);
      await page.getByTestId('login-username').fill('boss');
      await page.getByTestId('login-password').fill('boss-pass-2026');
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByTestId('admin-panel').waitFor();
      await page.getByTestId('user-username').fill('agent5');
      await page.getByTestId('user-display').fill('客服<b>小赵</b>');
      await page.getByTestId('user-password').fill('agent-pass-555');
      await page.getByTestId('user-create-button').click();
      await page.getByTestId('user-item').filter({ hasText: 'agent5' }).waitFor();
      // Names are text, never markup.
      expect(await page.getByTestId('user-list').locator('b').count()).toBe(0);
      await context.close();

      const agentContext = await browser.newContext({ locale: 'zh-CN' });
      const agentPage = await agentContext.newPage();
      await agentPage.goto(`${running.url}/console/`);
      await agentPage.getByTestId('login-username').fill('agent5');
      await agentPage.getByTestId('login-password').fill('agent-pass-555');
      await agentPage.getByRole('button', { name: '登录' }).click();
      await agentPage.getByTestId('queue').waitFor({ state: 'attached' });
      expect(await agentPage.getByTestId('admin-panel').isVisible()).toBe(false);
      expect(await agentPage.getByTestId('user-form').count()).toBe(0);
      await agentContext.close();
    });
  });
});
