import { createHash, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import restify, { type Next, type Request, type Response, type Server } from 'restify';
import { z } from 'zod';
import { refuse } from '../common/httpErrors';
import type { Logger } from '../common/logger';
import { ConsoleAccounts, MAX_PASSWORD_LENGTH, type ConsoleRole } from './accounts';
import { FailedLogins, maskAddress, mergeFailedLogins } from './failedLogins';
import { LoginLimiter, type LoginFailure, type LoginLimits } from './loginLimiter';
import { ConsoleSessions, type ConsoleSession } from './sessions';
import { TrustedProxies } from '../common/clientAddress';
import { describeZodError } from '../common/zodIssues';
import type { SecurityEvents } from '../desk/securityEvents';
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
  /** Whose X-Forwarded-For names the client (config.trustedProxies); none: the socket's peer is the client. */
  trustedProxies?: TrustedProxies;
  /** Where login locks are listed for agents, beside the log line. */
  securityEvents?: SecurityEvents;
  loginLimits?: Partial<LoginLimits>;
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
  private readonly failedLogins: FailedLogins;
  private readonly proxies: TrustedProxies;
  // Checking the limit and counting a failure are two steps around a slow scrypt; without this, a burst
  // of parallel guesses would all pass the check before the first failure is counted. Per address, as
  // every lock is: a flood for one name from elsewhere never makes the agent's own login wait. Per instance.
  private readonly attempts = new KeyedQueue();

  constructor(private readonly deps: ConsoleAuthDeps) {
    this.accounts = deps.accounts ?? new ConsoleAccounts(deps.redis);
    this.sessions = new ConsoleSessions(deps.redis);
    this.limiter = new LoginLimiter(deps.redis, deps.loginLimits);
    this.failedLogins = new FailedLogins(deps.redis);
    this.proxies = deps.trustedProxies ?? new TrustedProxies();
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
            {
              event: 'console.csrfRefused',
              username: session.user.username,
              method: req.method,
              path: req.path(),
              origin: req.header('origin'),
            },
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
    // X-Forwarded-For only as far as our own proxies vouch for it: a header any client can set must not
    // pick the counter it lands on.
    const ip = this.proxies.clientOf({ socketAddress: req.socket?.remoteAddress, forwardedFor: req.headers['x-forwarded-for'] });
    const log = this.deps.logger.child({ username, ip });

    await this.attempts.run(ip, async () => {
      const limit = await this.limiter.check(username, ip);
      if (!limit.allowed) {
        log.warn(
          { event: 'console.loginLocked', reason: limit.reason, retryAfterSeconds: limit.retryAfterSeconds },
          'console login refused: too many failures',
        );
        res.header('Retry-After', String(limit.retryAfterSeconds));
        return refuse(res, 429, 'TooManyAttempts', `too many failed logins; try again in ${limit.retryAfterSeconds} s`);
      }

      const user = await this.accounts.verify(username, password);
      if (!user) {
        const failure = await this.limiter.failed(username, ip);
        // Only real accounts get a record (an attacker's made-up names would fill Redis); the lookup is
        // one Redis read beside the scrypt every answer costs, so it tells nothing about who exists.
        if (await this.accounts.get(username)) await this.failedLogins.record(username, ip);
        log.warn({ event: 'console.loginFailed', locked: failure.pairLocked || failure.addressLocked }, 'console login failed');
        await this.reportLocks(username, ip, failure, log);
        // One answer for an unknown name and a wrong password, so the console does not list its users.
        return refuse(res, 401, 'BadCredentials', 'wrong username or password');
      }

      await this.limiter.succeeded(username, ip);
      const failedLogins = await this.failedLogins.take(username);
      // A new id at every login: a cookie planted before sign-in never becomes a signed-in session.
      const previous = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (previous) await this.sessions.destroy(previous);
      const session = await this.sessions.create(user, { failedLogins });
      log.info({ event: 'console.login', role: user.role, failedBefore: failedLogins?.count ?? 0 }, 'console login');
      res.header('Set-Cookie', this.cookie(session.id, this.sessions.ttlSeconds));
      res.send(200, { user, csrfToken: session.csrfToken, failedLogins });
    });
  }

  /** Each lock a failure caused: a warn line for operators and an entry in the agents' security list. */
  private async reportLocks(username: string, ip: string, failure: LoginFailure, log: Logger): Promise<void> {
    const { pairLockSeconds, addressWindowSeconds, maxDelaySeconds } = this.limiter.limits;
    const locks = [
      failure.pairLocked && { kind: 'consoleLoginLocked' as const, failures: failure.pairFailures, lockedSeconds: pairLockSeconds },
      failure.addressLocked && {
        kind: 'consoleAddressLocked' as const,
        failures: failure.addressFailures,
        lockedSeconds: addressWindowSeconds,
      },
      failure.nameSlowed && { kind: 'consoleNameSlowed' as const, failures: failure.nameFailures, lockedSeconds: maxDelaySeconds },
    ].filter((lock) => lock !== false);
    for (const lock of locks) {
      log.warn({ event: `console.${lock.kind}`, failures: lock.failures, lockedSeconds: lock.lockedSeconds }, 'console login locked');
      await this.deps.securityEvents?.record({
        kind: lock.kind,
        subject: lock.kind === 'consoleAddressLocked' ? maskAddress(ip) : username.toLowerCase(),
        maskedAddress: lock.kind === 'consoleNameSlowed' ? undefined : maskAddress(ip),
        failures: lock.failures,
        lockedSeconds: lock.lockedSeconds,
      });
    }
  }

  private async me(req: Request, res: Response): Promise<void> {
    res.header('Cache-Control', 'no-store');
    const session = await this.sessionOf(req.headers.cookie);
    if (!session) return refuse(res, 401, 'NotSignedIn', 'sign in to the console first');
    // What the sign-in reported, and any failures since, so an attack during the session shows too.
    const failedLogins = mergeFailedLogins(session.failedLogins, await this.failedLogins.peek(session.user.username));
    res.send(200, { user: session.user, csrfToken: session.csrfToken, failedLogins });
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
