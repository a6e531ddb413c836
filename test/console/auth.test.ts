import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import pino from 'pino';
import type { Server } from 'restify';
import { createServer } from '../../app/server';
import { connectRedis } from '../../common/redis';
import { TrustedProxies } from '../../common/clientAddress';
import { ConsoleAuth, SESSION_COOKIE } from '../../console/auth';
import type { LoginLimits } from '../../console/loginLimiter';
import { ConsoleSessions } from '../../console/sessions';
import { SecurityEvents } from '../../desk/securityEvents';
import { testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis';
import { until } from '../helpers/until';

const PASSWORD = 'agent password 1';
const MANAGER_PASSWORD = 'manager password 1';

interface Console {
  url: string;
  prefix: string;
  redis: Redis;
  auth: ConsoleAuth;
  securityEvents: SecurityEvents;
  logLines: () => Array<Record<string, unknown>>;
  rawLog: () => string;
  stop(): Promise<void>;
}

interface ConsoleOptions {
  secureCookies?: boolean;
  /** Proxies whose X-Forwarded-For is believed: how these tests speak from several addresses. */
  trustedProxies?: string[];
  loginLimits?: Partial<LoginLimits>;
}

async function startConsole(options: ConsoleOptions = {}): Promise<Console> {
  const prefix = uniquePrefix();
  const redis = testRedis(prefix);
  let log = '';
  const logger = pino({ level: 'info' }, { write: (line: string) => void (log += line) });
  const server: Server = createServer(redis, logger);
  const securityEvents = new SecurityEvents(redis);
  const auth = new ConsoleAuth({
    redis,
    logger,
    secureCookies: options.secureCookies,
    trustedProxies: new TrustedProxies(options.trustedProxies),
    loginLimits: options.loginLimits,
    securityEvents,
  });
  auth.register(server);
  server.post(
    '/api/console/test',
    auth.guard(['agent'], async (_req, res, session) => {
      res.send(200, { ok: true, username: session.user.username });
    }),
  );
  server.get(
    '/api/console/test',
    auth.guard(['agent'], async (_req, res) => {
      res.send(200, { ok: true });
    }),
  );
  server.post(
    '/api/console/managers-only',
    auth.guard(['manager', 'admin'], async (_req, res) => {
      res.send(200, { ok: true });
    }),
  );
  await auth.accounts.create({ username: 'alice', displayName: '王小丽', role: 'agent', password: PASSWORD });
  await auth.accounts.create({ username: 'lead', role: 'manager', password: MANAGER_PASSWORD });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    prefix,
    redis,
    auth,
    securityEvents,
    rawLog: () => log,
    logLines: () =>
      log
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await redis.quit();
    },
  };
}

let app: Console;

beforeEach(async () => {
  app = await startConsole();
});

afterEach(async () => {
  await app.stop();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

interface SignedIn {
  cookie: string;
  csrfToken: string;
  setCookie: string;
}

async function login(username = 'alice', password = PASSWORD): Promise<SignedIn> {
  const response = await post('/api/console/login', { username, password });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { csrfToken: string };
  const setCookie = response.headers.getSetCookie()[0] ?? '';
  return { cookie: setCookie.split(';')[0], csrfToken: body.csrfToken, setCookie };
}

describe('POST /api/console/login', () => {
  test('answers the user and a CSRF token, and sets an HttpOnly SameSite=Strict session cookie', async () => {
    const response = await post('/api/console/login', { username: 'alice', password: PASSWORD });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { user: unknown; csrfToken: string };
    expect(body.user).toEqual({ username: 'alice', displayName: '王小丽', role: 'agent' });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookies = response.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    const attributes = cookies[0].split('; ');
    expect(attributes[0]).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}$`));
    expect(attributes.slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=28800', 'Path=/', 'SameSite=Strict']);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  test('adds Secure when the console is served over HTTPS', async () => {
    const secure = await startConsole({ secureCookies: true });
    try {
      const response = await fetch(`${secure.url}/api/console/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'alice', password: PASSWORD }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.getSetCookie()[0].split('; ')).toContain('Secure');
    } finally {
      await secure.stop();
    }
  });

  test('one 401 for a wrong password and an unknown user', async () => {
    const wrong = await post('/api/console/login', { username: 'alice', password: 'not the password' });
    const unknown = await post('/api/console/login', { username: 'nobody', password: PASSWORD });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  test('400 for a body without a password, 415 for a form post, 413 over 8 KB', async () => {
    const missing = await post('/api/console/login', { username: 'alice' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: 'InvalidBody' });
    const form = await fetch(`${app.url}/api/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=alice&password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(form.status).toBe(415);
    expect(form.headers.getSetCookie()).toEqual([]);
    const big = await post('/api/console/login', { username: 'alice', password: PASSWORD, padding: 'x'.repeat(9000) });
    expect(big.status).toBe(413);
  });

  test('logs successes and failures with the name and never the password', async () => {
    await post('/api/console/login', { username: 'alice', password: 'not the password' });
    await login();
    const events = app.logLines().map((line) => [line.event, line.username]);
    expect(events).toEqual(
      expect.arrayContaining([
        ['console.loginFailed', 'alice'],
        ['console.login', 'alice'],
      ]),
    );
    expect(app.rawLog()).not.toContain(PASSWORD);
    expect(app.rawLog()).not.toContain('not the password');
  });
});

describe('GET /api/console/me', () => {
  test('the user and CSRF token with the cookie, 401 without it or with a made-up one', async () => {
    const session = await login();
    const me = await fetch(`${app.url}/api/console/me`, { headers: { cookie: session.cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ user: { username: 'alice', displayName: '王小丽', role: 'agent' }, csrfToken: session.csrfToken });
    expect((await fetch(`${app.url}/api/console/me`)).status).toBe(401);
    const forged = `${SESSION_COOKIE}=${'A'.repeat(43)}`;
    expect((await fetch(`${app.url}/api/console/me`, { headers: { cookie: forged } })).status).toBe(401);
  });
});

describe('guard', () => {
  test('401 without a session cookie', async () => {
    const response = await post('/api/console/test', {});
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'NotSignedIn' });
  });

  test('a change needs the session CSRF token: none 403, wrong 403, right 200', async () => {
    const session = await login();
    const other = await login('alice');
    const none = await post('/api/console/test', {}, { cookie: session.cookie });
    expect(none.status).toBe(403);
    expect(await none.json()).toMatchObject({ code: 'CsrfRejected' });
    expect((await post('/api/console/test', {}, { cookie: session.cookie, 'x-csrf-token': 'guess' })).status).toBe(403);
    // A token of another session of the same user does not fit either.
    expect((await post('/api/console/test', {}, { cookie: session.cookie, 'x-csrf-token': other.csrfToken })).status).toBe(403);
    const right = await post('/api/console/test', {}, { cookie: session.cookie, 'x-csrf-token': session.csrfToken });
    expect(right.status).toBe(200);
    expect(await right.json()).toEqual({ ok: true, username: 'alice' });
  });

  test('an Origin header must name this host', async () => {
    const session = await login();
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
    expect((await post('/api/console/test', {}, { ...headers, origin: 'https://evil.example' })).status).toBe(403);
    expect((await post('/api/console/test', {}, { ...headers, origin: 'null' })).status).toBe(403);
    expect((await post('/api/console/test', {}, { ...headers, origin: app.url })).status).toBe(200);
  });

  test('a read needs no CSRF token but still a session', async () => {
    const session = await login();
    expect((await fetch(`${app.url}/api/console/test`, { headers: { cookie: session.cookie } })).status).toBe(200);
    expect((await fetch(`${app.url}/api/console/test`)).status).toBe(401);
  });

  test('403 for a role the route does not admit, either way', async () => {
    const agent = await login();
    const manager = await login('lead', MANAGER_PASSWORD);
    const asAgent = await post('/api/console/managers-only', {}, { cookie: agent.cookie, 'x-csrf-token': agent.csrfToken });
    expect(asAgent.status).toBe(403);
    expect(await asAgent.json()).toMatchObject({ code: 'Forbidden' });
    expect((await post('/api/console/managers-only', {}, { cookie: manager.cookie, 'x-csrf-token': manager.csrfToken })).status).toBe(200);
    expect((await post('/api/console/test', {}, { cookie: manager.cookie, 'x-csrf-token': manager.csrfToken })).status).toBe(403);
  });
});

describe('POST /api/console/logout', () => {
  test('needs the CSRF token, then ends the session and clears the cookie', async () => {
    const session = await login();
    expect((await post('/api/console/logout', {}, { cookie: session.cookie })).status).toBe(403);
    expect((await fetch(`${app.url}/api/console/me`, { headers: { cookie: session.cookie } })).status).toBe(200);

    const out = await post('/api/console/logout', {}, { cookie: session.cookie, 'x-csrf-token': session.csrfToken });
    expect(out.status).toBe(204);
    const cleared = out.headers.getSetCookie()[0].split('; ');
    expect(cleared).toEqual(expect.arrayContaining([`${SESSION_COOKIE}=`, 'Max-Age=0', 'HttpOnly', 'Path=/']));
    expect((await fetch(`${app.url}/api/console/me`, { headers: { cookie: session.cookie } })).status).toBe(401);
    expect((await post('/api/console/test', {}, { cookie: session.cookie, 'x-csrf-token': session.csrfToken })).status).toBe(401);
  });

  test('a new login replaces the session the browser still had', async () => {
    const first = await login();
    const response = await post('/api/console/login', { username: 'alice', password: PASSWORD }, { cookie: first.cookie });
    expect(response.status).toBe(200);
    expect((await fetch(`${app.url}/api/console/me`, { headers: { cookie: first.cookie } })).status).toBe(401);
  });
});

describe('login rate limit', () => {
  test('the 6th failure within the window is 429 with Retry-After, and then even the right password is refused', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await post('/api/console/login', { username: 'alice', password: `wrong password ${i}` })).status).toBe(401);
    }
    const sixth = await post('/api/console/login', { username: 'alice', password: 'wrong password 6' });
    expect(sixth.status).toBe(429);
    const retryAfter = Number(sixth.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(890);
    expect(retryAfter).toBeLessThanOrEqual(900);
    const right = await post('/api/console/login', { username: 'alice', password: PASSWORD });
    expect(right.status).toBe(429);
    expect(right.headers.getSetCookie()).toEqual([]);
    expect(app.logLines().some((line) => line.event === 'console.loginLocked' && line.username === 'alice')).toBe(true);
    expect(app.rawLog()).not.toContain(PASSWORD);
  });

  test('X-Forwarded-For from a client that is not a trusted proxy does not pick the counter', async () => {
    for (let i = 0; i < 5; i++) {
      const from = { 'x-forwarded-for': `198.51.100.${i + 1}` };
      expect((await post('/api/console/login', { username: 'alice', password: `wrong password ${i}` }, from)).status).toBe(401);
    }
    const other = await post('/api/console/login', { username: 'alice', password: PASSWORD }, { 'x-forwarded-for': '198.51.100.77' });
    expect(other.status).toBe(429);
  });

  test('a burst of parallel guesses gets no more than 5 tries', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        post('/api/console/login', { username: 'alice', password: `parallel guess ${i}` }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
  });
});

describe('login protection that cannot be turned against agents', () => {
  // These consoles sit behind a proxy on 127.0.0.1, so X-Forwarded-For says where each request is from.
  let behindProxy: Console;
  const A = '203.0.113.7';
  const B = '198.51.100.20';

  async function start(loginLimits?: Partial<LoginLimits>): Promise<Console> {
    behindProxy = await startConsole({ trustedProxies: ['127.0.0.1'], loginLimits });
    return behindProxy;
  }
  afterEach(async () => {
    await behindProxy?.stop();
  });

  function loginFrom(service: Console, address: string, username: string, password: string): Promise<Response> {
    return fetch(`${service.url}/api/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ username, password }),
    });
  }

  test('wrong passwords from one address lock only that address; the agent signs in elsewhere and is told', async () => {
    const service = await start();
    for (let i = 0; i < 5; i++) expect((await loginFrom(service, A, 'alice', `guess ${i}`)).status).toBe(401);
    for (const password of ['guess 6', PASSWORD]) {
      const refused = await loginFrom(service, A, 'alice', password);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(890);
      expect(refused.headers.getSetCookie()).toEqual([]);
    }

    const fromB = await loginFrom(service, B, 'alice', PASSWORD);
    expect(fromB.status).toBe(200);
    const body = (await fromB.json()) as { failedLogins?: { count: number; addresses: string[]; firstAt: string; lastAt: string } };
    expect(body.failedLogins).toMatchObject({ count: 5, addresses: ['203.0.113.*'] });
    expect(Date.parse(body.failedLogins?.lastAt ?? '')).toBeGreaterThanOrEqual(Date.parse(body.failedLogins?.firstAt ?? ''));
    // The notice stays for the session: the page reads it from /me after a reload.
    const cookie = (fromB.headers.getSetCookie()[0] ?? '').split(';')[0];
    const me = (await (await fetch(`${service.url}/api/console/me`, { headers: { cookie } })).json()) as { failedLogins?: unknown };
    expect(me.failedLogins).toEqual(body.failedLogins);
    // Reported once: the next sign-in has nothing new to tell.
    const again = (await (await loginFrom(service, B, 'alice', PASSWORD)).json()) as { failedLogins?: unknown };
    expect(again.failedLogins).toBeUndefined();

    const events = await service.securityEvents.recent();
    expect(events).toEqual([
      expect.objectContaining({ kind: 'consoleLoginLocked', subject: 'alice', maskedAddress: '203.0.113.*', failures: 5 }),
    ]);
    expect(service.logLines().some((line) => line.event === 'console.consoleLoginLocked' && line.ip === A)).toBe(true);
    expect(JSON.stringify(events)).not.toContain(A);
  });

  test('failures seen while signed in show up in /me too', async () => {
    const service = await start();
    const signedIn = await loginFrom(service, B, 'alice', PASSWORD);
    const cookie = (signedIn.headers.getSetCookie()[0] ?? '').split(';')[0];
    await loginFrom(service, A, 'alice', 'guess');
    const me = (await (await fetch(`${service.url}/api/console/me`, { headers: { cookie } })).json()) as { failedLogins?: unknown };
    expect(me.failedLogins).toMatchObject({ count: 1, addresses: ['203.0.113.*'] });
  });

  test('one address trying many names is stopped for every name, other addresses are not', async () => {
    const service = await start();
    for (let i = 0; i < 30; i++) expect((await loginFrom(service, A, `name${i}`, PASSWORD)).status).toBe(401);
    const refused = await loginFrom(service, A, 'alice', PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect((await loginFrom(service, B, 'alice', PASSWORD)).status).toBe(200);
    expect(await service.securityEvents.recent()).toEqual([
      expect.objectContaining({ kind: 'consoleAddressLocked', subject: '203.0.113.*' }),
    ]);
  });

  test('a name failing from many addresses slows those addresses, not a fresh one with the right password', async () => {
    const service = await start({ nameCeiling: 3 });
    const attackers = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'];
    for (const address of attackers) expect((await loginFrom(service, address, 'alice', 'guess')).status).toBe(401);
    const slowed = await loginFrom(service, '192.0.2.4', 'alice', 'guess again');
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get('retry-after'))).toBeLessThanOrEqual(2);
    expect((await loginFrom(service, B, 'alice', PASSWORD)).status).toBe(200);
    expect((await service.securityEvents.recent()).map((event) => event.kind)).toEqual(['consoleNameSlowed']);
  });

  test('after its lock ends, the right password from the same address signs in', async () => {
    // Long enough to see the 429 however slow the machine; the failures are remembered far longer.
    const service = await start({ pairLockSeconds: 3 });
    for (let i = 0; i < 5; i++) expect((await loginFrom(service, A, 'alice', `guess ${i}`)).status).toBe(401);
    expect((await loginFrom(service, A, 'alice', PASSWORD)).status).toBe(429);
    await until(async () => (await loginFrom(service, A, 'alice', PASSWORD)).status === 200, 'the lock of alice at A to end', 8000);
  });
});

describe('ConsoleSessions', () => {
  test('a session ends after its idle time, and each use starts that time again', async () => {
    const sessions = new ConsoleSessions(app.redis, { ttlSeconds: 2 });
    const user = { username: 'alice', displayName: 'alice', role: 'agent' as const };
    const kept = await sessions.create(user);
    const idle = await sessions.create(user);
    // Looked at on the key, which does not count as a use (sessions.get would start its time again).
    const stored = (id: string): string => `cs:console:session:${createHash('sha256').update(id).digest('hex')}`;
    // `kept` is used all along; `idle` is left alone until Redis ends it.
    await until(
      async () => {
        expect(await sessions.get(kept.id)).toMatchObject({ id: kept.id, user, csrfToken: kept.csrfToken });
        return (await app.redis.exists(stored(idle.id))) === 0;
      },
      'the idle session to end',
      8000,
    );
    expect(await sessions.get(idle.id)).toBeUndefined();
    expect(await sessions.get(kept.id)).toBeDefined();
    // Left alone now, `kept` ends too.
    await until(async () => (await app.redis.exists(stored(kept.id))) === 0, 'the kept session to end once unused', 8000);
    expect(await sessions.get(kept.id)).toBeUndefined();
  });

  test('the session id is never stored in clear, only its sha256', async () => {
    const session = await login();
    const id = session.cookie.slice(`${SESSION_COOKIE}=`.length);
    const raw = connectRedis(testRedisUrl(), '');
    try {
      const keys = await raw.keys(`${app.prefix}*`);
      const dump: string[] = [...keys];
      for (const key of keys) {
        const type = await raw.type(key);
        if (type === 'string') dump.push((await raw.get(key)) ?? '');
        else if (type === 'set') dump.push(...(await raw.smembers(key)));
        else if (type === 'hash') dump.push(...Object.entries(await raw.hgetall(key)).flat());
        else dump.push(`unexpected ${type}`);
      }
      expect(dump.join('\n')).not.toContain(id);
      expect(dump.join('\n')).toContain(createHash('sha256').update(id).digest('hex'));
    } finally {
      await raw.quit();
    }
  });

  test('destroyAllOf ends every session of one user and no other', async () => {
    const sessions = app.auth.sessions;
    const alice = { username: 'alice', displayName: 'alice', role: 'agent' as const };
    const a1 = await sessions.create(alice);
    const a2 = await sessions.create(alice);
    const lead = await sessions.create({ username: 'lead', displayName: 'lead', role: 'manager' });
    await sessions.destroyAllOf('alice');
    expect(await sessions.get(a1.id)).toBeUndefined();
    expect(await sessions.get(a2.id)).toBeUndefined();
    expect(await sessions.get(lead.id)).toBeDefined();
  });

  test('sessionOf reads the cookie among others, for paths outside restify', async () => {
    const session = await login();
    expect(await app.auth.sessionOf(`theme=dark; ${session.cookie}; lang=zh`)).toMatchObject({ user: { username: 'alice' } });
    expect(await app.auth.sessionOf(undefined)).toBeUndefined();
    expect(await app.auth.sessionOf('theme=dark')).toBeUndefined();
  });
});
