import { MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import {
  ChoiceFactory,
  ChoicePrompt,
  type FoundChoice,
  type PromptOptions,
  type PromptRecognizerResult,
  ListStyle,
  defaultTokenizer,
  recognizeChoices,
  type Choice,
  type FindChoicesOptions,
  type Token,
} from 'botbuilder-dialogs';

const HAN = /\p{Script=Han}/u;

/**
 * botbuilder's tokenizer keeps a run of Han characters as one token, so "预约" never matches the
 * choice "预约维修". Chinese has no spaces: every Han character is its own token, other text is
 * split as botbuilder does.
 */
export function chineseTokenizer(text: string, locale?: string): Token[] {
  const tokens: Token[] = [];
  for (const token of defaultTokenizer(text, locale)) {
    if (!HAN.test(token.text)) {
      tokens.push(token);
      continue;
    }
    let offset = token.start;
    for (const char of token.text) {
      tokens.push({ start: offset, end: offset + char.length - 1, text: char, normalized: char.toLowerCase() });
      offset += char.length;
    }
  }
  return tokens;
}

/** Matching used by every choice in every dialog: Chinese-aware, partial, numbers for list items. */
export const CHOICE_RECOGNIZER: FindChoicesOptions = {
  tokenizer: chineseTokenizer,
  allowPartialMatches: true,
  recognizeNumbers: true,
  recognizeOrdinals: true,
};

/** The joining words botbuilder uses for zh-cn ("要么") read badly; these read naturally. */
const CHOICE_DEFAULTS = {
  'zh-cn': { inlineSeparator: '、', inlineOr: ' 或 ', inlineOrMore: '、或 ', includeNumbers: true },
  'en-us': { inlineSeparator: ', ', inlineOr: ' or ', inlineOrMore: ', or ', includeNumbers: true },
};

/** A ChoicePrompt whose answers are matched the way matchChoice matches them (see there why). */
class ChineseChoicePrompt extends ChoicePrompt {
  protected override async onRecognize(
    context: TurnContext,
    state: Record<string, unknown>,
    options: PromptOptions,
  ): Promise<PromptRecognizerResult<FoundChoice>> {
    const choices = ChoiceFactory.toChoices(options.choices ?? []);
    const picked = matchChoice(context.activity.text ?? '', choices);
    const index = choices.findIndex((choice) => choice.value === picked);
    if (index < 0) return super.onRecognize(context, state, options);
    return { succeeded: true, value: { value: choices[index].value, index, score: 1 } };
  }
}

/** A ChoicePrompt that understands Chinese answers and shows its choices as buttons. */
export function createChoicePrompt(id: string): ChoicePrompt {
  const prompt = new ChineseChoicePrompt(id, undefined, 'zh-cn', CHOICE_DEFAULTS);
  prompt.recognizerOptions = CHOICE_RECOGNIZER;
  prompt.style = ListStyle.suggestedAction;
  return prompt;
}

const CN_ORDINALS = '一二三四五六七八九十';

/** "2", "第二个", "二" → 1 (zero-based), when the answer is only a position in the list. */
function positionIn(answer: string, count: number): number | undefined {
  const bare = answer.normalize('NFKC').replace(/[\s。.!！]/g, '');
  const digits = /^(?:第)?(\d{1,2})(?:个|项)?$/.exec(bare);
  const han = /^(?:第)?([一二三四五六七八九十])(?:个|项)?$/.exec(bare);
  const position = digits ? Number(digits[1]) : han ? CN_ORDINALS.indexOf(han[1]) + 1 : 0;
  return position >= 1 && position <= count ? position - 1 : undefined;
}

/**
 * Which of `options` an answer picks ("1", "第二个", the option's words or part of them), if any.
 * Each option is matched on its own and the one that explains most of the answer wins: botbuilder
 * alone would prefer short options ("送修" would pick "寄修" over "送修到服务网点"), because it
 * scores by how much of each option was matched. A tie is no answer, so the customer is asked again.
 */
export function matchChoice<T extends string>(answer: string, options: readonly T[] | readonly Choice[]): T | undefined {
  const choices: Choice[] = options.map((option) => (typeof option === 'string' ? { value: option } : option));
  const position = positionIn(answer, choices.length);
  if (position !== undefined) return choices[position].value as T;
  const ranked = choices
    .map((choice) => {
      const found = recognizeChoices(answer.trim(), [choice], { ...CHOICE_RECOGNIZER, recognizeNumbers: false, recognizeOrdinals: false });
      const span = found.reduce((sum, match) => sum + (match.end - match.start + 1), 0);
      const score = found.reduce((best, match) => Math.max(best, match.resolution.score), 0);
      return { value: choice.value, span, score };
    })
    .filter((candidate) => candidate.span > 0)
    .sort((a, b) => b.span - a.span || b.score - a.score);
  const [first, second] = ranked;
  if (!first) return undefined;
  if (second && second.span === first.span && second.score === first.score) return undefined;
  return first.value as T;
}

/** A question with its answers as buttons (numbered text on channels without buttons). */
export function askWithChoices(text: string, options: readonly string[]): Partial<Activity> {
  return MessageFactory.suggestedActions([...options], text);
}
