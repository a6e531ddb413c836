import type { Locale } from '../knowledge';
import type { FaqEntry, GuideStep } from '../knowledge/manualTypes';

/** The words of troubleshooting and FAQ answers, one catalogue per language. */
export interface KnowledgeTexts {
  askSymptom: string;
  noGuide: string;
  noGuideOptions: [string, string, string];
  stepIntro: (index: number, total: string) => string;
  dontKnowHow: string;
  howTo: (detail: string) => string;
  pleaseAnswer: string;
  /** The customer is doing the step: no hurry, then the question again with its buttons. */
  takeYourTime: (question: string) => string;
  /** The step was already shown twice: only its question again, with its buttons. */
  questionAgain: (question: string) => string;
  /** Not understood twice, or not knowing how after the detail: the guide goes on as if `answer`. */
  goingOnAs: (answer: string) => string;
  /** 是哪个产品呢？ with the products as buttons. */
  askProduct: string;
  askProductAgain: string;
  solved: string;
  rateButton: string;
  notSolved: string;
  reportNow: string;
  /** The button that asks for a person when remote troubleshooting did not help. */
  talkToPerson: string;
  noThanks: string;
  okNoReport: string;
  faqHelpful: string;
  yesHelpful: string;
  notHelpful: string;
  glad: string;
  nextBest: string;
  faqNotSure: string;
  faqNotSureOptions: [string, string, string];
  offerHuman: string;
  /** After an answer the LLM wrote from the manual: the entries it rests on, by their questions. */
  groundedSources: (titles: string[]) => string;
}

const zhCN: KnowledgeTexts = {
  askSymptom: '请简单描述一下遇到的问题，例如“手机充不进电”“路由器老掉线”。',
  noGuide: '抱歉，这个问题我暂时没有把握远程解决。您可以选择报修，或者转人工由客服帮您看看。',
  noGuideOptions: ['报修', '转人工', '菜单'],
  stepIntro: (index, total) => `第${index}步${total}：`,
  dontKnowHow: '不会操作',
  howTo: (detail) => `具体这样操作：${detail}`,
  pleaseAnswer: '请告诉我结果，可以点下面的选项。',
  takeYourTime: (question) => `好的，不着急，操作完告诉我结果就行。${question}`,
  questionAgain: (question) => `${question}可以点下面的选项告诉我。`,
  goingOnAs: (answer) => `没关系，我先按“${answer}”往下试，不对的话随时告诉我。`,
  askProduct: '是哪个产品呢？请点下面的产品。',
  askProductAgain: '抱歉，我没认出是哪个产品。请点下面的产品，或者点“转人工”由客服帮您。',
  solved: '太好了，问题解决了！感谢您的耐心配合。方便的话，请给这次服务打个分。',
  rateButton: '评价',
  notSolved: '远程排查没能解决这个问题，建议报修，由工程师检测。我已记下产品、故障和您试过的步骤，不用再重复说明。现在为您报修吗？',
  reportNow: '好的，报修',
  talkToPerson: '转人工',
  noThanks: '不用了',
  okNoReport: '好的，已记下您试过的步骤。需要报修时随时说“报修”。',
  faqHelpful: '以上回答对您有帮助吗？',
  yesHelpful: '有帮助',
  notHelpful: '没帮助',
  glad: '很高兴能帮到您！',
  nextBest: '那您看看这个是不是您想问的：',
  faqNotSure: '抱歉，这个问题我不太确定，不想给您错误的答案。您可以：',
  faqNotSureOptions: ['故障排查', '报修', '转人工'],
  offerHuman: '抱歉没能帮到您。需要的话，回复“转人工”由客服为您解答。',
  groundedSources: (titles) => `（参考：${titles.join('；')}）`,
};

const en: KnowledgeTexts = {
  askSymptom: 'Please describe the problem briefly, e.g. "phone won\'t charge" or "router keeps dropping".',
  noGuide: "Sorry, I'm not confident I can fix this remotely. You can report a fault, or talk to an agent.",
  noGuideOptions: ['Report a fault', 'Talk to an agent', 'Menu'],
  stepIntro: (index, total) => `Step ${index}${total}: `,
  dontKnowHow: "I don't know how",
  howTo: (detail) => `Here's how: ${detail}`,
  pleaseAnswer: 'Please tell me how it went, using the options below.',
  takeYourTime: (question) => `Sure, take your time and tell me how it went. ${question}`,
  questionAgain: (question) => `${question} You can use the options below.`,
  goingOnAs: (answer) => `No problem, I'll go on as if "${answer}"; tell me any time if that's not right.`,
  askProduct: 'Which product is it? Please pick it below.',
  askProductAgain: 'Sorry, I didn\'t recognise the product. Please pick it below, or choose "Talk to an agent".',
  solved: "Great, it's solved! Thanks for your patience. If you have a moment, please rate our service.",
  rateButton: 'Rate our service',
  notSolved:
    "Remote troubleshooting didn't fix it, so I suggest a repair. I've noted the product, the problem and the steps you tried. Shall I log a repair now?",
  reportNow: 'Yes, report it',
  talkToPerson: 'Talk to an agent',
  noThanks: 'No thanks',
  okNoReport: 'OK, I\'ve noted the steps you tried. Say "report a fault" whenever you need a repair.',
  faqHelpful: 'Did this help?',
  yesHelpful: 'Yes',
  notHelpful: 'No',
  glad: 'Glad I could help!',
  nextBest: 'Is this what you meant?',
  faqNotSure: "Sorry, I'm not sure about this one and don't want to give you a wrong answer. You can:",
  faqNotSureOptions: ['Troubleshooting', 'Report a fault', 'Talk to an agent'],
  offerHuman: 'Sorry I could not help. Say "agent" and a colleague will answer.',
  groundedSources: (titles) => `(From our manual: ${titles.join('; ')})`,
};

/**
 * How a step was left when the customer could not do it or answer it, in the steps tried of a
 * ticket: Chinese whatever the customer's language, like the steps themselves (engineers read them).
 */
export const TRIED_WITHOUT_ANSWER = { dontKnow: '不会操作', unclear: '结果未确认' } as const;

const catalogues: Record<Locale, KnowledgeTexts> = { 'zh-CN': zhCN, en };

export function knowledgeTextsFor(locale: Locale): KnowledgeTexts {
  return catalogues[locale];
}

/** An FAQ entry as this customer reads it: the English version where there is one, else the Chinese. */
export function faqIn(entry: FaqEntry, locale: Locale): FaqEntry {
  if (locale !== 'en' || !entry.en) return entry;
  return { ...entry, question: entry.en.question, steps: entry.en.steps };
}

/** A guide step's words for this customer, answers in branch order; Chinese where it is not translated. */
export interface StepWords {
  instruction: string;
  detail: string;
  question: string;
  answers: string[];
}

export function stepIn(step: GuideStep, locale: Locale): StepWords {
  const english = locale === 'en' ? step.en : undefined;
  return {
    instruction: english?.instruction ?? step.instruction,
    detail: english?.detail ?? step.detail,
    question: english?.question ?? step.question,
    answers: step.branches.map((branch) => (english && branch.en ? branch.en.answer : branch.answer)),
  };
}
