import { z } from 'zod';
import type { Logger } from '../../common/logger';
import { parseTopTimestamp, signedParams, type SignMethod } from './topSignature';

/*
 * A small client for the Taobao Open Platform gateway (docs/protocols.md §4), used for the one thing the
 * desk needs from Taobao: when an order was bought, so the warranty can be checked against the real
 * order whatever channel the customer quoted it on.
 */

/** A Taobao order number (tid): digits only, far beyond 2^53, so always handled as a string. */
export const TAOBAO_ORDER_ID = /^\d{10,25}$/;

export interface TopClientOptions {
  apiBase: string;
  appKey: string;
  appSecret: string;
  /** The seller's OAuth session; trade APIs only answer for that seller's own orders. */
  session: string;
  logger: Logger;
  signMethod?: SignMethod;
  timeoutMs?: number;
}

export type OrderLookup =
  | {
      status: 'found';
      orderId: string;
      /** YYYY-MM-DD: the GMT+8 date of pay_time, else of created. */
      purchaseDate: string;
      /** TOP timestamps as the gateway gave them: 'yyyy-MM-dd HH:mm:ss', GMT+8. */
      paidAt?: string;
      createdAt: string;
      titles: string[];
    }
  | { status: 'notFound' }
  | { status: 'unavailable'; reason: string };

export class TopError extends Error {
  code?: number;
  subCode?: string;
  subMsg?: string;

  constructor(message: string, details: { code?: number; subCode?: string; subMsg?: string } = {}) {
    super(message);
    this.name = 'TopError';
    this.code = details.code;
    this.subCode = details.subCode;
    this.subMsg = details.subMsg;
  }
}

const TRADE_FIELDS = 'tid,created,pay_time,consign_time,end_time,orders.title,orders.num_iid';

/*
 * Sub-codes by which TOP says the order does not exist or is not this seller's. Only these mean
 * "no such order" to the customer; every other error says nothing about the order and is
 * "try again later".
 */
const NOT_FOUND_SUB_CODES = new Set([
  'isv.trade-not-exist',
  'isv.trade-is-not-exist',
  'isv.invalid-parameter:tid',
  'isv.trade-not-belong-to-seller',
  'isv.trade-not-belong-to-user',
]);

function meansNoSuchOrder(error: TopError): boolean {
  return error.subCode !== undefined && NOT_FOUND_SUB_CODES.has(error.subCode);
}

const errorResponseSchema = z.object({
  error_response: z.object({
    code: z.coerce.number().optional(),
    msg: z.string().optional(),
    sub_code: z.string().optional(),
    sub_msg: z.string().optional(),
  }),
});

const topTimestamp = z.string().refine((text) => parseTopTimestamp(text) !== undefined, 'not a TOP timestamp');
/** Unpaid trades come back without pay_time, or with it null or empty, depending on the path. */
const optionalTopTimestamp = z.preprocess((v) => (v === '' || v === null ? undefined : v), topTimestamp.optional());

const tradeResponseSchema = z.object({
  trade_fullinfo_get_response: z.object({
    // tid is deliberately absent: it comes back as a JSON number that loses digits past 2^53.
    trade: z.object({
      created: topTimestamp,
      pay_time: optionalTopTimestamp,
      orders: z.object({ order: z.array(z.object({ title: z.string().optional() })).default([]) }).optional(),
    }),
  }),
});

function toTopError(body: unknown): TopError | undefined {
  const parsed = errorResponseSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { code, msg, sub_code: subCode, sub_msg: subMsg } = parsed.data.error_response;
  return new TopError(msg ?? 'TOP error', { code, subCode, subMsg });
}

/*
 * Duck-typed rather than instanceof: fetch's errors (a DOMException for timeouts) can come from
 * another realm (jest's sandbox, for one), where instanceof Error is false.
 */
function errorField(err: unknown, field: 'name' | 'message' | 'cause'): unknown {
  return typeof err === 'object' && err !== null && field in err ? (err as Record<string, unknown>)[field] : undefined;
}

/** Why a fetch failed, in words an operator can act on: a timeout, or what the socket said. */
export function describeFetchFailure(err: unknown, timeoutMs: number, peer: string): string {
  const name = errorField(err, 'name');
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = errorField(errorField(err, 'cause'), 'message');
  const message = errorField(err, 'message');
  return `${peer} unreachable: ${String(typeof cause === 'string' ? cause : typeof message === 'string' ? message : err)}`;
}

function describeError(err: unknown): string {
  if (!(err instanceof TopError)) return String(errorField(err, 'message') ?? err);
  const parts = [err.code !== undefined ? `code ${err.code}` : undefined, err.message, err.subCode].filter(Boolean);
  return parts.join(' ');
}

export class TopClient {
  private readonly timeoutMs: number;
  private readonly signMethod: SignMethod;

  constructor(private readonly options: TopClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.signMethod = options.signMethod ?? 'hmac-sha256';
  }

  /** One signed API call; the parsed JSON answer, or a TopError for error_response, HTTP or network problems. */
  async call(method: string, params: Record<string, string>): Promise<unknown> {
    const body = new URLSearchParams(
      signedParams(
        // simplify=false keeps the classic `<method>_response` / `error_response` envelopes we parse.
        { ...params, method, session: this.options.session, format: 'json', simplify: 'false' },
        { appKey: this.options.appKey, secret: this.options.appSecret, method: this.signMethod },
      ),
    );
    const response = await this.post(body);
    const text = await response.text().catch((err: unknown) => {
      throw new TopError(describeFetchFailure(err, this.timeoutMs, 'gateway'));
    });
    if (!response.ok) throw new TopError(`HTTP ${response.status}`);
    const json = parseJson(text);
    if (json === undefined) throw new TopError('malformed response (not JSON)');
    const error = toTopError(json);
    if (error) throw error;
    return json;
  }

  /** When the shop's order was bought, for the warranty; never throws. */
  async orderForWarranty(orderId: string): Promise<OrderLookup> {
    // A string that is not an order number cannot be one of the shop's orders; no need to ask TOP.
    if (!TAOBAO_ORDER_ID.test(orderId)) return { status: 'notFound' };
    const started = Date.now();
    try {
      const json = await this.call('taobao.trade.fullinfo.get', { fields: TRADE_FIELDS, tid: orderId });
      const lookup = toOrderLookup(orderId, json);
      this.logLookup(orderId, lookup, started);
      return lookup;
    } catch (err) {
      const lookup: OrderLookup =
        err instanceof TopError && meansNoSuchOrder(err) ? { status: 'notFound' } : { status: 'unavailable', reason: describeError(err) };
      this.logLookup(orderId, lookup, started, err);
      return lookup;
    }
  }

  private async post(body: URLSearchParams): Promise<Response> {
    try {
      return await fetch(this.options.apiBase, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new TopError(describeFetchFailure(err, this.timeoutMs, 'gateway'));
    }
  }

  /** Logs the outcome with what helps an operator; the secret and the session never appear. */
  private logLookup(orderId: string, lookup: OrderLookup, started: number, err?: unknown): void {
    const fields = {
      channel: 'taobao',
      topMethod: 'taobao.trade.fullinfo.get',
      orderId,
      status: lookup.status,
      latencyMs: Date.now() - started,
      ...(err instanceof TopError ? { topCode: err.code, topSubCode: err.subCode } : {}),
    };
    if (lookup.status === 'unavailable') this.options.logger.warn({ ...fields, reason: lookup.reason }, 'taobao order lookup failed');
    else this.options.logger.info(fields, 'taobao order lookup');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toOrderLookup(orderId: string, json: unknown): OrderLookup {
  const parsed = tradeResponseSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { status: 'unavailable', reason: `malformed trade response at ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  const trade = parsed.data.trade_fullinfo_get_response.trade;
  const purchasedAt = trade.pay_time ?? trade.created;
  return {
    status: 'found',
    orderId,
    // TOP timestamps are already GMT+8 wall-clock time, so the date is their first ten characters.
    purchaseDate: purchasedAt.slice(0, 10),
    ...(trade.pay_time ? { paidAt: trade.pay_time } : {}),
    createdAt: trade.created,
    titles: (trade.orders?.order ?? []).flatMap((order) => (order.title ? [order.title] : [])),
  };
}
