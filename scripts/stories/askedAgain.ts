import { textsFor } from '../../dialogs/texts';
import { knowledgeTextsFor } from '../../dialogs/knowledgeTexts';
import { MENU_INTENTS } from '../../dialogs/texts';
import type { BotReply } from './storyChannels';
import type { Fact } from './storyFile';

/**
 * "Asked again", precisely. A story asks again when either holds:
 *
 * 1. The same prompt is shown more than twice. A prompt is the last message of a bot reply (what
 *    the customer must answer); two prompts are the same when their texts are equal once
 *    normalised (NFKC, lower case, without whitespace, punctuation and symbols; digits stay, so
 *    第1步 and 第2步 differ). Not prompts: the main menu (a reply whose buttons are the whole main
 *    menu), which comes back after every finished task. A follow-up question that only makes sense
 *    with what it follows (the FAQ's 以上回答对您有帮助吗？) is keyed with the message before it, so
 *    two different answers each asking it are two prompts.
 * 2. A bot reply asks for a fact the customer already gave: from the reply to the turn marked
 *    `gives: [phone]` on, no bot message may match that fact's asking patterns below. Showing the
 *    value back to confirm it (是 138****8000 吗？, the summary) is not asking.
 */
export interface AskedAgain {
  kind: 'repeated' | 'givenFact';
  /** Customer turn (1-based) whose reply asked; for a repetition, the third showing. */
  turn: number;
  detail: string;
}

/** One thing the customer did and what the bot answered. */
export interface Exchange {
  said: string;
  gives: Fact[];
  reply: BotReply;
}

/**
 * How the bot asks for each fact, in Chinese and English. The patterns need a request word next to
 * the fact (请提供…序列号, 怎么称呼, your mobile number), so a summary line (电话：138****8000) or an
 * example (比如“电话写错了”) is not taken for a question.
 */
export const FACT_ASKS: Record<Fact, RegExp[]> = {
  product: [/什么产品|哪类产品|哪种产品|哪个产品|什么设备|哪种设备/, /which (product|device)|what (product|device|kind of product)/i],
  model: [
    /哪一款|哪款|哪个型号|什么型号|型号是多少|(告诉我|输入|发|提供)[^，。？！\n]{0,4}型号/,
    /which model|what model|which [a-z -]{2,24} is it\?|(tell me|give|send|type|tap)[^.?!\n]{0,12}model/i,
  ],
  serial: [
    /(提供|发|告诉我|输入|填)[^，。？！\n]{0,8}(序列号|SN)|序列号是多少|(序列号|SN)[^，。！\n]{0,4}[吗？?]/,
    /(send|give|provide|tell me|type|enter|what'?s|what is)[^.?!\n]{0,20}serial/i,
  ],
  phone: [
    /(留|提供|告诉我|发|输入|填)[^，。？！\n]{0,6}(电话|手机号|号码|联系方式)|(电话|手机号)(号码)?是多少/,
    /(leave|give|provide|send|tell me|enter|type|what'?s|what is)[^.?!\n]{0,20}(phone|mobile)( number)?|(phone|mobile) number\?/i,
  ],
  name: [/怎么称呼|称呼您|您的姓名|您贵姓|您姓什么/, /your name|who am i speaking/i],
  address: [
    /(提供|告诉我|写|发)[^，。？！\n]{0,8}地址|地址是多少|地址在哪/,
    /(your|the|return|visit) address|where (should|shall|do) (we|the engineer)/i,
  ],
  symptom: [
    /(描述|说说|说一下|讲讲|讲一下)[^。？！\n]{0,8}(故障|问题|现象|情况)|什么问题|什么故障|哪里不正常|出了什么/,
    /describe (the|your) (problem|fault|issue)|what('s| is| seems to be) (wrong|the problem|the issue)/i,
  ],
  purchaseDate: [
    /什么时候(购买|买)|购买(日期|时间)是|哪天买|什么时间买|几月份买/,
    /when did you (buy|purchase|get)|(purchase|buying) date\?|date of purchase\?/i,
  ],
  damage: [
    /(有没有|是否)[^，。？！\n]{0,4}(摔|压|进过?水|拆)|(摔过|压过|进过水|拆过)[^。！\n]{0,12}[吗？?]/,
    /(dropped|crushed|liquid|water|opened)[^.!\n]{0,40}\?/i,
  ],
  ticketId: [
    /(发|提供|告诉我|输入)[^，。？！\n]{0,6}工单号|工单号是多少/,
    /(send|give|tell me|enter|type|what'?s|what is)[^.?!\n]{0,15}ticket number/i,
  ],
  orderNumber: [
    /(发|提供|告诉我|输入)[^，。？！\n]{0,6}订单号|订单号是多少/,
    /(send|give|tell me|enter|type|what'?s|what is)[^.?!\n]{0,15}order number/i,
  ],
};

/** A question about the same fact that is a different question: the last 4 digits check a ticket's owner. */
const NOT_ASKING: Partial<Record<Fact, RegExp>> = {
  phone: /后四位|最后四位|last (four|4) digits/i,
};

export function asksFor(fact: Fact, text: string): boolean {
  if (NOT_ASKING[fact]?.test(text)) return false;
  return FACT_ASKS[fact].some((pattern) => pattern.test(text));
}

export function normalisePrompt(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

const LOCALES = ['zh-CN', 'en'] as const;
const MENUS = LOCALES.map((locale) => MENU_INTENTS.map((intent) => textsFor(locale).menu[intent]));
const FOLLOW_UPS = new Set(LOCALES.map((locale) => normalisePrompt(knowledgeTextsFor(locale).faqHelpful)));

function isMainMenu(reply: BotReply): boolean {
  const labels = new Set(reply.buttons.map((button) => button.label));
  return MENUS.some((menu) => menu.every((label) => labels.has(label)));
}

/** The prompt a reply ends with, as compared; undefined when it asks nothing that counts. */
export function promptKey(reply: BotReply): string | undefined {
  const last = reply.messages.at(-1);
  if (!last || isMainMenu(reply)) return undefined;
  const key = normalisePrompt(last.text);
  if (!key) return undefined;
  if (FOLLOW_UPS.has(key)) return `${normalisePrompt(reply.messages.at(-2)?.text ?? '')}|${key}`;
  return key;
}

const clip = (text: string, max = 60): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
};

export function findAskedAgain(exchanges: Exchange[]): AskedAgain[] {
  const found: AskedAgain[] = [];
  const shown = new Map<string, number>();
  exchanges.forEach((exchange, index) => {
    const key = promptKey(exchange.reply);
    if (key === undefined) return;
    const times = (shown.get(key) ?? 0) + 1;
    shown.set(key, times);
    if (times === 3)
      found.push({
        kind: 'repeated',
        turn: index + 1,
        detail: `the same prompt a third time: "${clip(exchange.reply.messages.at(-1)?.text ?? '')}"`,
      });
  });
  const given = new Map<Fact, number>();
  exchanges.forEach((exchange, index) => {
    for (const fact of exchange.gives) if (!given.has(fact)) given.set(fact, index + 1);
    for (const [fact, at] of given) {
      const asking = exchange.reply.messages.find((message) => asksFor(fact, message.text));
      if (!asking) continue;
      found.push({ kind: 'givenFact', turn: index + 1, detail: `asks for ${fact}, given in turn ${at}: "${clip(asking.text)}"` });
      // Once per fact is enough to tell; the transcript shows the rest.
      given.delete(fact);
    }
  });
  return found;
}
