import {
  ComponentDialog,
  TextPrompt,
  WaterfallDialog,
  type DialogTurnResult,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { MAX_RATING_COMMENT } from '../desk/ratings';
import { normalizeUtterance, type Locale } from '../knowledge';
import { askWithChoices } from './choices';
import type { HandoffServices, RatingScore } from './handoffServices';
import { localeOf } from './locale';
import { peopleTextsFor } from './peopleTexts';

export const RATING_DIALOG = 'ratingDialog';
const STEPS = 'ratingSteps';
const SCORE_PROMPT = 'ratingScore';
const COMMENT_PROMPT = 'ratingComment';

/**
 * The answers are shown lowest first so that the number of an answer is its score: on channels
 * without buttons the list is numbered, and "1" must mean 1分 whether it picks the first line or
 * is typed as a score.
 */
export const RATING_ORDER: readonly RatingScore[] = [1, 2, 3, 4, 5];
/** At or below this, the score is a complaint lead and one follow-up asks what went wrong. */
const LOW_SCORE = 2;

export interface RatingOptions {
  /** The rating follows an agent's service (the hand-off just ended). */
  afterHandoff?: boolean;
  /** The message that started the flow (from the menu): "给五星好评" is already the answer. */
  utterance?: string;
}

/** How the rating ended: a score, a polite no, or a message meant for something else. */
export type RatingResult = { score: RatingScore } | { declined: true } | { unanswered: true; utterance: string };

/** What the customer's answer to the rating question is. */
export type RatingReading =
  | { kind: 'score'; score: RatingScore; comment?: string }
  /** Would rather not rate (跳过, 不用了, or just 谢谢). */
  | { kind: 'declined' }
  /** Means nothing we can act on ("啊？", "好的", "8分"): worth asking once more. */
  | { kind: 'unclear' }
  /** Says something else: a question, a request — for the caller to answer. */
  | { kind: 'unrelated' };

interface RatingValues {
  score?: RatingScore;
  comment?: string;
  askedComment?: boolean;
}

/** Words that give a score, compared after normalizeUtterance and the fillers below are removed. */
const SCORE_WORDS: Record<RatingScore, string[]> = {
  5: [
    '非常满意',
    '很满意',
    '特别满意',
    '十分满意',
    '超级满意',
    '非常非常满意',
    '太满意',
    '满分',
    '好评',
    '五星好评',
    '很好',
    '非常好',
    '特别好',
    '太好',
    '超好',
    '真好',
    '完美',
    '超赞',
    '很赞',
    '太赞',
    '赞',
    '点赞',
    '太棒',
    '很棒',
    '非常棒',
    '棒',
    '棒棒',
    '棒极',
    '优秀',
    '非常优秀',
    'verysatisfied',
    'extremelysatisfied',
    'completelysatisfied',
    'excellent',
    'great',
    'perfect',
    'awesome',
    'amazing',
    'verygood',
    'fantastic',
    'outstanding',
    'superb',
    'loveit',
    'thumbsup',
    'fivestars',
  ],
  4: [
    '满意',
    '比较满意',
    '还算满意',
    '基本满意',
    '不错',
    '还不错',
    '挺不错',
    '挺好',
    '蛮好',
    '挺满意',
    '比较好',
    '较好',
    '还挺好',
    'satisfied',
    'quitesatisfied',
    'good',
    'prettygood',
    'quitegood',
    'nice',
    'happy',
    'notbad',
  ],
  3: [
    '一般',
    '一般般',
    '还行',
    '还好',
    '还可以',
    '凑合',
    '马马虎虎',
    '普通',
    '中等',
    '中规中矩',
    'neutral',
    'average',
    'soso',
    'mediocre',
    'fine',
    'alright',
  ],
  2: [
    '不满意',
    '不太满意',
    '不大满意',
    '不是很满意',
    '有点不满意',
    '不好',
    '不太好',
    '差',
    '较差',
    '比较差',
    '有点差',
    '差评',
    '不行',
    '失望',
    '有点失望',
    'dissatisfied',
    'unsatisfied',
    'notsatisfied',
    'bad',
    'poor',
    'notgood',
    'disappointed',
    'unhappy',
  ],
  1: [
    '非常不满意',
    '很不满意',
    '特别不满意',
    '极不满意',
    '十分不满意',
    '太差',
    '很差',
    '非常差',
    '特别差',
    '极差',
    '太烂',
    '很烂',
    '垃圾',
    '糟糕',
    '太糟糕',
    '很糟糕',
    '非常糟糕',
    '差劲',
    '太差劲',
    '很失望',
    '非常失望',
    '太失望',
    'verydissatisfied',
    'extremelydissatisfied',
    'verybad',
    'verypoor',
    'terrible',
    'awful',
    'horrible',
    'worst',
    'useless',
    'rubbish',
  ],
};

/** A message of only these is a polite no to the rating. */
const DECLINE_WORDS = new Set([
  '跳过',
  '不评',
  '不评价',
  '不打分',
  '不想评',
  '不想评价',
  '不想打分',
  '不用',
  '不用了',
  '不必',
  '不必了',
  '不了',
  '算了',
  '下次',
  '下次吧',
  '下次再说',
  '以后再说',
  '没空',
  '没时间',
  'skip',
  'nothanks',
  'nothankyou',
  'later',
  'maybelater',
  'notnow',
  'no',
  'nope',
]);
const THANKS_WORDS = new Set([
  '谢谢',
  '谢谢你',
  '谢谢您',
  '多谢',
  '感谢',
  '非常感谢',
  '谢啦',
  '谢了',
  '好的谢谢',
  '3q',
  'thanks',
  'thankyou',
  'thx',
  'ty',
  'cheers',
]);
/** Acknowledgements and puzzlement: no score, no request. */
const UNCLEAR_WORDS = new Set([
  '啊',
  '阿',
  '哦',
  '噢',
  '喔',
  '嗯',
  '嗯嗯',
  '呃',
  '额',
  '蛤',
  '哈',
  '哈哈',
  '啥',
  '什么',
  '啥意思',
  '什么意思',
  '你说什么',
  '好',
  '好的',
  '行',
  '行吧',
  '可以',
  '嗯好',
  '评价',
  '打分',
  '评分',
  'ok',
  'okay',
  'k',
  'hm',
  'hmm',
  'huh',
  'what',
  'sorry',
  'pardon',
  'rate',
  'rating',
]);
/** Words around a score that change nothing ("我觉得服务挺好的吧"). */
const PREFIX_FILLERS =
  /^(?:我觉得|我感觉|感觉|觉得|总的来说|总体来说|总体|整体|本次|这次|你们的|你们|你的|服务态度|服务|客服|态度|我|就|给个|给你|给|打个|打|评|theservicewas|servicewas|service|itwas|itis|its|thatwas|iwas|iam|im|overall|really)+/u;
const SUFFIX_FILLERS = /(?:吧|了|啊|呀|哦|的|哈|呢|嗯|啦|哟|喔|哇|thanks|thankyou|overall)+$/u;
const NUMBER_WORDS: Record<string, number> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
};
/** "5", "5分", "五星", "打4分", "4 stars", "3 out of 5". Up to three digits: a longer number is a phone or an order, not a score. */
const NUMERIC_SCORE =
  /^(?:igive(?:it|you)?|give(?:it|you)?|rate(?:it)?)?(\d{1,3}|[一二两三四五六七八九十]|one|two|three|four|five)(?:分|星|颗星|个星|星级|stars?|points?|outof(?:5|five))?(?:好评|差评)?$/u;
const OUT_OF_FIVE = /^\s*(\d{1,3})\s*\/\s*5\s*$/u;
const STARS = /^[\s⭐★]+$/u;
/** Emoji speak for themselves; their scores, checked in this order. */
const EMOJI_SCORES: Array<[RegExp, RatingScore]> = [
  [/👎|😡|😠|🤬|💩/u, 1],
  [/🙁|☹|😞|😒|😟/u, 2],
  [/😐|😑/u, 3],
  [/😊|🙂|😀|😃|😄|👌/u, 4],
  [/👍|💯|❤|😍|🥰|👏|🌹|🎉/u, 5],
];
const HAS_WORDS = /[\p{L}\p{N}]/u;
const CLAUSE_BREAK = /[，,。.!！?？;；、~～…\n]+/u;
const COMMENT_SKIPS = new Set([
  '跳过',
  '没有',
  '没',
  '没了',
  '没有了',
  '无',
  '没什么',
  '没啥',
  '暂时没有',
  '不用',
  '不用了',
  '算了',
  '不了',
  'skip',
  'no',
  'none',
  'nothing',
  'nope',
  'na',
  'nothanks',
]);

const SCORE_OF = new Map<string, RatingScore>();
for (const score of RATING_ORDER) for (const word of SCORE_WORDS[score]) SCORE_OF.set(normalizeUtterance(word), score);
// The buttons' own words always count, however the catalogues are reworded.
for (const locale of ['zh-CN', 'en'] as const satisfies readonly Locale[]) {
  for (const score of RATING_ORDER) SCORE_OF.set(normalizeUtterance(peopleTextsFor(locale).ratingLabels[score]), score);
}

function asScore(value: number): RatingScore | undefined {
  return RATING_ORDER.find((score) => score === value);
}

type ClauseReading = { kind: 'score'; score: RatingScore } | { kind: 'declined' | 'thanks' | 'unclear' | 'content' };

/** What one clause of the answer says. */
function readClause(clause: string): ClauseReading {
  const outOfFive = OUT_OF_FIVE.exec(clause);
  if (outOfFive) return scoreOrUnclear(Number(outOfFive[1]));
  if (STARS.test(clause)) return scoreOrUnclear([...clause].filter((char) => char === '⭐' || char === '★').length);
  const emoji = EMOJI_SCORES.find(([pattern]) => pattern.test(clause))?.[1];
  const bare = normalizeUtterance(clause);
  const words = readWords(bare);
  // "谢谢👍": the emoji is the score; "👍 但是等太久了" is more than a rating.
  if (emoji && words.kind !== 'score' && words.kind !== 'content') return { kind: 'score', score: emoji };
  if (!HAS_WORDS.test(clause)) return { kind: 'unclear' };
  return words;
}

function readWords(bare: string): ClauseReading {
  if (!bare) return { kind: 'unclear' };
  const stripped = bare.replace(PREFIX_FILLERS, '').replace(SUFFIX_FILLERS, '');
  // The whole clause first: "好的" is an acknowledgement even though "好" alone would be a score.
  const forms = [...new Set([bare, bare.replace(SUFFIX_FILLERS, ''), stripped])].filter((form) => form !== '');
  for (const form of forms) {
    const known = lookup(form);
    if (known) return known;
  }
  for (const form of forms) {
    const numeric = NUMERIC_SCORE.exec(form);
    if (numeric) return scoreOrUnclear(NUMBER_WORDS[numeric[1]] ?? Number(numeric[1]));
  }
  if (!stripped || bare.length === 1) return { kind: 'unclear' };
  return { kind: 'content' };
}

function lookup(form: string): ClauseReading | undefined {
  const score = SCORE_OF.get(form);
  if (score) return { kind: 'score', score };
  if (DECLINE_WORDS.has(form)) return { kind: 'declined' };
  if (THANKS_WORDS.has(form)) return { kind: 'thanks' };
  if (UNCLEAR_WORDS.has(form)) return { kind: 'unclear' };
  return undefined;
}

/** "8分" is a score on the wrong scale: asking again with the range beats guessing. */
function scoreOrUnclear(value: number): ClauseReading {
  const score = asScore(value);
  return score ? { kind: 'score', score } : { kind: 'unclear' };
}

/**
 * Reads an answer to 请为本次服务打分. Each clause must be a rating, a thank-you or filler for the
 * answer to be a rating; what else the customer wrote next to a rating is their comment. An answer
 * without any rating but with content is for someone else, so it is never swallowed as a score.
 */
export function readRating(text: string): RatingReading {
  const clauses = text
    .normalize('NFKC')
    .split(CLAUSE_BREAK)
    .map((clause) => clause.trim())
    .filter((clause) => clause !== '');
  const readings = clauses.map((clause) => ({ clause, reading: readClause(clause) }));
  const scored = readings.find((item) => item.reading.kind === 'score')?.reading;
  const content = readings.filter((item) => item.reading.kind === 'content').map((item) => item.clause);
  if (scored?.kind === 'score') return { kind: 'score', score: scored.score, comment: content.length ? content.join('，') : undefined };
  if (content.length) return { kind: 'unrelated' };
  const kinds = new Set(readings.map((item) => item.reading.kind));
  if (kinds.has('declined') || (kinds.size === 1 && kinds.has('thanks'))) return { kind: 'declined' };
  return { kind: 'unclear' };
}

/** The follow-up answer as a comment, or undefined when the customer skipped it. */
export function readComment(text: string): string | undefined {
  const bare = normalizeUtterance(text);
  if (!bare || COMMENT_SKIPS.has(bare) || COMMENT_SKIPS.has(bare.replace(SUFFIX_FILLERS, ''))) return undefined;
  return text.trim().slice(0, MAX_RATING_COMMENT);
}

/**
 * 满意度评价: one question with five answers, one optional follow-up after a low score, one line
 * of thanks. Whatever is not a rating ends the dialog unrecorded, for the caller to answer.
 */
export class RatingDialog extends ComponentDialog {
  constructor(private readonly people: Pick<HandoffServices, 'recordRating'>) {
    super(RATING_DIALOG);
    this.addDialog(new TextPrompt(SCORE_PROMPT, this.acceptsScoreAnswer.bind(this)));
    this.addDialog(new TextPrompt(COMMENT_PROMPT));
    this.addDialog(
      new WaterfallDialog(STEPS, [
        this.askScoreStep.bind(this),
        this.readScoreStep.bind(this),
        this.askCommentStep.bind(this),
        this.recordStep.bind(this),
      ]),
    );
    this.initialDialogId = STEPS;
  }

  /** Asks for the score, the five answers as buttons, unless the opening message already gave one. */
  private async askScoreStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = (step.options ?? {}) as RatingOptions;
    if (options.utterance && readRating(options.utterance).kind === 'score') return step.next(options.utterance);
    const t = peopleTextsFor(localeOf(step.context));
    const afterHandoff = options.afterHandoff === true;
    const labels = RATING_ORDER.map((score) => t.ratingLabels[score]);
    return step.prompt(SCORE_PROMPT, {
      prompt: askWithChoices(t.ratingAsk(afterHandoff), labels),
      retryPrompt: askWithChoices(t.ratingUnclear, labels),
    });
  }

  /** Takes the score; a no ends politely, and anything that is no rating ends for the caller to route. */
  private async readScoreStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = String(step.result ?? '').trim();
    const reading = readRating(answer);
    if (reading.kind === 'declined') {
      await step.context.sendActivity(peopleTextsFor(localeOf(step.context)).ratingDeclined);
      return step.endDialog({ declined: true } satisfies RatingResult);
    }
    if (reading.kind !== 'score') return step.endDialog({ unanswered: true, utterance: answer } satisfies RatingResult);
    const values = step.values as RatingValues;
    values.score = reading.score;
    values.comment = reading.comment?.slice(0, MAX_RATING_COMMENT);
    return step.next();
  }

  /** After a low score with no reason given, asks once what to improve (skippable). */
  private async askCommentStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const values = step.values as RatingValues;
    if (values.score === undefined || values.score > LOW_SCORE || values.comment) return step.next();
    const t = peopleTextsFor(localeOf(step.context));
    values.askedComment = true;
    return step.prompt(COMMENT_PROMPT, { prompt: askWithChoices(t.ratingAskComment, [t.skip]) });
  }

  /** Records the rating with its comment, then thanks the customer in one line. */
  private async recordStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const values = step.values as RatingValues;
    const score = values.score;
    if (score === undefined) return step.endDialog();
    if (values.askedComment) values.comment = readComment(String(step.result ?? ''));
    const { activity } = step.context;
    await this.people.recordRating({
      conversationId: activity.conversation.id,
      channel: activity.channelId,
      score,
      comment: values.comment,
    });
    await step.context.sendActivity(peopleTextsFor(localeOf(step.context)).ratingThanks(score));
    return step.endDialog({ score } satisfies RatingResult);
  }

  /** Only an answer that means nothing is asked again, and only once: the customer is never held. */
  private async acceptsScoreAnswer(prompt: PromptValidatorContext<string>): Promise<boolean> {
    if (prompt.attemptCount >= 2) return true;
    return readRating(prompt.recognized.value ?? '').kind !== 'unclear';
  }
}
