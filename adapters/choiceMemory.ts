import { z } from 'zod';
import type { Redis } from '../common/redis';
import type { RenderedChoice } from './textRendering';
import { parseJsonOrUndefined } from '../common/json';

export interface ChoiceMemoryOptions {
  /** How long shown options can still be picked by number; default 24 h. */
  ttlSeconds?: number;
}

const StoredChoices = z.array(z.object({ title: z.string(), text: z.string(), value: z.unknown().optional() }));

const CHINESE_NUMERALS = '一二三四五六七八九十';
const NUMBER = `(\\d{1,2}|[${CHINESE_NUMERALS}])`;
const END_MARK = '[.、。]?';
/**
 * Only a message that is nothing but a position counts: "2个都不行", "1号下午" or a phone number
 * are answers in their own right and must reach the dialog as written.
 */
const CHOICE_FORMS = [
  new RegExp(`^(?:选|#)?\\s*${NUMBER}\\s*${END_MARK}$`, 'u'),
  new RegExp(`^(?:选\\s*)?第\\s*${NUMBER}\\s*(?:个|项)?\\s*${END_MARK}$`, 'u'),
];

/**
 * The numbered options last shown in each conversation, so that on channels without buttons a
 * reply of "1" picks option 1. Kept in Redis so that any instance can answer the next message.
 */
export class ChoiceMemory {
  private readonly ttlSeconds: number;

  constructor(
    private readonly redis: Redis,
    options: ChoiceMemoryOptions = {},
  ) {
    const ttl = options.ttlSeconds ?? 24 * 3600;
    if (!Number.isInteger(ttl) || ttl <= 0) throw new RangeError(`ttlSeconds must be a positive integer, got ${ttl}`);
    this.ttlSeconds = ttl;
  }

  /** The options last shown in this conversation; an empty list forgets them (a plain answer without options). */
  async remember(conversationId: string, choices: RenderedChoice[]): Promise<void> {
    if (choices.length === 0) return this.forget(conversationId);
    await this.redis.set(keyOf(conversationId), JSON.stringify(choices), 'EX', this.ttlSeconds);
  }

  /** The option a reply picks by number, or undefined (then the text is passed on as written). */
  async resolve(conversationId: string, text: string): Promise<RenderedChoice | undefined> {
    const position = choiceNumber(text);
    // Most messages are not numbers: those need no round trip to Redis.
    if (position === undefined) return undefined;
    const choices = await this.load(conversationId);
    return choices[position - 1];
  }

  async forget(conversationId: string): Promise<void> {
    await this.redis.del(keyOf(conversationId));
  }

  private async load(conversationId: string): Promise<RenderedChoice[]> {
    const stored = await this.redis.get(keyOf(conversationId));
    if (stored === null) return [];
    // Options written by an older release may not parse: the customer's text then goes on as
    // written, which the dialogs understand too ("1" is also matched by the choice prompts).
    const parsed = StoredChoices.safeParse(parseJsonOrUndefined(stored));
    return parsed.success ? parsed.data : [];
  }
}

function keyOf(conversationId: string): string {
  return `cs:conv:{${conversationId}}:choices`;
}

/** The 1-based position a message names ("1", "１", "选 2", "第二个", "#3"), if that is all it says. */
function choiceNumber(text: string): number | undefined {
  // NFKC turns full-width digits, "＃" and "．" into their ASCII forms.
  const normalized = text.normalize('NFKC').trim();
  for (const form of CHOICE_FORMS) {
    const match = form.exec(normalized);
    if (match) return numberValue(match[1]);
  }
  return undefined;
}

function numberValue(numeral: string): number | undefined {
  const han = CHINESE_NUMERALS.indexOf(numeral);
  const value = han >= 0 ? han + 1 : Number(numeral);
  return value >= 1 ? value : undefined;
}
