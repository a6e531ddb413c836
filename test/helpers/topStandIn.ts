import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * Local stand-ins for the Taobao side, speaking the real protocol (docs/protocols.md §4), for unit and
 * end-to-end tests:
 *
 *  - TopGatewayStandIn: the TOP REST gateway (form POST or query string, all three sign methods,
 *    10-minute clock skew, TOP error codes) serving taobao.trade.fullinfo.get from a map of orders.
 *  - RelayStandIn: the chat relay receiving our pushes (agent replies, reminders).
 *  - signedRelayMessage / formBody: build what a relay POSTs to our /api/taobao.
 *
 * Signatures here are computed independently of adapters/taobao/topSignature.ts (straight from the
 * protocol text), so a test passing against these stand-ins is a real cross-check of our code.
 *
 * Typical use:
 *
 *   const gateway = new TopGatewayStandIn({ appKey: 'k', secret: 's', session: 'sess' });
 *   gateway.setOrder('3321456789012345678', { created: '2024-05-01 10:00:00', pay_time: '2024-05-01 10:05:00', titles: ['X20 耳机'] });
 *   const apiBase = await gateway.start();          // → TAOBAO_API_BASE
 *   gateway.failNext({ status: 502 });              // the next request gets HTTP 502
 *   …; gateway.requests[0].params.tid; gateway.requests[0].signatureOk;
 *   await gateway.stop();
 *
 *   const relay = new RelayStandIn({ appKey: 'k', secret: 's' });
 *   const relayUrl = await relay.start();           // → TAOBAO_RELAY_URL
 *   relay.failNext(1);                              // the next push gets HTTP 500
 *   …; relay.delivered  → [{ buyerNick, sellerNick, content, messageId }]
 *
 *   const body = signedRelayMessage({ buyer_nick: 'tb_buyer', seller_nick: 'shop', message_id: 'm1', content: '耳机坏了' },
 *                                   { appKey: 'k', secret: 's' });
 *   await fetch(`${base}/api/taobao`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
 *   // or as a form: { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: formBody(body) }
 */

export type StandInSignMethod = 'md5' | 'hmac' | 'hmac-sha256';

const MAX_SKEW_MS = 10 * 60_000;
const GMT8_MS = 8 * 3_600_000;

// ---------------------------------------------------------------------------------------------
// The protocol, written out again on purpose (see above).

/** TOP signature: non-empty params except sign, sorted by code unit, name+value concatenated. */
export function standInSign(params: Record<string, string | undefined>, secret: string, method: StandInSignMethod): string {
  const names = Object.keys(params).filter((k) => k !== 'sign' && params[k]);
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const text = names.map((k) => k + params[k]).join('');
  const hex =
    method === 'md5'
      ? createHash('md5')
          .update(secret + text + secret, 'utf8')
          .digest('hex')
      : createHmac(method === 'hmac' ? 'md5' : 'sha256', secret)
          .update(text, 'utf8')
          .digest('hex');
  return hex.toUpperCase();
}

export function standInTimestamp(date: Date): string {
  return new Date(date.getTime() + GMT8_MS).toISOString().slice(0, 19).replace('T', ' ');
}

function parseStandInTimestamp(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) return undefined;
  const date = new Date(`${text.replace(' ', 'T')}+08:00`);
  return Number.isNaN(date.getTime()) || standInTimestamp(date) !== text ? undefined : date;
}

/** A TOP error as the gateway puts it inside {"error_response": …}. */
export interface TopErrorBody {
  code: number;
  msg: string;
  sub_code?: string;
  sub_msg?: string;
}

function topError(code: number, msg: string, sub?: { sub_code?: string; sub_msg?: string }): TopErrorBody {
  return { code, msg, ...sub };
}

/** The checks every signed request gets: app key, sign method, sign, timestamp within 10 minutes. */
function checkSigned(params: Record<string, string>, appKey: string, secret: string, now: Date): TopErrorBody | undefined {
  if (!params.app_key) return topError(28, 'Missing App Key');
  if (params.app_key !== appKey) return topError(29, 'Invalid App Key');
  if (!params.timestamp) return topError(30, 'Missing Timestamp');
  const sentAt = parseStandInTimestamp(params.timestamp);
  if (!sentAt) return topError(31, 'Invalid Timestamp', { sub_msg: 'timestamp must be yyyy-MM-dd HH:mm:ss (GMT+8)' });
  if (Math.abs(sentAt.getTime() - now.getTime()) > MAX_SKEW_MS) {
    return topError(31, 'Invalid Timestamp', { sub_msg: 'timestamp is more than 10 minutes off the server time' });
  }
  const method = params.sign_method;
  if (method !== 'md5' && method !== 'hmac' && method !== 'hmac-sha256') {
    return topError(25, 'Invalid Signature', { sub_msg: `unsupported sign_method ${method ?? '(none)'}` });
  }
  if (!params.sign) return topError(24, 'Missing Signature');
  if (params.sign.toUpperCase() !== standInSign(params, secret, method)) return topError(25, 'Invalid Signature');
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// HTTP plumbing shared by both stand-ins.

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Query string and form body merged, as TOP signs over both. */
async function readParams(req: IncomingMessage): Promise<Record<string, string>> {
  const params: Record<string, string> = {};
  const url = new URL(req.url ?? '/', 'http://stand-in');
  for (const [k, v] of url.searchParams) params[k] = v;
  const body = await readBody(req);
  for (const [k, v] of new URLSearchParams(body)) params[k] = v;
  return params;
}

function send(res: ServerResponse, status: number, body: string): void {
  // The client may have given up already (that is what the timeout tests do).
  if (res.destroyed || res.writableEnded) return;
  res.statusCode = status;
  res.setHeader('content-type', 'application/json;charset=UTF-8');
  res.end(body);
}

function errorJson(error: TopErrorBody): string {
  return JSON.stringify({ error_response: { ...error, request_id: 'stand-in' } });
}

class StandInServer {
  private server?: Server;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {}

  async start(path: string): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => send(res, 500, '{"error":"stand-in crashed"}'));
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  }

  wait(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  async stop(): Promise<void> {
    // Pending delays are dropped (their requests never get an answer), so stop() is never slow.
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

// ---------------------------------------------------------------------------------------------
// TOP gateway.

/** One order as the stand-in serves it. Times are TOP timestamps ('yyyy-MM-dd HH:mm:ss', GMT+8). */
export interface StandInOrder {
  created: string;
  pay_time?: string;
  consign_time?: string;
  end_time?: string;
  titles: string[];
}

/**
 * What to do with one upcoming request instead of (or before) serving it normally:
 * `delayMs` waits and then serves it normally; `status` answers that HTTP status; `errorResponse`
 * answers HTTP 200 with that TOP error (e.g. `{ code: 27, msg: 'Invalid session' }`); `raw` answers
 * HTTP 200 with that body verbatim (malformed answers).
 */
export type TopFault = { delayMs: number } | { status: number } | { errorResponse: TopErrorBody } | { raw: string };

export interface RecordedTopRequest {
  /** Every parameter as received (query and form merged), all strings. */
  params: Record<string, string>;
  /** Whether app key, sign method, sign and timestamp all checked out. */
  signatureOk: boolean;
  /** The TOP error code answered, if any (faults included); undefined when served normally. */
  errorCode?: number;
  /** The HTTP status answered when a `status` fault was used. */
  httpStatus?: number;
}

export class TopGatewayStandIn {
  /** tid → order. Only these are "the shop's orders"; any other tid gets isv.trade-not-exist. */
  readonly orders = new Map<string, StandInOrder>();
  /** Every request received, in order. */
  readonly requests: RecordedTopRequest[] = [];
  /** Delay before every answer (on top of any `delayMs` fault). */
  delayMs = 0;
  /** The gateway's clock, for skew checks. */
  now: () => Date = () => new Date();
  private readonly faults: TopFault[] = [];
  private readonly http = new StandInServer((req, res) => this.handle(req, res));

  constructor(readonly credentials: { appKey: string; secret: string; session: string }) {}

  setOrder(tid: string, order: StandInOrder): this {
    this.orders.set(tid, order);
    return this;
  }

  /** Queues faults; each upcoming request takes the next one. */
  failNext(...faults: TopFault[]): this {
    this.faults.push(...faults);
    return this;
  }

  /** Listens on a free local port; resolves to the gateway URL (use as TAOBAO_API_BASE). */
  start(): Promise<string> {
    return this.http.start('/router/rest');
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = await readParams(req);
    const signError = checkSigned(params, this.credentials.appKey, this.credentials.secret, this.now());
    const record: RecordedTopRequest = { params, signatureOk: !signError };
    this.requests.push(record);
    await this.http.wait(this.delayMs);
    const fault = this.faults.shift();
    if (fault && 'delayMs' in fault) await this.http.wait(fault.delayMs);
    if (fault && 'status' in fault) {
      record.httpStatus = fault.status;
      return send(res, fault.status, '<html>stand-in failure</html>');
    }
    if (fault && 'raw' in fault) return send(res, 200, fault.raw);
    const error = fault && 'errorResponse' in fault ? fault.errorResponse : (signError ?? this.checkCall(params));
    if (error) {
      record.errorCode = error.code;
      return send(res, 200, errorJson(error));
    }
    return send(res, 200, this.tradeFullinfo(params.tid));
  }

  /** The system parameters a trade call needs beyond the signature, then the API's own arguments. */
  private checkCall(params: Record<string, string>): TopErrorBody | undefined {
    if (!params.v) return topError(32, 'Missing Version');
    if (params.v !== '2.0') return topError(34, 'Unsupported Version');
    if (params.format && params.format !== 'json') return topError(23, 'Invalid Format');
    if (!params.method) return topError(21, 'Missing Method');
    if (params.method !== 'taobao.trade.fullinfo.get') return topError(22, 'Invalid Method');
    if (!params.session) return topError(26, 'Missing Session');
    if (params.session !== this.credentials.session)
      return topError(27, 'Invalid session', { sub_code: 'invalid-sessionkey', sub_msg: 'SessionKey非法' });
    if (!params.fields) return topError(40, 'Missing Required Arguments', { sub_code: 'isv.missing-parameter:fields' });
    if (!params.tid) return topError(40, 'Missing Required Arguments', { sub_code: 'isv.missing-parameter:tid' });
    if (!/^\d{1,25}$/.test(params.tid))
      return topError(41, 'Invalid Arguments', { sub_code: 'isv.invalid-parameter:tid', sub_msg: 'tid must be a number' });
    if (!this.orders.has(params.tid))
      return topError(15, 'Remote service error', { sub_code: 'isv.trade-not-exist', sub_msg: '交易不存在' });
    return undefined;
  }

  private tradeFullinfo(tid: string): string {
    const order = this.orders.get(tid) as StandInOrder;
    const trade = {
      tid: '__TID__',
      created: order.created,
      ...(order.pay_time ? { pay_time: order.pay_time } : {}),
      ...(order.consign_time ? { consign_time: order.consign_time } : {}),
      ...(order.end_time ? { end_time: order.end_time } : {}),
      orders: { order: order.titles.map((title, i) => ({ title, num_iid: 600000000000 + i })) },
    };
    // Like the real gateway, tid goes out as a bare JSON number, even past 2^53.
    return JSON.stringify({ trade_fullinfo_get_response: { trade, request_id: 'stand-in' } }).replace('"__TID__"', tid);
  }
}

// ---------------------------------------------------------------------------------------------
// Chat relay.

export interface RelayDelivery {
  buyerNick: string;
  sellerNick: string;
  content: string;
  messageId: string;
}

export interface RecordedPush {
  params: Record<string, string>;
  /** Whether the signature, app key and timestamp checked out. */
  verified: boolean;
  /** HTTP status answered. */
  status: number;
  /** The TOP error code answered, if any. */
  errorCode?: number;
}

export class RelayStandIn {
  /** Every POST received, accepted or not, in order. */
  readonly attempts: RecordedPush[] = [];
  /** Messages handed to the buyer: verified, and each message_id once (the relay de-duplicates). */
  readonly delivered: RelayDelivery[] = [];
  /** Delay before every answer. */
  delayMs = 0;
  now: () => Date = () => new Date();
  private failuresLeft = 0;
  private failureStatus = 500;
  private readonly http = new StandInServer((req, res) => this.handle(req, res));

  constructor(readonly credentials: { appKey: string; secret: string }) {}

  /** The next `count` pushes get HTTP `status` (default 500) and are not delivered. */
  failNext(count: number, status = 500): this {
    this.failuresLeft = count;
    this.failureStatus = status;
    return this;
  }

  /** Listens on a free local port; resolves to the push URL (use as TAOBAO_RELAY_URL). */
  start(): Promise<string> {
    return this.http.start('/push');
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = await readParams(req);
    const signError = checkSigned(params, this.credentials.appKey, this.credentials.secret, this.now());
    const record: RecordedPush = { params, verified: !signError, status: 200 };
    this.attempts.push(record);
    await this.http.wait(this.delayMs);
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      record.status = this.failureStatus;
      return send(res, this.failureStatus, '{"error":"stand-in failure"}');
    }
    const error = signError ?? missingField(params);
    if (error) {
      record.errorCode = error.code;
      return send(res, 200, errorJson(error));
    }
    if (!this.delivered.some((d) => d.messageId === params.message_id)) {
      this.delivered.push({
        buyerNick: params.buyer_nick,
        sellerNick: params.seller_nick,
        content: params.content,
        messageId: params.message_id,
      });
    }
    return send(res, 200, '{"success":true}');
  }
}

function missingField(params: Record<string, string>): TopErrorBody | undefined {
  const missing = ['buyer_nick', 'seller_nick', 'content', 'message_id'].find((name) => !params[name]);
  return missing ? topError(40, 'Missing Required Arguments', { sub_code: `isv.missing-parameter:${missing}` }) : undefined;
}

// ---------------------------------------------------------------------------------------------
// What a relay sends to us.

/**
 * The flat, signed body a relay POSTs to our /api/taobao: `fields` (buyer_nick, seller_nick,
 * message_id, content, optional order_id, msg_time, or anything else to test with) plus app_key,
 * timestamp, sign_method, v=2.0 and sign. A `sign`, `timestamp` etc. in `fields` are overwritten;
 * to send a bad one, change the result afterwards.
 */
export function signedRelayMessage(
  fields: Record<string, string>,
  options: { appKey: string; secret: string; method?: StandInSignMethod; now?: Date },
): Record<string, string> {
  const method = options.method ?? 'hmac-sha256';
  const params: Record<string, string> = {
    ...fields,
    app_key: options.appKey,
    timestamp: standInTimestamp(options.now ?? new Date()),
    sign_method: method,
    v: '2.0',
  };
  delete params.sign;
  return { ...params, sign: standInSign(params, options.secret, method) };
}

/** The same fields as an application/x-www-form-urlencoded body. */
export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}
