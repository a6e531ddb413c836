import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp, type App } from '../../app/app';
import { loadConfig } from '../../app/config';
import { baseUrlOf } from '../../app/server';
import { testRedisUrl, uniquePrefix } from '../helpers/redis';
import { startTestApp, type RunningApp } from '../helpers/testApp';
import { WebClient } from '../helpers/webClient';

describe('what callers see of a failure on our side', () => {
  let app: App;
  let url: string;
  const logLines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const config = { ...loadConfig({ PORT: '0', LOG_LEVEL: 'info' }), redisUrl: testRedisUrl(), redisKeyPrefix: uniquePrefix() };
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
    app = createApp(config, { logger });
    url = await app.start(0);
  });
  afterAll(async () => {
    await app.stop();
  });

  test('a route that fails inside answers 500 with a log id, no error text; the log line has the error and the id', async () => {
    // Redis holding something of the wrong type under a conversation's key makes its lookup throw
    // (WRONGTYPE …), as any fault inside would.
    await app.redis.set('cs:conv:{web-broken}:web', 'not a hash');
    const response = await fetch(`${url}/api/web/conversations/web-broken/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer whatever' },
      body: JSON.stringify({ text: '你好' }),
    });
    expect(response.status).toBe(500);
    const text = await response.text();
    const body = JSON.parse(text) as { code: string; message: string; logId: string };
    expect(body).toEqual({
      code: 'InternalError',
      message: '抱歉，服务出了点问题 / internal error',
      logId: expect.stringMatching(/^[0-9a-f]{12}$/),
    });
    expect(text).not.toMatch(/WRONGTYPE|Error:|at .*\.ts|redis/i);
    const logged = logLines.find((line) => line.logId === body.logId);
    expect(logged).toMatchObject({ level: 50, msg: 'request failed', status: 500 });
    expect(JSON.stringify(logged?.err)).toContain('WRONGTYPE');
  });

  test('refusals keep their reasons: malformed JSON, an unknown route', async () => {
    const client = await WebClient.open(url);
    const malformed = await client.request(
      'POST',
      `/api/web/conversations/${client.conversationId}/messages`,
      '{"text": "你好"',
      client.auth(),
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/JSON/i);
    expect(malformed.body).not.toHaveProperty('logId');
    const unknown = await fetch(`${url}/api/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toContain('/api/nothing-here');
  });
});

describe('security headers', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(async () => {
    await running.stop();
  });

  test.each(['/', '/index.html', '/chat.js', '/chat.css', '/console/', '/console/console.js'])(
    '%s: a strict Content-Security-Policy, nosniff, same-origin referrers, no framing',
    async (path) => {
      const response = await fetch(`${running.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      const csp = (response.headers.get('content-security-policy') ?? '').split(/;\s*/);
      expect(csp).toEqual(
        expect.arrayContaining([
          "default-src 'self'",
          "script-src 'self'",
          "style-src 'self'",
          "object-src 'none'",
          "frame-ancestors 'none'",
        ]),
      );
      expect(csp.join(';')).not.toMatch(/unsafe-|\*/);
    },
  );

  test('the chat page may open its own push stream, and nothing else', async () => {
    const host = new URL(running.url).host;
    const response = await fetch(`${running.url}/`);
    const connectSrc = (response.headers.get('content-security-policy') ?? '').split(/;\s*/).find((d) => d.startsWith('connect-src'));
    expect(connectSrc).toBe(`connect-src 'self' ws://${host} wss://${host}`);
  });

  test('the chat page has no inline script or style for the policy to block', async () => {
    const html = await (await fetch(`${running.url}/`)).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/\sstyle\s*=|<style|\son[a-z]+\s*=/i);
  });

  test('API answers, refusals included, carry nosniff too', async () => {
    for (const path of ['/healthz', '/api/web/conversations/web-nope/history', '/api/nothing-here']) {
      const response = await fetch(`${running.url}${path}`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
    }
  });
});

describe('the listening address', () => {
  test('HOST=127.0.0.1 listens there only, and the returned URL reaches it', async () => {
    const running = await startTestApp({ host: '127.0.0.1' });
    try {
      const address = running.app.server.address() as AddressInfo;
      expect(address.address).toBe('127.0.0.1');
      expect(running.url).toBe(`http://127.0.0.1:${address.port}`);
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    } finally {
      await running.stop();
    }
  });

  test('the default 0.0.0.0 listens on every IPv4 address and returns a loopback URL', async () => {
    const running = await startTestApp();
    try {
      expect((running.app.server.address() as AddressInfo).address).toBe('0.0.0.0');
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await running.stop();
    }
  });

  test.each([
    ['0.0.0.0', 'http://127.0.0.1:8080'],
    ['::', 'http://[::1]:8080'],
    ['10.0.0.5', 'http://10.0.0.5:8080'],
    ['::1', 'http://[::1]:8080'],
  ])('listening on %s is reached at %s', (address, expected) => {
    expect(baseUrlOf({ address, port: 8080, family: address.includes(':') ? 'IPv6' : 'IPv4' })).toBe(expected);
  });
});
