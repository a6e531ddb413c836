import type { Locale } from '../knowledge';
import type { RatingScore, WaitEstimate } from './handoffServices';

/** The words of the flows around people: the satisfaction rating, the call-back request and the queue. */
export interface PeopleTexts {
  /** The rating question; after a hand-off it asks a little more gently. */
  ratingAsk: (afterHandoff: boolean) => string;
  /** The five answers, by score (shown lowest first, so that "1" means the same everywhere). */
  ratingLabels: Record<RatingScore, string>;
  /** Said once when an answer was neither a rating nor anything else ("啊？"). */
  ratingUnclear: string;
  /** The one follow-up after a low score. */
  ratingAskComment: string;
  skip: string;
  /** One line, whatever the score. */
  ratingThanks: (score: RatingScore) => string;
  /** The customer would rather not rate. */
  ratingDeclined: string;
  callbackAsk: string;
  callbackYes: string;
  callbackNo: string;
  callbackPleaseChoose: string;
  callbackDeclined: string;
  callbackConfirmPhone: (masked: string) => string;
  phoneOk: string;
  phoneOther: string;
  callbackAskPhone: string;
  callbackBadPhone: string;
  callbackGiveUp: string;
  callbackCreated: (id: string, opens?: string) => string;
  /** Put through to a person: the wait as it stands (never "0 ahead, 6 minutes"). */
  queued: (wait: WaitEstimate) => string;
  /** Asked for a person again while already in line. */
  alreadyQueued: (wait: WaitEstimate) => string;
  /** A waiting customer asking how long it takes. */
  stillWaiting: (wait: WaitEstimate) => string;
}

/** A wait we cannot promise in minutes: a call-back is offered with it. */
function offersCallback(wait: WaitEstimate): boolean {
  return wait.kind === 'long' || wait.kind === 'noAgents';
}

function zhWait(wait: WaitEstimate): string {
  switch (wait.kind) {
    case 'shortly':
      return '客服马上为您接入，请稍候。';
    case 'minutes':
      return wait.ahead > 0
        ? `您前面还有 ${wait.ahead} 位，预计等待约 ${wait.minutes} 分钟。`
        : `您排在第一位，客服正在接待其他客户，预计约 ${wait.minutes} 分钟后为您接入。`;
    case 'long':
      return wait.ahead > 0
        ? `您前面还有 ${wait.ahead} 位，预计要等 ${wait.minutes} 分钟以上。`
        : `您排在第一位，但客服都在接待其他客户，预计要等 ${wait.minutes} 分钟以上。`;
    case 'noAgents':
      return `目前客服都在忙，暂时没法估计等待时间${wait.ahead > 0 ? `，您前面还有 ${wait.ahead} 位` : ''}。`;
  }
}

const ZH_OFFER_CALLBACK = '您可以继续等待，也可以回复“回电”登记回电，客服会尽快给您打电话。';

function enWait(wait: WaitEstimate): string {
  const ahead = (n: number): string => (n === 1 ? 'There is 1 person ahead of you' : `There are ${n} people ahead of you`);
  switch (wait.kind) {
    case 'shortly':
      return 'An agent will be with you shortly.';
    case 'minutes':
      return wait.ahead > 0
        ? `${ahead(wait.ahead)}; the wait is about ${wait.minutes} minute${wait.minutes === 1 ? '' : 's'}.`
        : `You're next; our agents are finishing other chats, so it should take about ${wait.minutes} minute${wait.minutes === 1 ? '' : 's'}.`;
    case 'long':
      return wait.ahead > 0
        ? `${ahead(wait.ahead)}; the wait may be more than ${wait.minutes} minutes.`
        : `You're next, but our agents are busy with other chats; the wait may be more than ${wait.minutes} minutes.`;
    case 'noAgents':
      return `All our agents are busy right now, so I can't say how long it will take.${wait.ahead > 0 ? ` ${ahead(wait.ahead)}.` : ''}`;
  }
}

const EN_OFFER_CALLBACK = 'You can keep waiting, or reply "call back" and an agent will phone you as soon as possible.';

const zhCN: PeopleTexts = {
  ratingAsk: (afterHandoff) => `${afterHandoff ? '麻烦您花几秒钟，' : ''}请为本次服务打分（1–5分，5分为非常满意）：`,
  ratingLabels: { 1: '非常不满意', 2: '不满意', 3: '一般', 4: '满意', 5: '非常满意' },
  ratingUnclear: '抱歉，没太明白。请点下面的选项，或直接回复 1–5 分。',
  ratingAskComment: '有什么需要改进的地方吗？（可以直接说，或回复“跳过”）',
  skip: '跳过',
  ratingThanks: (score) =>
    score >= 4
      ? '感谢您的评价，祝您生活愉快！'
      : score === 3
        ? '感谢您的评价，我们会继续改进服务。'
        : '感谢您的反馈，给您带来不好的体验非常抱歉，我们会认真改进。',
  ratingDeclined: '好的，不打扰您了，有需要随时找我。',
  callbackAsk: '需要为您登记回电吗？',
  callbackYes: '登记回电',
  callbackNo: '不用了',
  callbackPleaseChoose: '请点“登记回电”或“不用了”。',
  callbackDeclined: '好的，不登记回电了。有需要随时找我。',
  callbackConfirmPhone: (masked) => `回电号码用 ${masked} 可以吗？`,
  phoneOk: '可以',
  phoneOther: '换个号码',
  callbackAskPhone: '请留一个手机号（11位），客服会打这个号码。',
  callbackBadPhone: '这个号码好像不对，请提供11位中国大陆手机号，例如 13800138000。',
  callbackGiveUp: '抱歉，号码一直没能识别，这次先不登记了。您可以稍后再回复“回电”登记，或回复“转人工”联系客服。',
  callbackCreated: (id, opens) => `已登记回电（编号 ${id}），客服会${opens ? `在 ${opens} 后` : ''}尽快给您打电话。`,
  queued: (wait) =>
    `已为您转接人工客服，${zhWait(wait)}${offersCallback(wait) ? ZH_OFFER_CALLBACK : '接通前可以随时说“取消”，或回复“回电”改为登记回电。'}`,
  alreadyQueued: (wait) => `您已在排队中。${zhWait(wait)}${offersCallback(wait) ? ZH_OFFER_CALLBACK : ''}`,
  stillWaiting: (wait) => `您仍在排队。${zhWait(wait)}${offersCallback(wait) ? ZH_OFFER_CALLBACK : ''}`,
};

const en: PeopleTexts = {
  ratingAsk: (afterHandoff) =>
    `${afterHandoff ? 'Could you take a few seconds to rate' : 'Please rate'} our service (1–5, 5 = very satisfied):`,
  ratingLabels: { 1: 'Very dissatisfied', 2: 'Dissatisfied', 3: 'Neutral', 4: 'Satisfied', 5: 'Very satisfied' },
  ratingUnclear: "Sorry, I didn't catch that. Tap an option below, or reply with a score from 1 to 5.",
  ratingAskComment: 'What could we do better? (Just tell me, or reply "skip".)',
  skip: 'Skip',
  ratingThanks: (score) =>
    score >= 4
      ? 'Thank you for your rating. Have a great day!'
      : score === 3
        ? "Thank you for your rating. We'll keep improving."
        : "Thank you for telling us. We're sorry it wasn't better, and we'll work on it.",
  ratingDeclined: "No problem, I won't bother you. I'm here whenever you need me.",
  callbackAsk: 'Shall I register a call-back for you?',
  callbackYes: 'Call me back',
  callbackNo: 'No, thanks',
  callbackPleaseChoose: 'Please tap "Call me back" or "No, thanks".',
  callbackDeclined: "OK, no call-back. I'm here whenever you need me.",
  callbackConfirmPhone: (masked) => `Shall we call you on ${masked}?`,
  phoneOk: 'Yes',
  phoneOther: 'Another number',
  callbackAskPhone: 'Please leave a mobile number (11 digits) for the agent to call.',
  callbackBadPhone: "That number doesn't look right. Please give an 11-digit mainland mobile number, e.g. 13800138000.",
  callbackGiveUp:
    'Sorry, I still couldn\'t read a number, so I haven\'t registered a call-back. Reply "call back" to try again later, or "agent" to reach a person.',
  callbackCreated: (id, opens) =>
    `Call-back registered (number ${id}). An agent will phone you as soon as possible${opens ? ` after ${opens}` : ''}.`,
  queued: (wait) =>
    `I'm putting you through to an agent. ${enWait(wait)} ${offersCallback(wait) ? EN_OFFER_CALLBACK : 'Say "cancel" at any time, or "call back" to be called instead.'}`,
  alreadyQueued: (wait) =>
    `You're already in line. ${enWait(wait)}${offersCallback(wait) ? ` ${EN_OFFER_CALLBACK}` : ' Thanks for waiting.'}`,
  stillWaiting: (wait) => `You're still in line. ${enWait(wait)}${offersCallback(wait) ? ` ${EN_OFFER_CALLBACK}` : ''}`,
};

const catalogues: Record<Locale, PeopleTexts> = { 'zh-CN': zhCN, en };

export function peopleTextsFor(locale: Locale): PeopleTexts {
  return catalogues[locale];
}
