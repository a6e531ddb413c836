import { createHash, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import restify, { type Next, type Request, type Response, type Server } from 'restify';
import { z } from 'zod';
import { refuse } from '../bot/httpErrors';
import type { Logger } from '../bot/logger';
import { ConsoleAccounts, MAX_PASSWORD_LENGTH, type ConsoleRole } from './accounts';
import { LoginLimiter } from './loginLimiter';
import { ConsoleSessions, type ConsoleSession } from './sessions';
import { describeZodError } from '../common/zodIssues';
import { refuseRateLimited, type RateLimits } from '../common/rateLimits';

export const SESSION_COOKIE = 'cs_console';
export const CSRF_HEADER = 'x-csrf-token';
export const LOGIN_MAX_BODY_BYTES = 8 * 1024;
const ALL_ROLES: ConsoleRole[] = ['agent', 'manager', 'admin'];
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface ConsoleAuthDeps {
  redis: Redis;
  logger: Logger;
  accounts?: ConsoleAccounts;
  /** Adds `Secure` to the cookie; on whenever the console is served over HTTPS. */
  secureCookies?: boolean;
  /** consolePerSession, counted for every guarded route; unset: no limit. */
  limits?: RateLimits;
}

// Loose on purpose: a name that could never exist must still get the same 401 as a wrong password,
// not a 400 that tells the caller something about the naming rules of real accounts.
const loginBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});

/** The value of one cookie in a Cookie header (the first, if a client sent the name twice). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/** Equal strings, in time that does not depend on where they differ (digests make the lengths equal). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function clientIp(req: Request): string {
  // The socket's address, not X-Forwarded-For: a header any client can set must not pick its own counter.
  return req.socket?.remoteAddress ?? 'unknown';
}

/** A request's Origin, when it sent one, names the host it was sent to: a page elsewhere cannot pass. */
function sameOrigin(req: Request): boolean {
  const origin = req.header('origin');
  if (origin === undefined || origin === '') return true;
  const host = (req.headers.host ?? '').toLowerCase();
  try {
    return host !== '' && new URL(origin).host.toLowerCase() === host;
  } catch {
    // "null" (sandboxed frames, file: pages) and garbage are not our origin.
    return false;
  }
}

/** One task at a time per key, in arrival order. */
class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release = (): void => undefined;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => done);
    this.tails.set(key, tail);
    try {
      await previous;
      return await task();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/**
 * The console's sign-in and the gate in front of its API: sessions in an HttpOnly SameSite=Strict
 * cookie, roles per route, a CSRF token on every change, and a limit on password guessing.
 */
export class ConsoleAuth {
  readonly accounts: ConsoleAccounts;
  readonly sessions: ConsoleSessions;
  private readonly limiter: LoginLimiter;
  // Checking the limit and counting a failure are two steps around a slow scrypt; without this, a burst
  // of parallel guesses would all pass the check before the first failure is counted. Per instance.
  private readonly attempts = new KeyedQueue();

  constructor(private readonly deps: ConsoleAuthDeps) {
    this.accounts = deps.accounts ?? new ConsoleAccounts(deps.redis);
    this.sessions = new ConsoleSessions(deps.redis);
    this.limiter = new LoginLimiter(deps.redis);
  }

  register(server: Server): void {
    const body = restify.plugins.bodyParser({ maxBodySize: LOGIN_MAX_BODY_BYTES, mapParams: false, rejectUnknown: true });
    server.post('/api/console/login', jsonOnly, body, this.login.bind(this));
    server.post(
      '/api/console/logout',
      this.guard(ALL_ROLES, async (_req, res, session) => {
        await this.sessions.destroy(session.id);
        this.deps.logger.info({ event: 'console.logout', username: session.user.username }, 'console logout');
        res.header('Set-Cookie', this.cookie('', 0));
        res.send(204);
      }),
    );
    server.get('/api/console/me', this.me.bind(this));
  }

  /**
   * Wraps a route handler: 401 without a valid session; 403 when the role is not allowed; on
   * POST/PUT/PATCH/DELETE 403 unless X-CSRF-Token equals the session's token and an Origin header, if
   * any, names this host. Roles are not ranked: list every role a route admits.
   */
  guard(
    roles: ConsoleRole[],
    handler: (req: Request, res: Response, session: ConsoleSession) => Promise<void>,
  ): (req: Request, res: Response) => Promise<void> {
    const allowed = new Set(roles);
    return async (req, res) => {
      const session = await this.sessionOf(req.headers.cookie);
      if (!session) return refuse(res, 401, 'NotSignedIn', 'sign in to the console first');
      // Fails closed, unlike the customers' limits: only staff wait on a refusal, and every console
      // route needs the same Redis anyway, so letting the call through would buy nothing. The counter
      // is named by a digest of the session id, like the session itself: the id is the cookie's secret.
      const counter = createHash('sha256').update(session.id).digest('hex');
      const limit = await this.deps.limits?.consume('consolePerSession', counter, { whenUnavailable: 'refuse' });
      if (limit && !limit.allowed) return refuseRateLimited(res, limit, 'console requests in this session');
      if (UNSAFE_METHODS.has(req.method ?? '')) {
        const token = req.header(CSRF_HEADER);
        if (!token || !sameSecret(token, session.csrfToken) || !sameOrigin(req)) {
          this.deps.logger.warn(
            { event: 'console.csrfRefused', username: session.user.username, method: req.method, path: req.path(), origin: req.header('origin') },
            'console request refused: CSRF check failed',
          );
          return refuse(res, 403, 'CsrfRejected', `send the session's csrfToken in the X-CSRF-Token header, from this site`);
        }
      }
      if (!allowed.has(session.user.role)) {
        return refuse(res, 403, 'Forbidden', `the role ${session.user.role} may not do this`);
      }
      await handler(req, res, session);
    };
  }

  /** The session of a request (for non-restify paths like an SSE or WebSocket upgrade): from the cookie. */
  async sessionOf(cookieHeader: string | undefined): Promise<ConsoleSession | undefined> {
    const id = readCookie(cookieHeader, SESSION_COOKIE);
    return id ? this.sessions.get(id) : undefined;
  }

  private async login(req: Request, res: Response): Promise<void> {
    res.header('Cache-Control', 'no-store');
    const parsed = loginBody.safeParse(req.body);
    if (!parsed.success) return refuse(res, 400, 'InvalidBody', describeZodError(parsed.error));
    const { username, password } = parsed.data;
    const ip = clientIp(req);
    const log = this.deps.logger.child({ username, ip });

    // User before IP everywhere, so two queued logins never wait on each other in a circle.
    await this.attempts.run(`user:${username.toLowerCase()}`, () =>
      this.attempts.run(`ip:${ip}`, async () => {
        const limit = await this.limiter.check(username, ip);
        if (!limit.allowed) {
          log.warn({ event: 'console.loginLocked', retryAfterSeconds: limit.retryAfterSeconds }, 'console login refused: too many failures');
          res.header('Retry-After', String(limit.retryAfterSeconds));
          return refuse(res, 429, 'TooManyAttempts', `too many failed logins; try again in ${limit.retryAfterSeconds} s`);
        }

        const user = await this.accounts.verify(username, password);
        if (!user) {
          await this.limiter.failed(username, ip);
          const after = await this.limiter.check(username, ip);
          log.warn({ event: 'console.loginFailed', locked: !after.allowed }, 'console login failed');
          if (!after.allowed) log.warn({ event: 'console.loginLocked', retryAfterSeconds: after.retryAfterSeconds }, 'console login locked');
          // One answer for an unknown name and a wrong password, so the console does not list its users.
          return refuse(res, 401, 'BadCredentials', 'wrong username or password');
        }

        await this.limiter.succeeded(username, ip);
        // A new id at every login: a cookie planted before sign-in never becomes a signed-in session.
        const previous = readCookie(req.headers.cookie, SESSION_COOKIE);
        if (previous) await this.sessions.destroy(previous);
        const session = await this.sessions.create(user);
        log.info({ event: 'console.login', role: user.role }, 'console login');
        res.header('Set-Cookie', this.cookie(session.id, this.sessions.ttlSeconds));
        res.send(200, { user, csrfToken: session.csrfToken });
      }),
    );
  }

  private async me(req: Request, res: Response): Promise<void> {
    res.header('Cache-Control', 'no-store');
    const session = await this.sessionOf(req.headers.cookie);
    if (!session) return refuse(res, 401, 'NotSignedIn', 'sign in to the console first');
    res.send(200, { user: session.user, csrfToken: session.csrfToken });
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    const attributes = [`${SESSION_COOKIE}=${value}`, 'HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${maxAgeSeconds}`];
    if (this.deps.secureCookies) attributes.push('Secure');
    return attributes.join('; ');
  }
}

/** The login takes JSON only: a form post from another site is refused before its body is read. */
function jsonOnly(req: Request, res: Response, next: Next): void {
  const empty = req.contentLength() === 0 && !req.isChunked();
  const type = req.getContentType().trim().toLowerCase();
  if (empty || type === 'application/json') return next();
  refuse(res, 415, 'UnsupportedMediaType', 'send the login as application/json');
  next(false);
}
