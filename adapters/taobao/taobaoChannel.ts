import type { Activity, TurnContext } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import type { TaobaoSettings } from '../channelSettings';
import { LockTimeoutError } from '../../common/conversationLock';
import { refuse } from '../../common/httpErrors';
import { DuplicateStillRunningError } from '../../common/inboundDedupe';
import type { Logger } from '../../common/logger';
import type { TurnPipeline } from '../../bot/turnPipeline';
import { refuseRateLimited, type RateLimits } from '../../common/rateLimits';
import { slowDownText } from '../channelTexts';
import type { ChoiceMemory } from '../choiceMemory';
import type { KeptMessages } from '../keptMessages';
import { BodyTooLargeError, readRawBody } from '../rawBody';
import { renderAsText, splitText } from '../textRendering';
import { parseRelayInbound, relayReplyBody, type RelayInbound } from './relayMessage';
import { TAOBAO_CHANNEL, TAOBAO_MAX_BYTES, taobaoConversationId, type TaobaoAdapter } from './taobaoAdapter';
import { verifyTopRequest } from './topSignature';

const MAX_BODY_BYTES = 16 * 1024;

export interface TaobaoChannelDeps {
  settings: TaobaoSettings;
  adapter: TaobaoAdapter;
  pipeline: TurnPipeline;
  choices: ChoiceMemory;
  kept: KeptMessages;
  logger: Logger;
  bot: (context: TurnContext) => Promise<void>;
  /** messagesPerChannelCustomer, per buyer: the relay's one address carries every buyer's messages. */
  limits: RateLimits;
  now?: () => Date;
}

type Refusal = { status: number; code: string; message: string };

/**
 * `POST /api/taobao`: buyers' messages forwarded by the shop's chat relay (docs/protocols.md §4), signed
 * the TOP way; the answer goes back in the response. A retried message id gets the first answer.
 */
export class TaobaoChannel {
  constructor(private readonly deps: TaobaoChannelDeps) {}

  register(server: Server): void {
    server.post('/api/taobao', this.receive.bind(this));
  }

  private async receive(req: Request, res: Response): Promise<void> {
    const fields = await this.fieldsOf(req);
    if ('status' in fields) return this.refuseRequest(res, fields);
    const verified = verifyTopRequest(fields.values, this.deps.settings.appSecret, { now: this.deps.now?.() });
    if (!verified.ok)
      return this.refuseRequest(res, {
        status: 401,
        code: 'BadSignature',
        message: `the TOP signature was not accepted: ${verified.reason}`,
      });
    const parsed = parseRelayInbound(fields.values);
    if (!parsed.ok) return this.refuseRequest(res, { status: 400, code: 'InvalidMessage', message: parsed.reason });
    if (parsed.message.appKey !== this.deps.settings.appKey) {
      return this.refuseRequest(res, { status: 401, code: 'UnknownAppKey', message: 'app_key is not TAOBAO_APP_KEY' });
    }
    const conversationId = taobaoConversationId(parsed.message);
    const limit = await this.deps.limits.consume('messagesPerChannelCustomer', conversationId);
    if (!limit.allowed) {
      // The relay delivers what `replies` holds: one notice per window, not one per flooded message.
      const notice = limit.reason === 'overLimit' && limit.firstRefusal ? [slowDownText(parsed.message.content)] : [];
      return refuseRateLimited(res, limit, 'messages from this buyer', relayReplyBody(notice));
    }
    try {
      const contents = await this.turn(parsed.message);
      res.send(200, relayReplyBody(contents));
    } catch (error) {
      if (!(error instanceof LockTimeoutError || error instanceof DuplicateStillRunningError)) throw error;
      res.header('Retry-After', '2');
      refuse(res, 503, 'Busy', 'the previous message of this buyer is still being answered; retry with the same message_id');
    }
  }

  /** The posted fields as strings, from JSON or a form alike (both are signed the same way). */
  private async fieldsOf(req: Request): Promise<{ values: Record<string, string> } | Refusal> {
    let body: string;
    try {
      body = await readRawBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return { status: 413, code: 'BodyTooLarge', message: error.message };
      throw error;
    }
    const type = (req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (type === 'application/x-www-form-urlencoded') return { values: Object.fromEntries(new URLSearchParams(body)) };
    if (type !== 'application/json')
      return { status: 415, code: 'UnsupportedMediaType', message: 'send application/json or application/x-www-form-urlencoded' };
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { status: 400, code: 'InvalidJson', message: 'the body is not valid JSON' };
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      return { status: 400, code: 'InvalidJson', message: 'the body must be a JSON object of string fields' };
    }
    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(json)) {
      if (typeof value !== 'string')
        return { status: 400, code: 'InvalidMessage', message: `${name} must be a string (every signed field is)` };
      values[name] = value;
    }
    return { values };
  }

  private refuseRequest(res: Response, refusal: Refusal): void {
    this.deps.logger.warn(
      { channel: TAOBAO_CHANNEL, status: refusal.status, code: refusal.code, reason: refusal.message },
      'taobao request refused',
    );
    refuse(res, refusal.status, refusal.code, refusal.message);
  }

  /** One turn for the buyer's message; its replies as Wangwang texts, after any held ones. */
  private async turn(message: RelayInbound): Promise<string[]> {
    const conversationId = taobaoConversationId(message);
    const activity = await this.activityFor(message, conversationId);
    const result = await this.deps.pipeline.handle({ channel: TAOBAO_CHANNEL, conversationId, messageId: message.messageId }, async () => {
      const turn = await this.deps.adapter.runTurn(activity, this.deps.bot);
      // Kept texts join this answer once; a retry of the message replays the stored result.
      const held = (await this.deps.kept.takeAll(conversationId)).map((item) => item.text);
      const rendered = renderAsText(turn.replies, { maxBytes: TAOBAO_MAX_BYTES, locale: turn.replies[0]?.locale });
      await this.deps.choices.remember(conversationId, rendered.choices);
      const texts = held.length ? splitText([...held, ...rendered.messages].join('\n\n'), TAOBAO_MAX_BYTES) : rendered.messages;
      return { ...turn, replies: texts.map((text) => ({ type: 'message', text })) };
    });
    return result.replies.map((reply) => reply.text ?? '').filter((text) => text !== '');
  }

  private async activityFor(message: RelayInbound, conversationId: string): Promise<Partial<Activity>> {
    const activity: Partial<Activity> = {
      type: 'message',
      id: message.messageId,
      channelId: TAOBAO_CHANNEL,
      serviceUrl: TAOBAO_CHANNEL,
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: message.buyerNick, name: message.buyerNick, role: 'user' },
      recipient: { id: message.sellerNick, name: message.sellerNick, role: 'bot' },
      timestamp: message.sentAt ?? new Date(),
      text: message.content,
      channelData: { orderId: message.orderId },
    };
    // "1" after a numbered list means that option (Wangwang has no buttons).
    const choice = await this.deps.choices.resolve(conversationId, message.content);
    if (choice) Object.assign(activity, { text: choice.text, value: choice.value });
    return activity;
  }
}
