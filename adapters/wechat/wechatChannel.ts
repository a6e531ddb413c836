import { createHash } from 'node:crypto';
import type { Activity, TurnContext } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import type { WechatSettings } from '../channelSettings';
import { refuse } from '../../common/httpErrors';
import type { Logger } from '../../common/logger';
import type { Redis } from '../../common/redis';
import type { TurnPipeline, TurnResult } from '../../bot/turnPipeline';
import type { RateLimits } from '../../common/rateLimits';
import type { ConversationAttachments } from '../../desk/conversationAttachments';
import { BOT_ACCOUNT } from '../channelAdapter';
import { slowDownText } from '../channelTexts';
import type { ChoiceMemory } from '../choiceMemory';
import type { KeptMessages } from '../keptMessages';
import { BodyTooLargeError, readRawBody } from '../rawBody';
import { renderAsText, splitText } from '../textRendering';
import { wordsForMenuKey } from './menuKeys';
import { answerOnce, type Answer, type MessageWork, type Texts } from './answerOnce';
import type { WechatSendBudget } from './sendBudget';
import type { WechatApiClient } from './wechatApi';
import { WECHAT_CHANNEL, WECHAT_MAX_BYTES, type WechatAdapter } from './wechatAdapter';
import { WechatCipher, WechatCryptoError, messageSignature, plainSignature, signaturesEqual } from './wechatCrypto';
import {
  MAX_WECHAT_XML_BYTES,
  WechatXmlError,
  buildEncryptedReply,
  buildTextReply,
  parseInbound,
  parseWechatXml,
  type WechatInbound,
} from './wechatXml';

/** WeChat gives up after 5 s; answering within this leaves room for the network. */
const PASSIVE_BUDGET_MS = 4000;
/** WeChat retries within about 15 s; ten minutes also covers a slow retry and clock differences. */
const MAX_SKEW_SECONDS = 600;

const TEXTS = {
  sorry: '抱歉，系统刚才出了点问题，请稍后再发一次。',
  voiceUnclear: '抱歉，这条语音没能识别出来，请用文字告诉我您遇到的问题。',
  unsupported: '目前只能处理文字、语音和图片消息，请用文字描述您遇到的问题。',
  imageKept: '收到图片了，我们会把它附在您的报修工单上。请继续描述问题，或回复“报修”。',
};

export interface WechatChannelDeps {
  settings: WechatSettings;
  adapter: WechatAdapter;
  pipeline: TurnPipeline;
  api: WechatApiClient;
  budget: WechatSendBudget;
  kept: KeptMessages;
  choices: ChoiceMemory;
  attachments: ConversationAttachments;
  redis: Redis;
  logger: Logger;
  bot: (context: TurnContext) => Promise<void>;
  /** messagesPerChannelCustomer, per openid: WeChat's own servers send every customer's messages. */
  limits: RateLimits;
  /** Passes what arrives outside a turn (an image) to the agent when the chat is with one; true if it did. */
  forwardToAgent?: (conversationId: string, message: { id: string; text: string; at?: Date }) => Promise<boolean>;
  /** Records a customer message that does not go through a turn (an image) in the transcript. */
  recordInbound?: (conversationId: string, text: string, at: Date) => Promise<void>;
  /** Deletes what the service keeps about a conversation (unsubscribe). */
  forgetConversation: (channel: string, conversationId: string) => Promise<void>;
  /** How long a turn may take before the answer goes through the customer-service API instead. */
  passiveBudgetMs?: number;
  now?: () => number;
}

type Query = Record<string, string | undefined>;

/**
 * The WeChat Official Account channel (docs/protocols.md §1–2) on `GET|POST /api/wechat`: URL check,
 * plaintext / compatible / safe mode, one turn per message however often WeChat retries it, and
 * the answer within WeChat's 5 seconds — or `success` at once and the answer through the
 * customer-service API when the turn is slower.
 */
export class WechatChannel {
  private readonly cipher?: WechatCipher;
  private readonly passiveBudgetMs: number;
  private readonly now: () => number;

  constructor(private readonly deps: WechatChannelDeps) {
    const { appId, encodingAesKey, previousEncodingAesKey } = deps.settings;
    this.cipher = encodingAesKey ? new WechatCipher({ appId, encodingAesKey, previousEncodingAesKey }) : undefined;
    this.passiveBudgetMs = deps.passiveBudgetMs ?? PASSIVE_BUDGET_MS;
    this.now = deps.now ?? Date.now;
  }

  register(server: Server): void {
    server.get('/api/wechat', this.verifyUrl.bind(this));
    server.post('/api/wechat', this.receive.bind(this));
  }

  /** WeChat's check of the server URL: echo `echostr` when the signature is ours. */
  private async verifyUrl(req: Request, res: Response): Promise<void> {
    const query = req.query as Query;
    const { signature, timestamp, nonce, echostr } = query;
    if (!signature || !timestamp || !nonce || echostr === undefined) {
      return refuse(res, 400, 'MissingParameters', 'the URL check needs signature, timestamp, nonce and echostr');
    }
    if (!signaturesEqual(plainSignature(this.deps.settings.token, timestamp, nonce), signature)) {
      this.deps.logger.warn({ channel: WECHAT_CHANNEL, reason: 'bad signature' }, 'wechat URL check refused');
      return refuse(res, 401, 'BadSignature', 'the signature does not match WECHAT_TOKEN');
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(echostr);
  }

  private async receive(req: Request, res: Response): Promise<void> {
    const query = req.query as Query;
    const problem = this.checkQuery(query);
    if (problem) return this.refuseRequest(res, problem.status, problem.code, problem.message);
    let body: string;
    try {
      body = await readRawBody(req, MAX_WECHAT_XML_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return this.refuseRequest(res, 413, 'BodyTooLarge', error.message);
      throw error;
    }
    if (!(await this.firstUseOrRetry(query, body))) {
      return this.refuseRequest(res, 401, 'ReplayedSignature', 'this signature, timestamp and nonce were already used for another body');
    }
    const encrypted = query.encrypt_type === 'aes';
    let inbound: WechatInbound;
    try {
      const outer = parseWechatXml(body);
      const fields = encrypted ? parseWechatXml(this.decrypt(outer, query)) : outer;
      inbound = parseInbound(fields);
    } catch (error) {
      if (error instanceof WechatXmlError) return this.refuseRequest(res, 400, 'InvalidXml', error.message);
      if (error instanceof WechatCryptoError) return this.refuseRequest(res, 400, 'BadCiphertext', error.message);
      if (error instanceof RequestRefusal) return this.refuseRequest(res, error.status, error.code, error.message);
      throw error;
    }
    const answer = await this.answer(inbound);
    this.respond(res, inbound, answer.passive, encrypted ? (query.nonce ?? '') : undefined);
    if (answer.later) {
      answer
        .later()
        .catch((error: unknown) => this.deps.logger.error({ err: error, channel: WECHAT_CHANNEL }, 'wechat later delivery failed'));
    }
  }

  /** The query every POST carries; undefined when it is signed by WeChat and fresh. */
  private checkQuery(query: Query): { status: number; code: string; message: string } | undefined {
    const { signature, timestamp, nonce } = query;
    if (!signature || !timestamp || !nonce)
      return { status: 400, code: 'MissingParameters', message: 'signature, timestamp and nonce are required' };
    if (!/^\d{1,12}$/.test(timestamp)) return { status: 400, code: 'BadTimestamp', message: 'timestamp must be Unix seconds' };
    if (!/^[\w-]{1,64}$/.test(nonce)) return { status: 400, code: 'BadNonce', message: 'nonce must be 1–64 letters or digits' };
    if (Math.abs(this.now() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) {
      return { status: 401, code: 'StaleTimestamp', message: `timestamp is more than ${MAX_SKEW_SECONDS} s away from our clock` };
    }
    if (!signaturesEqual(plainSignature(this.deps.settings.token, timestamp, nonce), signature)) {
      return { status: 401, code: 'BadSignature', message: 'the signature does not match WECHAT_TOKEN' };
    }
    return undefined;
  }

  /**
   * Whether this signed query may carry this body. In plaintext mode the signature covers only
   * token, timestamp and nonce, so whoever saw one push's URL could post any body under it while
   * the timestamp is fresh. Each (timestamp, nonce) is therefore remembered with a hash of its body
   * for as long as the timestamp is accepted: the same body again is WeChat retrying (deduplicated
   * by MsgId later, and answered as the first time), another body is a replay.
   */
  private async firstUseOrRetry(query: Query, body: string): Promise<boolean> {
    const timestamp = Number(query.timestamp);
    const key = `cs:wechat:nonce:${query.timestamp}:${query.nonce}`;
    const bodyHash = createHash('sha256').update(body).digest('hex');
    const stillFreshSeconds = Math.max(1, Math.ceil(timestamp + MAX_SKEW_SECONDS - this.now() / 1000) + 1);
    const claimed = await this.deps.redis.set(key, bodyHash, 'EX', stillFreshSeconds, 'NX');
    if (claimed === 'OK') return true;
    const first = await this.deps.redis.get(key);
    // Gone in between: its timestamp is no longer accepted either, so nothing can be replayed.
    return first === null || first === bodyHash;
  }

  /** The inner XML of a compatible- or safe-mode push, after its msg_signature is checked. */
  private decrypt(outer: Record<string, string>, query: Query): string {
    if (!this.cipher)
      throw new RequestRefusal(400, 'EncryptionNotConfigured', 'an encrypted message arrived but WECHAT_ENCODING_AES_KEY is not set');
    const encrypt = outer.Encrypt;
    if (!encrypt) throw new RequestRefusal(400, 'InvalidXml', 'encrypt_type=aes but the body has no Encrypt');
    const expected = messageSignature(this.deps.settings.token, query.timestamp ?? '', query.nonce ?? '', encrypt);
    if (!query.msg_signature || !signaturesEqual(expected, query.msg_signature)) {
      throw new RequestRefusal(401, 'BadMessageSignature', 'msg_signature does not match WECHAT_TOKEN and the Encrypt field');
    }
    return this.cipher.decrypt(encrypt);
  }

  private refuseRequest(res: Response, status: number, code: string, message: string): void {
    this.deps.logger.warn({ channel: WECHAT_CHANNEL, status, code, reason: message }, 'wechat request refused');
    refuse(res, status, code, message);
  }

  /** The passive reply (encrypted when the push was), or `success` when there is nothing to say now. */
  private respond(res: Response, inbound: WechatInbound, content: string | undefined, nonce: string | undefined): void {
    if (content === undefined || content === '') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('success');
      return;
    }
    const createTime = Math.floor(this.now() / 1000);
    let xml = buildTextReply({ toUser: inbound.fromUser, fromUser: inbound.toUser, createTime, content });
    if (nonce !== undefined && this.cipher) {
      const encrypt = this.cipher.encrypt(xml);
      const timestamp = String(createTime);
      xml = buildEncryptedReply({
        encrypt,
        msgSignature: messageSignature(this.deps.settings.token, timestamp, nonce, encrypt),
        timestamp,
        nonce,
      });
    }
    res.writeHead(200, { 'Content-Type': 'application/xml; charset=utf-8' });
    res.end(xml);
  }

  /** What to answer a message: a turn of the bot for what customers say, fixed texts for the rest. */
  private async answer(inbound: WechatInbound): Promise<Answer> {
    switch (inbound.kind) {
      case 'text':
        return this.turn(inbound, inbound.msgId, 'message', { text: inbound.content });
      case 'voice':
        if (inbound.recognition?.trim()) return this.turn(inbound, inbound.msgId, 'message', { text: inbound.recognition.trim() });
        return this.fixedAnswer(inbound, inbound.msgId, '[语音，未识别]', TEXTS.voiceUnclear);
      case 'image':
        return this.image(inbound);
      case 'event':
        return this.event(inbound);
      case 'unsupported':
        return this.fixedAnswer(
          inbound,
          inbound.msgId ?? `${inbound.fromUser}:${inbound.createTime}`,
          `[${inbound.msgType}]`,
          TEXTS.unsupported,
        );
    }
  }

  /** What the bot cannot read gets a fixed hint — unless an agent has the chat: then it goes to them. */
  private async fixedAnswer(inbound: WechatInbound, messageKey: string, forAgent: string, hint: string): Promise<Answer> {
    const at = new Date(Number(inbound.createTime) * 1000);
    return this.once(inbound.fromUser, messageKey, {
      admit: () => this.overLimit(inbound.fromUser),
      run: async () => {
        if (await this.deps.forwardToAgent?.(inbound.fromUser, { id: messageKey, text: forAgent, at })) return { texts: [] };
        return { texts: [hint] };
      },
    });
  }

  /** An image is kept for the ticket; while an agent has the chat it goes to the agent, silently. */
  private async image(inbound: Extract<WechatInbound, { kind: 'image' }>): Promise<Answer> {
    const openId = inbound.fromUser;
    const reference = `微信图片 ${inbound.picUrl} (media_id ${inbound.mediaId})`;
    const at = new Date(Number(inbound.createTime) * 1000);
    return this.once(openId, inbound.msgId, {
      admit: () => this.overLimit(openId),
      run: async () => {
        await this.deps.attachments.add(openId, reference);
        await this.deps.budget.customerWrote(openId, 'message');
        await this.deps.recordInbound?.(openId, `[图片] ${inbound.picUrl}`, at);
        if (await this.deps.forwardToAgent?.(openId, { id: inbound.msgId, text: `[图片] ${inbound.picUrl}`, at })) return { texts: [] };
        return { texts: [TEXTS.imageKept] };
      },
    });
  }

  private async event(inbound: Extract<WechatInbound, { kind: 'event' }>): Promise<Answer> {
    const key = `${inbound.fromUser}:${inbound.createTime}:${inbound.event}`;
    switch (inbound.event) {
      case 'subscribe':
        return this.turn(inbound, key, 'event', {
          type: 'conversationUpdate',
          membersAdded: [{ id: inbound.fromUser, name: 'customer' }],
        });
      case 'unsubscribe':
        // The customer left: WeChat asks that their data be deleted (tickets stay, as records).
        await this.deps.forgetConversation(WECHAT_CHANNEL, inbound.fromUser);
        this.deps.logger.info({ channel: WECHAT_CHANNEL, user: inbound.fromUser }, 'wechat user unsubscribed; conversation data deleted');
        return {};
      case 'click':
        return this.turn(inbound, key, 'event', { text: wordsForMenuKey(inbound.eventKey) });
      default:
        return {};
    }
  }

  /**
   * One turn of the bot for a message, answered passively when it is ready within the budget,
   * otherwise through the customer-service API; retries of the message get the same answer.
   */
  private async turn(inbound: WechatInbound, messageKey: string, kind: 'message' | 'event', content: Partial<Activity>): Promise<Answer> {
    const openId = inbound.fromUser;
    return this.once(openId, messageKey, {
      admit: async () => {
        const refused = await this.overLimit(openId, content.text);
        if (refused) return refused;
        await this.deps.budget.customerWrote(openId, kind);
        return undefined;
      },
      run: async () => {
        const activity = await this.activityFor(inbound, messageKey, content);
        const result = await this.deps.adapter.runTurn(activity, this.deps.bot);
        return { texts: await this.textsOf(openId, result), intent: result.intent };
      },
    });
  }

  /** The pipeline's one dedupe decides which delivery of a message does the work; see answerOnce. */
  private once(openId: string, messageKey: string, work: MessageWork): Promise<Answer> {
    return answerOnce({ channel: WECHAT_CHANNEL, conversationId: openId, messageId: messageKey }, work, {
      pipeline: this.deps.pipeline,
      passiveBudgetMs: this.passiveBudgetMs,
      sendLater: (texts) => this.sendAll(openId, texts),
      onLate: () => void this.deps.api.typing(openId, true),
      onFailed: (error) => {
        // WeChat's retry runs the turn again (nothing was kept); the customer hears something went wrong meanwhile.
        this.deps.logger.error({ err: error, channel: WECHAT_CHANNEL, conversation: openId }, 'wechat turn failed');
        return TEXTS.sorry;
      },
    });
  }

  /**
   * Undefined while the customer is within messagesPerChannelCustomer. Over it nothing happens (no
   * turn, no transcript entry, no open send window): the message that crosses the limit gets one
   * notice to send later, the rest of the flood in that window `success` and silence.
   */
  private async overLimit(openId: string, text?: string): Promise<Texts | undefined> {
    const limit = await this.deps.limits.consume('messagesPerChannelCustomer', `${WECHAT_CHANNEL}:${openId}`);
    if (limit.allowed) return undefined;
    return { texts: limit.reason === 'overLimit' && limit.firstRefusal ? [slowDownText(text)] : [] };
  }

  /** The turn's replies as WeChat texts, after anything kept from before (agents, late answers). */
  private async textsOf(openId: string, result: TurnResult): Promise<string[]> {
    const rendered = renderAsText(result.replies, { maxBytes: WECHAT_MAX_BYTES, locale: result.replies[0]?.locale });
    await this.deps.choices.remember(openId, rendered.choices);
    const kept = await this.deps.kept.takeAll(openId);
    if (!kept.length) return rendered.messages;
    return splitText([...kept.map((item) => item.text), ...rendered.messages].join('\n\n'), WECHAT_MAX_BYTES);
  }

  private async sendAll(openId: string, texts: string[]): Promise<void> {
    await this.deps.api.typing(openId, false);
    if (texts.length) await this.deps.adapter.sendTexts(openId, texts, 'bot');
  }

  private async activityFor(inbound: WechatInbound, messageKey: string, content: Partial<Activity>): Promise<Partial<Activity>> {
    const openId = inbound.fromUser;
    const activity: Partial<Activity> = {
      type: 'message',
      id: messageKey,
      channelId: WECHAT_CHANNEL,
      serviceUrl: WECHAT_CHANNEL,
      conversation: { id: openId, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: openId, name: 'customer', role: 'user' },
      recipient: BOT_ACCOUNT,
      timestamp: new Date(Number(inbound.createTime) * 1000),
      channelData: { toUserName: inbound.toUser },
      ...content,
    };
    if (activity.type === 'message' && activity.text) {
      // "1" after a numbered list means that option (WeChat has no buttons).
      const choice = await this.deps.choices.resolve(openId, activity.text);
      if (choice) Object.assign(activity, { text: choice.text, value: choice.value });
    }
    return activity;
  }
}

/** A refusal decided deep inside parsing, carried up to the handler that answers. */
class RequestRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
