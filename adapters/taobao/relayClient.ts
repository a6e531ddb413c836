import { z } from 'zod';
import type { Logger } from '../../common/logger';
import { sleep } from '../../common/timing';
import { describeFetchFailure } from './topClient';
import { signedParams, type SignMethod } from './topSignature';

/*
 * Pushes messages that are not the answer to a buyer's message (agent replies, reminders) to the
 * chat relay, which delivers them into the buyer's Wangwang chat.
 *
 *   POST <relayUrl>   Content-Type: application/x-www-form-urlencoded
 *   buyer_nick, seller_nick, content, message_id, app_key, timestamp, sign_method, v=2.0, sign
 *
 * signed the TOP way (topSignature.ts). message_id is the idempotency key: a retry after a lost
 * answer sends the same id, and the relay must deliver each id at most once. The relay answers
 * {"success":true}, or a TOP-style {"error_response":{"code":…,"msg":…}}.
 *
 * Only network errors (including timeouts) and HTTP 5xx are retried: anything else is the relay
 * judging the message itself, which sending it again cannot change.
 */

export interface RelayClientOptions {
  relayUrl: string;
  appKey: string;
  appSecret: string;
  logger: Logger;
  /** Per attempt; default 5000. */
  timeoutMs?: number;
  method?: SignMethod;
  /** Attempts after the first one; default 3. */
  retries?: number;
  /** Wait before the first retry, doubling each time after; default 500. */
  backoffMs?: number;
}

export type PushOutcome = { ok: true } | { ok: false; reason: string };

export interface RelayPush {
  buyerNick: string;
  sellerNick: string;
  content: string;
  messageId: string;
}

/** One attempt's result: whether another attempt could change it. */
type Attempt = { ok: true } | { ok: false; retry: boolean; reason: string };

const successSchema = z.object({ success: z.literal(true) });
const errorSchema = z.object({
  error_response: z.object({ code: z.unknown().optional(), msg: z.string().optional(), sub_msg: z.string().optional() }),
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The relay's own words when it answered a TOP-style error_response. */
function refusal(json: unknown): string | undefined {
  const parsed = errorSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { code, msg, sub_msg: subMsg } = parsed.data.error_response;
  return `relay refused: code ${String(code)}${msg ? ` ${msg}` : ''}${subMsg ? ` (${subMsg})` : ''}`;
}

function judge(status: number, text: string): Attempt {
  if (status >= 500) return { ok: false, retry: true, reason: `relay answered HTTP ${status}` };
  const json = parseJson(text);
  if (status < 200 || status >= 300) {
    const words = refusal(json);
    return { ok: false, retry: false, reason: `relay answered HTTP ${status}${words ? `: ${words}` : ''}` };
  }
  if (successSchema.safeParse(json).success) return { ok: true };
  return { ok: false, retry: false, reason: refusal(json) ?? 'relay answer is neither {"success":true} nor error_response' };
}

export class TaobaoRelayClient {
  private readonly timeoutMs: number;
  private readonly method: SignMethod;
  private readonly retries: number;
  private readonly backoffMs: number;

  constructor(private readonly options: RelayClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.method = options.method ?? 'hmac-sha256';
    this.retries = options.retries ?? 3;
    this.backoffMs = options.backoffMs ?? 500;
  }

  /** Delivers one message to the relay, retrying what can be retried; never throws. */
  async push(message: RelayPush): Promise<PushOutcome> {
    const log = { channel: 'taobao', messageId: message.messageId };
    let last: Attempt = { ok: false, retry: false, reason: 'not attempted' };
    for (let attempt = 0; attempt <= this.retries; attempt += 1) {
      if (attempt > 0) await sleep(this.backoffMs * 2 ** (attempt - 1));
      last = await this.attempt(message);
      if (last.ok) {
        this.options.logger.info({ ...log, attempts: attempt + 1 }, 'taobao relay push delivered');
        return { ok: true };
      }
      this.options.logger.warn(
        { ...log, attempt: attempt + 1, reason: last.reason, willRetry: last.retry && attempt < this.retries },
        'taobao relay push failed',
      );
      if (!last.retry) break;
    }
    return { ok: false, reason: last.ok ? 'unknown' : last.reason };
  }

  private async attempt(message: RelayPush): Promise<Attempt> {
    try {
      // Signed per attempt so that a late retry carries a fresh timestamp the relay still accepts.
      const body = new URLSearchParams(
        signedParams(
          { buyer_nick: message.buyerNick, seller_nick: message.sellerNick, content: message.content, message_id: message.messageId },
          { appKey: this.options.appKey, secret: this.options.appSecret, method: this.method },
        ),
      );
      const response = await fetch(this.options.relayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return judge(response.status, await response.text());
    } catch (err) {
      return { ok: false, retry: true, reason: describeFetchFailure(err, this.timeoutMs, 'relay') };
    }
  }
}
