import type { GuideStep } from './manualTypes';
import type { Locale } from './language';

/**
 * What a customer's reply to a troubleshooting step means (issue 12, "guides that move"). The
 * customer may press a button, type its number, type its words or part of them, or answer in their
 * own words (好了, 还是老样子, 灯亮了, still not working, I don't know how). The intent recognizer is
 * no help here: to it "好了" looks like a ticket query and "还是不行" like a repair request, because
 * outside a guide they often are.
 *
 * This reading used to be done by matching the reply against the 不会操作 button on its own, with
 * botbuilder's partial matching, one Han character per token: every reply with a 不 in it (还是不行,
 * 不亮, 连不上, 看不到闪光, even the good 不掉了) "matched" 不会操作, got the step's detail, and the
 * same step came back for ever. So buttons are read here as whole words, all of a step's at once.
 */
export type StepReading =
  /**
   * One of the step's answers (index into its branches): `button` when the reply is exactly a
   * button or its number, `words` when it was read from the customer's own words.
   */
  | { kind: 'branch'; index: number; by: 'button' | 'words' }
  /** 不会操作, 看不到, 找不到这个按钮, 在哪, how do I …: the step in more detail, once. */
  | { kind: 'dontKnow' }
  /** 好的, 稍等, 我试试: the customer is on it; the answer comes later. */
  | { kind: 'wait' }
  | { kind: 'unclear' };

export interface StepAnswerOptions {
  locale: Locale;
  /** The buttons shown after the step's answers that mean "I don't know how" (不会操作), in any language. */
  dontKnowButtons: readonly string[];
}

/** Folded like the buttons are compared: no spaces, punctuation, emoji or case, and no trailing 啊/呀/哦. */
export function foldAnswer(text: string): string {
  const bare = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
  // 嗯，还是不行 is 还是不行; 嗯 alone stays a yes.
  const unwrapped = bare.replace(/^(嗯+|额+|呃+|哦+|噢+|那个|试了一?下|试过了)/u, '').replace(/[啊呀哦噢呢吧啦嘛哈耶诶欸]+$/u, '');
  return unwrapped || bare;
}

// Each list below is matched against the folded reply. Negative readings are tried before positive
// ones because the negative ones contain the positive words (没好 holds 好, doesn't work holds work).

/** "I don't know how / can't find it": the step's detail. 不知道为什么还是不行 is not this. */
const DONT_KNOW = new RegExp(
  [
    '不会(弄|操作|搞|用|做|设置|按)?$',
    '^不会',
    '不懂',
    '不知道(怎么|咋|在哪|哪|如何|是哪)',
    '^不知道$',
    '^不清楚$',
    '不明白',
    '没看懂',
    '看不懂',
    '没明白',
    '怎么(弄|操作|做|按|打开|设置|找|看)',
    '咋(弄|操作|做|按|整|看)',
    '如何(操作|设置|打开)',
    '在哪',
    '哪里',
    '哪儿',
    '找不到',
    '找不着',
    '没找到',
    '看不到',
    '看不见',
    '没看到',
    '啥意思',
    '什么意思',
    '太复杂',
    '没有这个(按钮|键|选项|菜单|设置)',
    'dontknowhow',
    'donotknowhow',
    'notsurehow',
    'howdoi',
    'howcani',
    'howto',
    'whereis',
    'wherecani',
    'cantfind',
    'cannotfind',
    'couldntfind',
    'dontunderstand',
    'whatdoyoumean',
    'dontsee',
    'cantsee',
    '^idontknow$',
    '^dunno$',
  ].join('|'),
  'u',
);

/** Said of a fix that did not help: 还是不行, 没反应, 一样, still not working, doesn't work. */
const NOT_FIXED = new RegExp(
  [
    '没好',
    '没有好',
    '不行',
    '不好使',
    '不管用',
    '不灵',
    '不能',
    '不可以',
    '没用',
    '没有用',
    '没效果',
    '没有效果',
    '没什么(用|效果|变化|反应)',
    '没作用',
    '没反应',
    '没有反应',
    '没变化',
    '没有变化',
    '没解决',
    '失败',
    '一样',
    '老样子',
    '照旧',
    '依旧',
    '依然',
    '仍然',
    '^还是',
    '^还(不|没|有|在|会|掉|烫|黑|连)',
    '^也(不|没)',
    '又(掉|烫|断|不|没|黑)',
    '不亮',
    '没亮',
    '没声',
    '没画面',
    '开不了',
    '开不开',
    '连不上',
    '上不了',
    '充不进',
    '不充电',
    'still',
    'notworking',
    'notfixed',
    'doesntwork',
    'doesnotwork',
    'didntwork',
    'didnotwork',
    'didnthelp',
    'nothelp',
    'wontwork',
    'noluck',
    'nochange',
    'nothingchanged',
    'same',
    'notyet',
    'nothing',
  ].join('|'),
  'u',
);

/** Said of a fix that helped: 好了, 可以了, 灯亮了, 有声音了, fixed, worked. */
const FIXED = new RegExp(
  [
    '好了',
    '好啦',
    '好使了',
    '可以了',
    '行了',
    '解决了',
    '正常了',
    '恢复了',
    '搞定',
    '成功',
    '能用了',
    '灵了',
    '管用',
    '有用',
    '有效',
    '亮了',
    '有(声音?|画面|反应|信号|网|电)了',
    '连上了',
    '同步了',
    '能.{0,6}了$',
    '有了$',
    '没问题了',
    '没事了',
    // The symptom has stopped (不烫了, 不卡了, 没杂音了); 不亮了 is not among them, it is the fault.
    '不(烫|热|卡|掉线?|断网?|断开|闪|死机|自动重启)了',
    '没(杂音|噪音|电流声|回声)了',
    '降下来了',
    '凉(下来)?了',
    '^ok了',
    'fixed',
    'worked',
    'itworks',
    'worksnow',
    'itsworking',
    'workingnow',
    'solved',
    'resolved',
    'allgood',
    'thatdidit',
    'allsorted',
    'sorted',
  ].join('|'),
  'u',
);

/** A bare yes to the step's question (是的, 对, 嗯, 有, yes). */
const YES = /^(是|是的|是啊|对|对的|对啊|嗯|嗯嗯|有|有的|可以|能|yes|yeah|yep|yup|y|right|correct|sure)$/u;
/** A bare no (没有, 不是, 没, 否, no). */
const NO = /^(没有|没|不是|不|否|没呢|没有呢|不对|no|nope|nah|n|notreally)$/u;
/** The customer is doing it, or will: 好的, 稍等, 我试试. */
const WAIT =
  /^(好|好的|好滴|好嘞|行|ok|okay|okk|收到|知道了|明白了|懂了|稍等|等一?下|等等|马上|我?试试|我?去试|我?试一?下|我看看|正在弄|弄着呢|holdon|wait|onesec|onemoment|letmetry|illtry|trying)$/u;

const NEGATOR = /[不没别未]$/u;

/**
 * Whether a yes to this step's question means it did not help: "重启后还掉线吗？" — 是的 (still
 * drops) is the bad answer and 没有 the good one. Such a question asks after the symptom with 还,
 * and its good answer is worded as a negative (不掉了, 不烫了). The English questions ask after the
 * fix ("Is the connection stable?"), unless they say "still".
 */
function yesMeansBad(step: GuideStep, locale: Locale): boolean {
  const good = step.branches[0];
  if (!good || good.outcome !== 'good') return false;
  if (locale === 'en' && step.en) return /\bstill\b/i.test(step.en.question);
  return /还.{0,8}吗/u.test(step.question) && /^[不没]/u.test(good.answer);
}

/** An either-or question (是所有设备都断，还是只有个别设备断？): yes and no say nothing. */
function asksEitherOr(step: GuideStep, locale: Locale): boolean {
  const question = locale === 'en' && step.en ? step.en.question : step.question;
  return /还是/u.test(question) || /\bor\b/i.test(question);
}

/** The step's answers as the customer may write them: Chinese, and English where translated. */
function labelsOf(step: GuideStep): string[][] {
  return step.branches.map((branch) => {
    const labels = [branch.answer, branch.en?.answer].filter((label): label is string => Boolean(label)).map(foldAnswer);
    // 同步了 is also said 同步上了 / 同步好了: the label without its 了 is the answer's core.
    const stems = labels.map((label) => label.replace(/[了啦]$/u, '')).filter((stem, i) => stem !== labels[i] && [...stem].length >= 2);
    return [...labels, ...stems];
  });
}

/** "2", "第二个", "二" → 1 (zero-based), when the reply is only a position among `count` buttons. */
function positionOf(folded: string, count: number): number | undefined {
  const digits = /^第?(\d{1,2})(个|项)?$/u.exec(folded);
  const han = /^第?([一二三四五六七八九])(个|项)?$/u.exec(folded);
  const position = digits ? Number(digits[1]) : han ? '一二三四五六七八九'.indexOf(han[1]) + 1 : 0;
  return position >= 1 && position <= count ? position - 1 : undefined;
}

/**
 * The button a reply names: the whole label, a label inside the reply (亮了 holds 亮, unless a 不 or
 * 没 comes right before it), or the reply inside exactly one label (连不上 inside 也连不上). The
 * longest label found wins (没有 over 有); two equally good candidates are no answer.
 */
function buttonIn(folded: string, labels: string[][]): { index: number; exact: boolean } | undefined {
  for (let i = 0; i < labels.length; i += 1) if (labels[i].includes(folded)) return { index: i, exact: true };
  let best: { index: number; length: number } | undefined;
  let tie = false;
  labels.forEach((own, index) => {
    for (const label of own) {
      const at = folded.indexOf(label);
      if (at < 0 || NEGATOR.test(folded.slice(0, at))) continue;
      // One character (亮, 有) only at the start or the very end: in "有点烫但没鼓包" 有 is not the
      // answer, in "电源指示灯是亮的" 亮 is.
      if ([...label].length < 2 && at > 0 && !/^[的了着呢啊]*$/u.test(folded.slice(at + label.length))) continue;
      const length = [...label].length;
      if (!best || length > best.length) {
        best = { index, length };
        tie = false;
      } else if (length === best.length && best.index !== index) tie = true;
    }
  });
  if (best && !tie) return { index: best.index, exact: false };
  if ([...folded].length < 2) return undefined;
  const holders = labels.map((own, index) => (own.some((label) => label.includes(folded)) ? index : -1)).filter((index) => index >= 0);
  return holders.length === 1 ? { index: holders[0], exact: false } : undefined;
}

/**
 * Reads a reply to a step. Buttons first (their words are the step's own, so they beat every list
 * below), then did not help, "I don't know how", helped, a bare yes or no, and "on it".
 * Helped / did not help pick the step's good and bad answers (the loader puts them first and last);
 * a step that asks what the customer sees (有没有鼓包) takes only buttons and yes / no.
 */
export function readStepAnswer(text: string, step: GuideStep, options: StepAnswerOptions): StepReading {
  const folded = foldAnswer(text);
  if (!folded) return { kind: 'unclear' };
  const count = step.branches.length;
  const position = positionOf(folded, options.dontKnowButtons.length ? count + 1 : count);
  if (position !== undefined) return position < count ? { kind: 'branch', index: position, by: 'button' } : { kind: 'dontKnow' };
  if (options.dontKnowButtons.some((label) => foldAnswer(label) === folded)) return { kind: 'dontKnow' };
  const button = buttonIn(folded, labelsOf(step));
  if (button)
    return {
      kind: 'branch',
      index: button.index,
      by: button.exact ? 'button' : 'words',
    };
  if (options.dontKnowButtons.some((label) => folded.includes(foldAnswer(label)))) return { kind: 'dontKnow' };

  const first = 0;
  const last = count - 1;
  const asksIfHelped = step.branches[first].outcome === 'good' && step.branches[last].outcome === 'bad';
  // 不知道为什么还是不行 did not help; 不知道怎么弄 asks how.
  if (asksIfHelped && NOT_FIXED.test(folded)) return { kind: 'branch', index: last, by: 'words' };
  if (DONT_KNOW.test(folded)) return { kind: 'dontKnow' };
  if (asksIfHelped && FIXED.test(folded)) return { kind: 'branch', index: first, by: 'words' };
  if (!asksEitherOr(step, options.locale)) {
    const inverted = asksIfHelped && yesMeansBad(step, options.locale);
    if (YES.test(folded)) return { kind: 'branch', index: inverted ? last : first, by: 'words' };
    if (NO.test(folded)) return { kind: 'branch', index: inverted ? first : last, by: 'words' };
  }
  if (WAIT.test(folded)) return { kind: 'wait' };
  return { kind: 'unclear' };
}

/**
 * Words that ask for something other than the step's result (报修, 投诉, 工单, 多少钱 …): such a reply
 * is not an answer, even when it also says 还是不行; the conversation's main dialog takes it.
 */
const ANOTHER_REQUEST =
  /报修|维修|送修|寄修|修一下|上门|投诉|评价|打分|好评|差评|工单|单子|进度|保修|保内|三包|退货|换货|退款|发票|多少钱|费用|价格|收费|网点|repair|complain|ticket|warranty|refund|invoice|howmuch|cost|price|servicecent/u;

export function asksForSomethingElse(text: string): boolean {
  return ANOTHER_REQUEST.test(foldAnswer(text));
}

const REPAIR_REQUEST = /报修|维修|送修|寄修|修一下|修理|上门|repair/u;

/** 报修 / 维修 inside a guide: the repair, with what was tried, rather than the rest of the guide. */
export function asksForRepair(text: string): boolean {
  // 先不报修了 / 不用修 / don't repair say the opposite: what else they ask is for the main dialog.
  const asked = foldAnswer(text).replace(NOT_A_REPAIR, '');
  return REPAIR_REQUEST.test(asked);
}

const NOT_A_REPAIR =
  /(?:先不|暂时不|暂不|不用|不想|不要|不需要|不必|不打算|别|不)(?:去|再|急着)?(?:报修|维修|送修|寄修|修理|修)|(?:dont|donot|nottobe)repair/gu;

const QUESTION =
  /[?？]$|[吗呢嘛]$|为什么|为啥|多久|多长时间|能不能|可不可以|会不会|是不是|要不要|^(what|why|how|can|will|does|is|do|should)/u;

/** A question of the customer's own (重置会丢数据吗？), which the manual may answer before the guide goes on. */
export function asksAQuestion(text: string): boolean {
  const trimmed = text.normalize('NFKC').trim().toLowerCase();
  return QUESTION.test(trimmed) || QUESTION.test(foldAnswer(text));
}
