import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, envSchema, loadConfig } from '../../app/config';
import { RATE_LIMIT_DEFAULTS } from '../../common/rateLimitSettings';

describe('loadConfig', () => {
  test('defaults: port 3978, Asia/Shanghai, info logs, own Redis', () => {
    expect(loadConfig({})).toEqual({
      port: 3978,
      host: '0.0.0.0',
      rateLimits: RATE_LIMIT_DEFAULTS,
      trustedProxies: [],
      retention: { conversationIdleDays: 30, transcriptDays: 365, transcriptMaxEntries: 2000 },
      redisUrl: undefined,
      redisKeyPrefix: '',
      logLevel: 'info',
      timeZone: 'Asia/Shanghai',
      ticketWebhookUrl: undefined,
      ticketWebhookSecret: undefined,
      llm: undefined,
      wechat: undefined,
      taobao: undefined,
      botFramework: undefined,
      serviceHours: { timeZone: 'Asia/Shanghai', start: '09:00', end: '22:00', days: [1, 2, 3, 4, 5, 6, 7] },
      consoleAdmin: undefined,
      consoleSecureCookies: false,
      reminders: true,
      workingHours: { timeZone: 'Asia/Shanghai', start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5, 6, 7] },
    });
  });

  test('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      REDIS_URL: 'redis://10.0.0.1:6379',
      LOG_LEVEL: 'debug',
      TZ: 'Europe/Berlin',
      REDIS_KEY_PREFIX: 'prod:',
    });
    expect(config).toMatchObject({
      port: 8080,
      redisUrl: 'redis://10.0.0.1:6379',
      logLevel: 'debug',
      timeZone: 'Europe/Berlin',
      redisKeyPrefix: 'prod:',
    });
  });

  test('the ticket webhook needs its secret, and working hours their format', () => {
    expect(() => loadConfig({ TICKET_WEBHOOK_URL: 'https://erp.example.com/tickets' })).toThrow(/TICKET_WEBHOOK_SECRET/);
    expect(() => loadConfig({ WORKING_HOURS: 'nine to five' })).toThrow(/WORKING_HOURS/);
    expect(loadConfig({ WORKING_HOURS: '08:30-17:30 1-5' }).workingHours).toMatchObject({
      start: '08:30',
      end: '17:30',
      days: [1, 2, 3, 4, 5],
    });
  });

  test('reminders are on unless REMINDERS=off; another value stops the start', () => {
    expect(loadConfig({ REMINDERS: 'off' }).reminders).toBe(false);
    expect(loadConfig({ REMINDERS: 'on' }).reminders).toBe(true);
    expect(() => loadConfig({ REMINDERS: 'yes' })).toThrow(/REMINDERS/);
  });

  test('listening address, rate limits and trusted proxies', () => {
    expect(loadConfig({ HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(() => loadConfig({ HOST: 'every interface' })).toThrow(/HOST/);
    expect(loadConfig({ RATE_LIMITS: 'off' }).rateLimits).toBeUndefined();
    expect(loadConfig({ RATE_LIMITS: 'messagesPerConversation=5/10' }).rateLimits).toEqual({
      ...RATE_LIMIT_DEFAULTS,
      messagesPerConversation: { points: 5, seconds: 10 },
    });
    for (const bad of ['sometimes', 'messagesPerConversation=5', 'perFortnight=1/1', 'messagesPerIp=0/60']) {
      expect(() => loadConfig({ RATE_LIMITS: bad })).toThrow(/RATE_LIMITS/);
    }
    expect(loadConfig({ TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8,::1' }).trustedProxies).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    for (const bad of ['my-proxy', '10.0.0.0/33', '10.0.0.1/8/1'])
      expect(() => loadConfig({ TRUSTED_PROXIES: bad })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadConfig({ CONVERSATION_IDLE_DAYS: '0' })).toThrow(/CONVERSATION_IDLE_DAYS/);
  });

  test('an empty value means unset', () => {
    expect(loadConfig({ REDIS_URL: '  ' }).redisUrl).toBeUndefined();
  });

  test('names every bad variable and why', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'localhost:6379', LOG_LEVEL: 'loud', TZ: 'Mars/Olympus' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['PORT', 'REDIS_URL', 'LOG_LEVEL', 'TZ']) expect(message).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(4);
  });

  describe('channels are on with all of their secrets, or off with none', () => {
    const wechat = { WECHAT_TOKEN: 'tok123', WECHAT_APPID: 'wx0123456789abcdef', WECHAT_APPSECRET: 's3cret' };

    test('WeChat: all three turn it on, with the official API as default base; an AES key is optional', () => {
      expect(loadConfig(wechat).wechat).toEqual({
        token: 'tok123',
        appId: 'wx0123456789abcdef',
        appSecret: 's3cret',
        encodingAesKey: undefined,
        previousEncodingAesKey: undefined,
        apiBase: 'https://api.weixin.qq.com',
      });
      const key = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
      expect(loadConfig({ ...wechat, WECHAT_ENCODING_AES_KEY: key, WECHAT_API_BASE: 'http://127.0.0.1:9000/' }).wechat).toMatchObject({
        encodingAesKey: key,
        apiBase: 'http://127.0.0.1:9000',
      });
    });

    test.each([
      [{ WECHAT_TOKEN: 'tok123' }, ['WECHAT_APPID', 'WECHAT_APPSECRET']],
      [{ TAOBAO_APP_KEY: '12345678' }, ['TAOBAO_APP_SECRET']],
      [{ MicrosoftAppId: '00000000-0000-0000-0000-000000000000' }, ['MicrosoftAppPassword']],
      [{ TAOBAO_SESSION: 'sess' }, ['TAOBAO_APP_KEY']],
      [{ ...wechat, WECHAT_ENCODING_AES_KEY: 'too-short' }, ['WECHAT_ENCODING_AES_KEY']],
      [{ ...wechat, WECHAT_TOKEN: 'has space' }, ['WECHAT_TOKEN']],
    ])('half a channel is refused, naming what is missing: %j', (env, missing) => {
      let error: unknown;
      try {
        loadConfig(env);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      for (const name of missing) expect((error as ConfigError).message).toContain(name);
    });

    test('Taobao: relay and order lookups are optional parts; Bot Framework: id and password', () => {
      expect(loadConfig({ TAOBAO_APP_KEY: '12345678', TAOBAO_APP_SECRET: 'sec' }).taobao).toEqual({
        appKey: '12345678',
        appSecret: 'sec',
        relayUrl: undefined,
        apiBase: 'https://eco.taobao.com/router/rest',
        session: undefined,
      });
      expect(loadConfig({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw' }).botFramework).toEqual({
        appId: 'id',
        appPassword: 'pw',
        tenantId: undefined,
        appType: 'MultiTenant',
      });
    });
  });

  test('the console admin needs both name and password; service hours have their format', () => {
    expect(() => loadConfig({ CONSOLE_ADMIN_USER: 'admin' })).toThrow(/CONSOLE_ADMIN_PASSWORD/);
    expect(() => loadConfig({ CONSOLE_ADMIN_USER: 'admin', CONSOLE_ADMIN_PASSWORD: 'short' })).toThrow(/at least 10/);
    expect(loadConfig({ CONSOLE_ADMIN_USER: 'admin', CONSOLE_ADMIN_PASSWORD: 'long-enough-pw' }).consoleAdmin).toEqual({
      username: 'admin',
      password: 'long-enough-pw',
    });
    expect(loadConfig({ SERVICE_HOURS: '08:00-20:00 1-5' }).serviceHours).toMatchObject({
      start: '08:00',
      end: '20:00',
      days: [1, 2, 3, 4, 5],
    });
    expect(() => loadConfig({ SERVICE_HOURS: 'always' })).toThrow(/SERVICE_HOURS/);
  });

  test('.env.example lists every variable the service reads', () => {
    const example = readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^([A-Za-z_]+)=/gm)].map((match) => match[1]));
    const schema = envSchema as unknown as { in?: { shape: Record<string, unknown> }; shape?: Record<string, unknown> };
    const read = Object.keys(schema.shape ?? schema.in?.shape ?? {});
    expect(read.length).toBeGreaterThan(20);
    expect(read.filter((name) => !listed.has(name))).toEqual([]);
  });
});
