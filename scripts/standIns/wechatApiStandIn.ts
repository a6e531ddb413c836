import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the stand-in does with the next customer-service call for one OpenID (see `script`):
 * - `{ errcode, errmsg? }` answers that error (a `rid` is appended to errmsg);
 * - `{ raw, httpStatus? }` answers this body verbatim (malformed replies, proxies' HTTP errors);
 * - `{ delayMs }` holds the request that long, then handles it normally — the token is checked after
 *   the delay, so a token replaced meanwhile is refused.
 * errcode and raw steps are used only by calls whose token is valid; delay steps by any call.
 */
export type ScriptStep = { errcode: number; errmsg?: string } | { raw: string; httpStatus?: number } | { delayMs: number };

export interface SentText {
  touser: string;
  content: string;
  /** The token the call used. */
  token: string;
  at: number;
}

export interface TypingCall {
  touser: string;
  command: 'Typing' | 'CancelTyping';
}

export interface WechatApiStandInOptions {
  appId?: string;
  appSecret?: string;
  /** expires_in of the tokens it issues, in seconds (default 7200); also enforced (42001 after it). */
  expiresIn?: number;
  /** Delay before answering a token fetch (default 0): widens the window for concurrent fetches. */
  tokenDelayMs?: number;
}

interface IssuedToken {
  state: 'valid' | 'replaced' | 'expired';
  expiresAt: number;
}

type WechatError = { errcode: number; errmsg: string };

const DEFAULT_ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40003: 'invalid openid',
  42001: 'access_token expired',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit  mustslower  retry next minute',
  45015: 'response out of time limit or subscription is canceled',
  45047: 'out of response count limit',
  48001: 'api unauthorized',
};

/**
 * A local stand-in for WeChat's official-account API (https://api.weixin.qq.com), speaking its real
 * protocol: always HTTP 200 with `{errcode, errmsg}` (errmsg ends in `rid: …`).
 *
 * - `GET /cgi-bin/token?grant_type=client_credential&appid=…&secret=…` issues a new, distinct token
 *   and — as WeChat does — invalidates every earlier one (their use answers 40001). Wrong appid →
 *   40013, wrong secret → 40125.
 * - `POST /cgi-bin/message/custom/send?access_token=…` checks the token (41001 missing, 40001
 *   replaced or unknown, 42001 expired), the JSON shape (47001, 40008, 44004), plays the OpenID's
 *   script if any, and records `{touser, content}` in `sent`.
 * - `POST /cgi-bin/message/custom/typing?access_token=…` checks the same and records in `typing`.
 *
 * Use: `const base = await standIn.start()` → pass `base` as the client's apiBase; `await standIn.stop()`.
 */
export class WechatApiStandIn {
  readonly appId: string;
  readonly appSecret: string;
  /** expires_in of the next tokens, seconds. */
  expiresIn: number;
  tokenDelayMs: number;
  /** Texts delivered, in order. */
  readonly sent: SentText[] = [];
  /** Typing commands accepted, in order. */
  readonly typing: TypingCall[] = [];
  /** Every token issued, in order: to check that none reaches the logs. */
  readonly tokensIssued: string[] = [];
  /** Every POST to /cgi-bin/message/custom/send, refused ones included. */
  sendRequests = 0;
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly scripts = new Map<string, ScriptStep[]>();
  private readonly pending = new Set<NodeJS.Timeout>();
  private server?: Server;

  constructor(options: WechatApiStandInOptions = {}) {
    this.appId = options.appId ?? 'wx-stand-in-appid';
    this.appSecret = options.appSecret ?? 'stand-in-app-secret';
    this.expiresIn = options.expiresIn ?? 7200;
    this.tokenDelayMs = options.tokenDelayMs ?? 0;
  }

  /** Successful token fetches so far. */
  get tokenFetches(): number {
    return this.tokensIssued.length;
  }

  /** The one token that works now, if any. */
  get currentToken(): string | undefined {
    const last = this.tokensIssued.at(-1);
    return last !== undefined && this.stateOf(last) === 'valid' ? last : undefined;
  }

  /** Texts delivered to one OpenID, in order. */
  sentTo(openId: string): string[] {
    return this.sent.filter((s) => s.touser === openId).map((s) => s.content);
  }

  /** Every token issued so far now answers 42001 (access_token expired). */
  expireAll(): void {
    for (const token of this.tokens.values()) if (token.state === 'valid') token.state = 'expired';
  }

  /** Queues `step` for the next `times` customer-service calls (send or typing) to `openId`. */
  script(openId: string, step: ScriptStep, times = 1): void {
    const queue = this.scripts.get(openId) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(step);
    this.scripts.set(openId, queue);
  }

  /** The next `times` calls to `openId` (with a valid token) answer `errcode`. */
  failNext(openId: string, errcode: number, times = 1): void {
    this.script(openId, { errcode }, times);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.writableEnded) {
          res.statusCode = 500;
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
    if (!this.server?.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const body = await readBody(req);
    if (req.method === 'GET' && url.pathname === '/cgi-bin/token') {
      await this.delay(this.tokenDelayMs);
      return reply(res, this.issueToken(url.searchParams));
    }
    if (req.method === 'POST' && url.pathname === '/cgi-bin/message/custom/send') {
      this.sendRequests += 1;
      return this.customerService(res, url, body, (json, token) => this.acceptSend(json, token));
    }
    if (req.method === 'POST' && url.pathname === '/cgi-bin/message/custom/typing') {
      return this.customerService(res, url, body, (json) => this.acceptTyping(json));
    }
    res.statusCode = 404;
    res.end('not found');
  }

  private issueToken(params: URLSearchParams): object {
    if (params.get('grant_type') !== 'client_credential') return error(40002, 'invalid grant_type');
    if (params.get('appid') !== this.appId) return error(40013, 'invalid appid');
    if (params.get('secret') !== this.appSecret) return error(40125, 'invalid appsecret');
    for (const token of this.tokens.values()) token.state = 'replaced';
    const token = `ACCESS_TOKEN_${this.tokensIssued.length + 1}_${randomBytes(12).toString('hex')}`;
    this.tokens.set(token, { state: 'valid', expiresAt: Date.now() + this.expiresIn * 1000 });
    this.tokensIssued.push(token);
    return { access_token: token, expires_in: this.expiresIn };
  }

  /** The checks and scripting shared by send and typing; `accept` validates and records. */
  private async customerService(
    res: ServerResponse,
    url: URL,
    body: string,
    accept: (json: Record<string, unknown>, token: string) => WechatError,
  ): Promise<void> {
    const json = parseObject(body);
    const openId = typeof json?.touser === 'string' ? json.touser : '';
    const head = this.scripts.get(openId)?.[0];
    if (head && 'delayMs' in head) {
      this.scripts.get(openId)?.shift();
      await this.delay(head.delayMs);
    }
    const token = url.searchParams.get('access_token');
    const refused = this.checkToken(token);
    if (refused) return reply(res, refused);
    if (!json) return reply(res, error(47001, 'data format error'));
    const step = this.scripts.get(openId)?.[0];
    if (step && !('delayMs' in step)) {
      this.scripts.get(openId)?.shift();
      if ('raw' in step) {
        res.statusCode = step.httpStatus ?? 200;
        res.end(step.raw);
        return;
      }
      return reply(res, error(step.errcode, step.errmsg ?? DEFAULT_ERRMSG[step.errcode] ?? 'scripted error'));
    }
    return reply(res, accept(json, token ?? ''));
  }

  private acceptSend(json: Record<string, unknown>, token: string): WechatError {
    const { touser, msgtype, text } = json;
    if (typeof touser !== 'string' || touser === '') return error(40003, 'invalid openid');
    if (msgtype !== 'text') return error(40008, 'invalid message type');
    const content = typeof text === 'object' && text !== null ? (text as { content?: unknown }).content : undefined;
    if (typeof content !== 'string' || content === '') return error(44004, 'empty content');
    this.sent.push({ touser, content, token, at: Date.now() });
    return { errcode: 0, errmsg: 'ok' };
  }

  private acceptTyping(json: Record<string, unknown>): WechatError {
    const { touser, command } = json;
    if (typeof touser !== 'string' || touser === '') return error(40003, 'invalid openid');
    if (command !== 'Typing' && command !== 'CancelTyping') return error(47001, 'data format error');
    this.typing.push({ touser, command });
    return { errcode: 0, errmsg: 'ok' };
  }

  private checkToken(token: string | null): WechatError | undefined {
    if (!token) return error(41001, 'access_token missing');
    const state = this.stateOf(token);
    if (state === 'expired') return error(42001, DEFAULT_ERRMSG[42001]);
    if (state !== 'valid') return error(40001, DEFAULT_ERRMSG[40001]);
    return undefined;
  }

  private stateOf(token: string): IssuedToken['state'] | undefined {
    const issued = this.tokens.get(token);
    if (issued?.state === 'valid' && Date.now() >= issued.expiresAt) issued.state = 'expired';
    return issued?.state;
  }

  private delay(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.add(timer);
    });
  }
}

function error(errcode: number, errmsg: string): WechatError {
  const rid = [4, 4, 4].map((n) => randomBytes(n).toString('hex')).join('-');
  return { errcode, errmsg: `${errmsg} rid: ${rid}` };
}

function reply(res: ServerResponse, body: object): void {
  // The client may have given up (timeouts are tested).
  if (res.destroyed || res.writableEnded) return;
  // WeChat answers JSON with a text/plain content type.
  res.setHeader('content-type', 'text/plain');
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
