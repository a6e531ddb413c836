import type { Redis } from '../../common/redis';
import { sleep } from '../../common/timing';
import type { WechatApiStandIn } from '../standIns/wechatApiStandIn';
import { WechatUser, type WechatAccount } from '../standIns/wechatUser';
import type { BotReply, ShownButton, StoryChannel, StoryCustomer } from './storyChannels';

/** What a story's WeChat customer needs: the account the service serves and the API stand-in it sends through. */
export interface WechatStoryEnvironment {
  account: WechatAccount;
  api: WechatApiStandIn;
  /** The service's Redis (its own prefix): where the pipeline keeps each message's answer. */
  redis: Redis;
}

/** A turn slower than this has failed the story; WeChat itself would have given up long before. */
const ANSWER_DEADLINE_MS = 30_000;

/** `1. 报修` lines of the last text are WeChat's buttons: pressing one sends its number. */
function numberedOptions(text: string): ShownButton[] {
  return text.split('\n').flatMap((line) => {
    const match = /^\s*(\d+)\.\s+(.+?)\s*$/.exec(line);
    return match ? [{ label: match[2], sends: match[1] }] : [];
  });
}

/**
 * A follower of the WeChat account: the passive reply, and the rest of the answer that comes
 * through the customer-service API (the stand-in). How many texts an answer has is read from the
 * answer the pipeline keeps for WeChat's retries, so the customer waits for exactly those.
 */
export class WechatStoryChannel implements StoryChannel {
  constructor(
    private readonly baseUrl: string,
    private readonly env: WechatStoryEnvironment,
  ) {}

  async open(): Promise<StoryCustomer> {
    const user = new WechatUser(this.baseUrl, this.env.account, undefined, 'safe');
    const createTime = Math.floor(Date.now() / 1000);
    const greeting = await this.exchange(user, `${user.openId}:${createTime}:subscribe`, () =>
      user.deliver({ MsgType: 'event', Event: 'subscribe' }, { createTime }),
    );
    return {
      conversationId: user.openId,
      greeting,
      say: (text) => {
        const msgId = user.newMsgId();
        return this.exchange(user, msgId, () => user.deliver({ MsgType: 'text', Content: text, MsgId: msgId }));
      },
    };
  }

  private async exchange(
    user: WechatUser,
    messageKey: string,
    send: () => Promise<{ status: number; content?: string }>,
  ): Promise<BotReply> {
    const before = this.env.api.sentTo(user.openId).length;
    const delivery = await send();
    if (delivery.status !== 200) return { status: delivery.status, messages: [], buttons: [] };
    const answer = await this.keptAnswer(user.openId, messageKey);
    const throughApi = answer.answeredLater ? answer.texts.length : Math.max(0, answer.texts.length - 1);
    const sent = await this.sentSince(user.openId, before, throughApi);
    const texts = [...(delivery.content ? [delivery.content] : []), ...sent];
    return { status: 200, messages: texts.map((text) => ({ text })), buttons: numberedOptions(texts.at(-1) ?? '') };
  }

  private async keptAnswer(openId: string, messageKey: string): Promise<{ texts: string[]; answeredLater: boolean }> {
    const key = `cs:inbound:{wechat:${openId}:${messageKey}}:answers`;
    const deadline = Date.now() + ANSWER_DEADLINE_MS;
    for (;;) {
      const stored = await this.env.redis.get(key);
      if (stored !== null) {
        const parsed = JSON.parse(stored) as { replies?: { text?: string }[]; answeredLater?: boolean };
        const texts = (parsed.replies ?? []).map((reply) => reply.text ?? '').filter((text) => text !== '');
        return { texts, answeredLater: parsed.answeredLater === true };
      }
      if (Date.now() > deadline) throw new Error(`no answer to WeChat message ${messageKey} within ${ANSWER_DEADLINE_MS} ms`);
      await sleep(25);
    }
  }

  private async sentSince(openId: string, before: number, count: number): Promise<string[]> {
    const deadline = Date.now() + ANSWER_DEADLINE_MS;
    for (;;) {
      const sent = this.env.api.sentTo(openId).slice(before);
      if (sent.length >= count) return sent;
      if (Date.now() > deadline) throw new Error(`only ${sent.length} of ${count} texts came through the customer-service API`);
      await sleep(25);
    }
  }
}
