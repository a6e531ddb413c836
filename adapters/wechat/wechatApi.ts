import { z } from 'zod';
import { Lease } from '../../common/lease';
import type { Logger } from '../../common/logger';
import type { Redis } from '../../common/redis';
import { sleep } from '../../common/timing';

export interface WechatApiOptions {
  apiBase: string;
  appId: string;
  appSecret: string;
  logger: Logger;
  /** A token this close to its expiry is refreshed already (default 300). */
  refreshAheadSeconds?: number;
  /** Per HTTP call (default 5000). */
  timeoutMs?: number;
  now?: () => number;
}

export type SendOutcome =
  { status: 'sent' } | { status: 'budgetSpent' | 'windowClosed' | 'badUser' | 'failed'; code?: number; message: string };

/** Thrown by `accessToken()` when no token could be had; `code` is WeChat's errcode if it gave one. */
export class WechatTokenError extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'WechatTokenError';
  }
}

const SEND_PATH = '/cgi-bin/message/custom/send';
const TYPING_PATH = '/cgi-bin/message/custom/typing';

/** The token was replaced by a newer fetch (40001), is malformed (40014) or has expired (42001). */
const TOKEN_REFUSED = new Set([40001, 40014, 42001]);
const SYSTEM_BUSY = -1;
const BUSY_TRIES = 3;
const BUSY_BACKOFF_MS = 100;
const TOKEN_POLL_MS = 20;

const ApiReply = z.object({
  errcode: z.number().int().optional(),
  errmsg: z.string().optional(),
  access_token: z.string().min(1).optional(),
  expires_in: z.number().positive().optional(),
});
type ApiReply = z.infer<typeof ApiReply>;

const CachedToken = z.object({ token: z.string().min(1), expiresAt: z.number() });
type CachedToken = z.infer<typeof CachedToken>;

type Call = { ok: true; reply: ApiReply } | { ok: false; message: string };

/**
 * Deletes the cached token only if it is still the one that was refused: when many instances see the
 * same refusal at once, the first deletes it and fetches, the others find the new token and keep it.
 */
const DELETE_IF_TOKEN = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local ok, cached = pcall(cjson.decode, raw)
if ok and type(cached) == 'table' and cached.token ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`;

/** WeChat puts a request id (`rid: …`) in errmsg; WeChat support asks for it. */
function ridOf(errmsg: string | undefined): string | undefined {
  return errmsg ? /rid:\s*(\S+)/.exec(errmsg)?.[1] : undefined;
}

/** Name, message and socket code only: never the URL, which carries the secret or the token. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: { code?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  return `${err.name}: ${err.message}${code}`;
}

/**
 * WeChat's customer-service API (客服消息) for an official account. Every instance of the service
 * shares one access_token through Redis, because each fetch invalidates the previous token and
 * fetches are limited to 2000 a day.
 */
export class WechatApiClient {
  private readonly apiBase: string;
  private readonly refreshAheadMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly tokenKey: string;
  private readonly lockKey: string;

  constructor(
    private readonly redis: Redis,
    private readonly options: WechatApiOptions,
  ) {
    this.apiBase = options.apiBase.replace(/\/+$/, '');
    this.refreshAheadMs = (options.refreshAheadSeconds ?? 300) * 1000;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.now = options.now ?? Date.now;
    this.logger = options.logger.child({ component: 'wechatApi' });
    this.tokenKey = `cs:wechat:{${options.appId}}:token`;
    this.lockKey = `cs:wechat:{${options.appId}}:token:lock`;
  }

  /** The shared token; only the holder of the lock fetches, the others wait for what it stores. */
  async accessToken(): Promise<string> {
    const started = Date.now();
    // Long enough for the holder's fetch to time out and for one more try after it.
    const maxWaitMs = 2 * this.timeoutMs + 2000;
    for (;;) {
      const cached = await this.readCached();
      if (cached && !this.dueForRefresh(cached)) return cached.token;
      const lease = await Lease.tryAcquire(this.redis, this.lockKey, this.timeoutMs + 1000);
      if (lease) {
        try {
          return await this.refreshUnderLock();
        } finally {
          await lease.release();
        }
      }
      // Someone else is refreshing: a token that has not expired yet still serves meanwhile.
      if (cached && cached.expiresAt > this.now()) return cached.token;
      if (Date.now() - started > maxWaitMs) {
        throw new WechatTokenError('timed out waiting for another instance to fetch the access_token');
      }
      await sleep(TOKEN_POLL_MS);
    }
  }

  async sendText(openId: string, content: string): Promise<SendOutcome> {
    try {
      return await this.sendWithRetries(openId, content);
    } catch (err) {
      // Redis trouble, for instance: the caller keeps the text and tells the agent.
      const message = describeError(err);
      this.logger.warn({ openId, err: message }, 'wechat send failed');
      return { status: 'failed', message };
    }
  }

  /** Best effort: a missing typing indicator is not worth an error. */
  async typing(openId: string, on: boolean): Promise<void> {
    try {
      const call = await this.post(TYPING_PATH, { touser: openId, command: on ? 'Typing' : 'CancelTyping' });
      if (!call.ok) {
        this.logger.debug({ openId, err: call.message }, 'wechat typing failed');
      } else if ((call.reply.errcode ?? 0) !== 0) {
        const { errcode, errmsg } = call.reply;
        this.logger.debug({ openId, errcode, errmsg, rid: ridOf(errmsg) }, 'wechat typing refused');
      }
    } catch (err) {
      this.logger.debug({ openId, err: describeError(err) }, 'wechat typing failed');
    }
  }

  private async sendWithRetries(openId: string, content: string): Promise<SendOutcome> {
    const body = { touser: openId, msgtype: 'text', text: { content } };
    for (let attempt = 1; ; attempt += 1) {
      const call = await this.post(SEND_PATH, body);
      if (!call.ok) {
        this.logger.warn({ openId, err: call.message }, 'wechat send failed');
        return { status: 'failed', message: call.message };
      }
      if (call.reply.errcode === SYSTEM_BUSY && attempt < BUSY_TRIES) {
        const { errmsg } = call.reply;
        this.logger.info({ openId, errcode: SYSTEM_BUSY, errmsg, rid: ridOf(errmsg), attempt }, 'wechat busy; retrying');
        await sleep(BUSY_BACKOFF_MS * 2 ** (attempt - 1));
        continue;
      }
      return this.outcomeOf(openId, call.reply);
    }
  }

  private outcomeOf(openId: string, reply: ApiReply): SendOutcome {
    const code = reply.errcode ?? 0;
    if (code === 0) return { status: 'sent' };
    const message = reply.errmsg ?? `errcode ${code}`;
    const fields = { openId, errcode: code, errmsg: reply.errmsg, rid: ridOf(reply.errmsg) };
    switch (code) {
      case 45047:
        this.logger.info(fields, 'wechat send budget spent');
        return { status: 'budgetSpent', code, message };
      case 45015:
        this.logger.info(fields, 'wechat reply window closed');
        return { status: 'windowClosed', code, message };
      case 40003:
        this.logger.info(fields, 'wechat openid unknown to this account');
        return { status: 'badUser', code, message };
      case 45009:
      case 45011:
        this.logger.warn(fields, 'wechat API quota reached');
        return { status: 'failed', code, message };
      case 48001:
        this.logger.error(fields, 'wechat refused the customer-service API: check the account permissions and configuration');
        return { status: 'failed', code, message };
      default:
        this.logger.warn(fields, 'wechat send refused');
        return { status: 'failed', code, message };
    }
  }

  /** POSTs with the shared token; a refused token is replaced and the call made once more. */
  private async post(path: string, body: unknown): Promise<Call> {
    const first = await this.postWithToken(path, body);
    if (!first.call.ok || first.token === undefined) return first.call;
    const { errcode, errmsg } = first.call.reply;
    if (!TOKEN_REFUSED.has(errcode ?? 0)) return first.call;
    this.logger.info({ errcode, errmsg, rid: ridOf(errmsg) }, 'wechat refused the access_token; fetching again');
    await this.redis.eval(DELETE_IF_TOKEN, 1, this.tokenKey, first.token);
    return (await this.postWithToken(path, body)).call;
  }

  /** `token` is the one used, absent when none could be had. */
  private async postWithToken(path: string, body: unknown): Promise<{ call: Call; token?: string }> {
    let token: string;
    try {
      token = await this.accessToken();
    } catch (err) {
      return { call: { ok: false, message: `no access_token: ${describeError(err)}` } };
    }
    const call = await this.request(`${this.apiBase}${path}?access_token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { call, token };
  }

  private async refreshUnderLock(): Promise<string> {
    // The previous holder may have stored a new token between our look and taking the lock.
    const cached = await this.readCached();
    if (cached && !this.dueForRefresh(cached)) return cached.token;
    return this.fetchToken();
  }

  private async fetchToken(): Promise<string> {
    const query = new URLSearchParams({
      grant_type: 'client_credential',
      appid: this.options.appId,
      secret: this.options.appSecret,
    });
    const call = await this.request(`${this.apiBase}/cgi-bin/token?${query.toString()}`, { method: 'GET' });
    if (!call.ok) {
      this.logger.warn({ err: call.message }, 'wechat access_token fetch failed');
      throw new WechatTokenError(`access_token fetch failed: ${call.message}`);
    }
    const { errcode, errmsg, access_token: token, expires_in: expiresIn } = call.reply;
    if ((errcode !== undefined && errcode !== 0) || !token || !expiresIn) {
      const fields = { errcode, errmsg, rid: ridOf(errmsg) };
      // 40013/40125/40164 (appid, secret, IP whitelist) need a person; 45009 is the daily limit.
      this.logger.error(fields, 'wechat refused to issue an access_token');
      throw new WechatTokenError(`access_token refused: ${errmsg ?? 'no token in the reply'}`, errcode);
    }
    const lifetimeMs = expiresIn * 1000;
    const fresh: CachedToken = { token, expiresAt: this.now() + lifetimeMs };
    await this.redis.set(this.tokenKey, JSON.stringify(fresh), 'PX', lifetimeMs);
    this.logger.info({ expiresIn }, 'wechat access_token refreshed');
    return token;
  }

  private async readCached(): Promise<CachedToken | undefined> {
    const raw = await this.redis.get(this.tokenKey);
    if (raw === null) return undefined;
    try {
      const parsed = CachedToken.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined; // unreadable: fetched again, and the fetch overwrites it
    }
  }

  private dueForRefresh(cached: CachedToken): boolean {
    return this.now() >= cached.expiresAt - this.refreshAheadMs;
  }

  /** Never throws: network errors, timeouts, HTTP errors and malformed replies become `ok: false`. */
  private async request(url: string, init: RequestInit): Promise<Call> {
    let status: number;
    let text: string;
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
      status = response.status;
      text = await response.text();
    } catch (err) {
      return { ok: false, message: describeError(err) };
    }
    if (status < 200 || status >= 300) return { ok: false, message: `HTTP ${status}` };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, message: 'malformed reply: not JSON' };
    }
    const parsed = ApiReply.safeParse(json);
    if (!parsed.success) return { ok: false, message: `malformed reply: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
    return { ok: true, reply: parsed.data };
  }
}
