import { ConfigError, loadConfig } from '../../bot/config';

describe('loadConfig', () => {
  test('defaults: port 3978, Asia/Shanghai, info logs, own Redis', () => {
    expect(loadConfig({})).toEqual({
      port: 3978,
      redisUrl: undefined,
      redisKeyPrefix: '',
      logLevel: 'info',
      timeZone: 'Asia/Shanghai',
      ticketWebhookUrl: undefined,
      ticketWebhookSecret: undefined,
      llm: undefined,
      workingHours: { timeZone: 'Asia/Shanghai', start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5, 6, 7] },
    });
  });

  test('reads every variable', () => {
    const config = loadConfig({ PORT: '8080', REDIS_URL: 'redis://10.0.0.1:6379', LOG_LEVEL: 'debug', TZ: 'Europe/Berlin', REDIS_KEY_PREFIX: 'prod:' });
    expect(config).toMatchObject({ port: 8080, redisUrl: 'redis://10.0.0.1:6379', logLevel: 'debug', timeZone: 'Europe/Berlin', redisKeyPrefix: 'prod:' });
  });

  test('the ticket webhook needs its secret, and working hours their format', () => {
    expect(() => loadConfig({ TICKET_WEBHOOK_URL: 'https://erp.example.com/tickets' })).toThrow(/TICKET_WEBHOOK_SECRET/);
    expect(() => loadConfig({ WORKING_HOURS: 'nine to five' })).toThrow(/WORKING_HOURS/);
    expect(loadConfig({ WORKING_HOURS: '08:30-17:30 1-5' }).workingHours).toMatchObject({ start: '08:30', end: '17:30', days: [1, 2, 3, 4, 5] });
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
});
