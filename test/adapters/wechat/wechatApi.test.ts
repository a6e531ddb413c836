import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { WechatApiClient, type WechatApiOptions } from '../../../adapters/wechat/wechatApi';
import { testRedis, uniquePrefix } from '../../helpers/redis';
import { WechatApiStandIn } from '../../helpers/wechatApiStandIn';

/** Log lines as objects, to check what reaches the logs and what never does. */
class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

async function closedPortBase(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('WechatApiClient', () => {
  let standIn: WechatApiStandIn;
  let base: string;
  // Two connections on one prefix stand for two processes of the service.
  let redisA: Redis;
  let redisB: Redis;
  let logs: LogCapture;
  let clock: number;

  const client = (redis: Redis, extra: Partial<WechatApiOptions> = {}) =>
    new WechatApiClient(redis, {
      apiBase: base,
      appId: standIn.appId,
      appSecret: standIn.appSecret,
      logger: pino({ level: 'debug' }, logs),
      now: () => clock,
      timeoutMs: 1000,
      ...extra,
    });

  beforeEach(async () => {
    standIn = new WechatApiStandIn({ tokenDelayMs: 50 });
    base = await standIn.start();
    const prefix = uniquePrefix();
    redisA = testRedis(prefix);
    redisB = testRedis(prefix);
    logs = new LogCapture();
    clock = Date.parse('2025-03-01T08:00:00Z');
  });
  afterEach(async () => {
    await standIn.stop();
    await Promise.all([redisA.quit(), redisB.quit()]);
  });

  describe('access_token', () => {
    test('two instances asking at once make one fetch, and the cached token is reused', async () => {
      const a = client(redisA);
      const b = client(redisB);
      const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).accessToken()));
      expect(standIn.tokenFetches).toBe(1);
      expect(new Set(tokens)).toEqual(new Set([standIn.currentToken]));

      expect(await client(redisB).accessToken()).toBe(tokens[0]);
      expect(standIn.tokenFetches).toBe(1);
    });

    test('is refreshed once, by one instance, when it comes within refreshAheadSeconds of expiry', async () => {
      const a = client(redisA, { refreshAheadSeconds: 300 });
      const b = client(redisB, { refreshAheadSeconds: 300 });
      const first = await a.accessToken();

      clock += (7200 - 301) * 1000;
      expect(await b.accessToken()).toBe(first);
      expect(standIn.tokenFetches).toBe(1);

      clock += 2000;
      const renewed = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).accessToken()));
      expect(standIn.tokenFetches).toBe(2);
      const second = standIn.currentToken;
      expect(second).not.toBe(first);
      // While one instance refreshes, the others go on with the token that has not expired yet.
      expect(renewed).toContain(second);
      expect(renewed.every((t) => t === first || t === second)).toBe(true);
      expect(await a.accessToken()).toBe(second);
      expect(standIn.tokenFetches).toBe(2);
    });

    test('follows expires_in from the reply', async () => {
      standIn.expiresIn = 600;
      const a = client(redisA, { refreshAheadSeconds: 60 });
      await a.accessToken();
      clock += 539 * 1000;
      await a.accessToken();
      expect(standIn.tokenFetches).toBe(1);
      clock += 2000;
      await a.accessToken();
      expect(standIn.tokenFetches).toBe(2);
    });

    test('wrong credentials: a clear error that names neither secret nor token', async () => {
      const a = client(redisA, { appSecret: 'not-the-secret' });
      await expect(a.accessToken()).rejects.toThrow(/invalid appsecret/);
      await expect(a.accessToken()).rejects.not.toThrow(/not-the-secret/);
      expect(await a.sendText('o-user', '你好')).toMatchObject({ status: 'failed' });
      expect(logs.lines.join('\n')).not.toContain('not-the-secret');
    });
  });

  describe('a refused token', () => {
    test('expired: two instances sending at once fetch one new token and both messages arrive', async () => {
      const a = client(redisA);
      const b = client(redisB);
      await a.accessToken();
      standIn.expireAll();

      const outcomes = await Promise.all([a.sendText('o-a', '您好，A'), b.sendText('o-b', '您好，B')]);
      expect(outcomes).toEqual([{ status: 'sent' }, { status: 'sent' }]);
      expect(standIn.tokenFetches).toBe(2);
      expect(standIn.sentTo('o-a')).toEqual(['您好，A']);
      expect(standIn.sentTo('o-b')).toEqual(['您好，B']);
    });

    test('a late refusal of the old token does not throw away the new one', async () => {
      standIn.tokenDelayMs = 0;
      const a = client(redisA);
      const b = client(redisB);
      await a.accessToken();
      standIn.expireAll();
      // B's call is held until A has fetched and stored a new token; B's old token is then refused.
      standIn.script('o-b', { delayMs: 300 });

      const outcomes = await Promise.all([a.sendText('o-a', 'A'), b.sendText('o-b', 'B')]);
      expect(outcomes).toEqual([{ status: 'sent' }, { status: 'sent' }]);
      expect(standIn.tokenFetches).toBe(2);
      expect(standIn.sent.map((s) => s.token)).toEqual([standIn.currentToken, standIn.currentToken]);
    });

    test('is replaced once per call, not forever', async () => {
      const a = client(redisA);
      await a.accessToken();
      standIn.failNext('o-user', 40001, 5);
      expect(await a.sendText('o-user', 'hi')).toMatchObject({ status: 'failed', code: 40001 });
      expect(standIn.tokenFetches).toBe(2);
      expect(standIn.sendRequests).toBe(2);
    });
  });

  describe('sendText outcomes', () => {
    test('delivers the text to the OpenID', async () => {
      expect(await client(redisA).sendText('o-user', '您的工单已受理')).toEqual({ status: 'sent' });
      expect(standIn.sent).toMatchObject([{ touser: 'o-user', content: '您的工单已受理' }]);
    });

    test.each([
      [45047, 'budgetSpent'],
      [45015, 'windowClosed'],
      [40003, 'badUser'],
      [45009, 'failed'],
      [45011, 'failed'],
      [48001, 'failed'],
      [40007, 'failed'],
    ])('errcode %i → %s', async (errcode, status) => {
      standIn.failNext('o-user', errcode);
      expect(await client(redisA).sendText('o-user', 'hi')).toMatchObject({ status, code: errcode });
      expect(standIn.sent).toEqual([]);
    });

    test('system busy (-1) twice, then ok → sent after three tries', async () => {
      standIn.failNext('o-user', -1, 2);
      expect(await client(redisA).sendText('o-user', 'hi')).toEqual({ status: 'sent' });
      expect(standIn.sendRequests).toBe(3);
      expect(standIn.sentTo('o-user')).toEqual(['hi']);
    });

    test('system busy three times → failed, no fourth try', async () => {
      standIn.failNext('o-user', -1, 5);
      expect(await client(redisA).sendText('o-user', 'hi')).toMatchObject({ status: 'failed', code: -1 });
      expect(standIn.sendRequests).toBe(3);
    });

    test('WeChat unreachable → failed, without throwing', async () => {
      base = await closedPortBase();
      expect(await client(redisA).sendText('o-user', 'hi')).toMatchObject({ status: 'failed' });
    });

    test('the send endpoint down after the token was cached → failed, without throwing', async () => {
      const a = client(redisA);
      await a.accessToken();
      await standIn.stop();
      expect(await a.sendText('o-user', 'hi')).toMatchObject({ status: 'failed' });
    });

    test('a reply slower than timeoutMs → failed', async () => {
      const a = client(redisA, { timeoutMs: 200 });
      await a.accessToken();
      standIn.script('o-user', { delayMs: 1000 });
      const started = Date.now();
      expect(await a.sendText('o-user', 'hi')).toMatchObject({ status: 'failed' });
      expect(Date.now() - started).toBeLessThan(900);
    });

    test.each([
      ['not JSON', { raw: '<html>502 Bad Gateway</html>' }],
      ['wrong types', { raw: '{"errcode":"0","errmsg":"ok"}' }],
      ['an HTTP error', { raw: '{}', httpStatus: 502 }],
    ])('a malformed reply (%s) → failed', async (_name, step) => {
      standIn.script('o-user', step);
      expect(await client(redisA).sendText('o-user', 'hi')).toMatchObject({ status: 'failed' });
    });
  });

  describe('logs', () => {
    test('carry errmsg and its rid in fields, and never the secret or a token', async () => {
      const a = client(redisA);
      standIn.failNext('o-user', 48001);
      await a.sendText('o-user', 'hi');
      standIn.expireAll();
      await a.sendText('o-user', 'hi again');

      const refusal = logs.records().find((r) => r.errcode === 48001);
      expect(refusal).toMatchObject({ level: 50, openId: 'o-user' });
      expect(refusal?.errmsg).toEqual(expect.stringContaining('api unauthorized rid: '));
      expect(refusal?.rid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);

      const all = logs.lines.join('\n');
      expect(standIn.tokensIssued).toHaveLength(2);
      for (const secret of [standIn.appSecret, ...standIn.tokensIssued]) expect(all).not.toContain(secret);
    });
  });

  describe('typing', () => {
    test('sends Typing and CancelTyping', async () => {
      const a = client(redisA);
      await a.typing('o-user', true);
      await a.typing('o-user', false);
      expect(standIn.typing).toEqual([
        { touser: 'o-user', command: 'Typing' },
        { touser: 'o-user', command: 'CancelTyping' },
      ]);
    });

    test('never throws: refused, or WeChat unreachable', async () => {
      standIn.failNext('o-user', 45015);
      await expect(client(redisA).typing('o-user', true)).resolves.toBeUndefined();
      base = await closedPortBase();
      await expect(client(redisB).typing('o-user', true)).resolves.toBeUndefined();
    });
  });
});
