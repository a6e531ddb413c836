import type { Intent, Locale } from '../knowledge';
import type { ForeignMention } from '../knowledge/productScope';
import type { DraftFact } from './flowDrafts';

/** Every customer-facing sentence, one catalogue per language, keyed by what it says. */
export interface Texts {
  greeting: string;
  menuPrompt: string;
  menuAgain: string;
  notUnderstood: string;
  cancelled: string;
  nothingToCancel: string;
  backToMenu: string;
  humanRequested: string;
  humanAlreadyRequested: string;
  helpAtMenu: string;
  helpInFlow: (flow: string) => string;
  comingSoon: (service: string) => string;
  menu: Record<MenuIntent, string>;
  flowNames: Record<string, string>;
  sorry: string;
  /** A short acknowledgement followed by the question that brings the menu back. */
  thenMenu: (lead: string) => string;
  alreadyWithAgent: string;
  afterHours: (opens: string) => string;
  /** Said once, before anything else, when a message mentions smoke, fire, a shock … */
  safetyFirst: string;
  misunderstoodTwice: string;
  complaintToPerson: string;
  waitCancelled: string;
  waitTooLong: string;
  agentJoined: (agent: string) => string;
  agentLeft: string;
  chatClosed: string;
  /** A flow left (算了, 先这样): what was kept for 24 hours, and how to come back to it. */
  leftFlow: (flow: string, kept: string[]) => string;
  /** Said after backToMenu when a flow's facts were kept. */
  keptNote: (flow: string, kept: string[]) => string;
  /** The customer asks for a flow again while an unfinished one is kept. */
  resumeDraft: (flow: string) => string;
  /** Another request answered mid-flow: the flow it interrupted is offered back. */
  offerBack: (flow: string) => string;
  resumeYes: string;
  resumeRestart: string;
  resumeNo: string;
  resumed: (flow: string) => string;
  startingOver: string;
  /** The customer did not want the interrupted flow back. */
  notResumed: (flow: string, kept: boolean) => string;
  /** The customer changed their mind (不报修了，我要投诉): the flow is left for the new request. */
  switched: (flow: string, kept: boolean) => string;
  /** 不用了谢谢 / 再见 at the end of the conversation. */
  goodbye: string;
  /** A product or brand we neither make nor service: said kindly, with what can be done instead. */
  notOurs: (mention: ForeignMention) => string;
  /** The names of a flow's facts, as told back when they are kept. */
  draftFacts: Record<DraftFact, string>;
}

/** The services on the main menu, in the order they are shown (and numbered). */
export const MENU_INTENTS = [
  'fault_report',
  'troubleshoot',
  'warranty',
  'appointment',
  'ticket_status',
  'rating',
  'complaint',
  'human',
] as const satisfies readonly Intent[];
export type MenuIntent = (typeof MENU_INTENTS)[number];

const zhCN: Texts = {
  greeting: '您好，我是售后服务助手，很高兴为您服务！',
  menuPrompt: '请问需要办理什么？可以点下面的选项，也可以直接说出您遇到的问题。',
  menuAgain: '还有什么可以帮您？',
  notUnderstood: '抱歉，我没太明白您的意思。您可以选择下面的服务，或者回复“转人工”联系客服。',
  cancelled: '好的，已取消当前操作。',
  nothingToCancel: '当前没有进行中的操作。',
  backToMenu: '好的，回到主菜单。',
  humanRequested: '已为您登记转人工，客服会尽快接入，请稍候。等待期间，您也可以继续使用下面的自助服务。',
  humanAlreadyRequested: '您的转人工请求已登记，客服会按顺序尽快接入，请耐心等待。',
  helpAtMenu:
    '您现在在主菜单。我可以帮您：报修、故障排查、保修查询、预约上门、查询工单进度、评价服务、投诉，或者转人工。' +
    '直接点选项或用一句话描述问题都可以。任何时候都可以说“取消”结束当前操作、“菜单”回到主菜单、“转人工”联系客服。',
  helpInFlow: (flow) => `您正在办理“${flow}”，请回答上面的问题继续。说“取消”可以结束当前操作，“菜单”回到主菜单，“转人工”联系客服。`,
  comingSoon: (service) => `抱歉，“${service}”的在线办理还在准备中，暂时无法直接办理。您可以回复“转人工”，由客服为您处理。`,
  menu: {
    fault_report: '报修',
    troubleshoot: '故障排查',
    warranty: '保修查询',
    appointment: '预约',
    ticket_status: '工单进度',
    rating: '评价',
    complaint: '投诉',
    human: '转人工',
  },
  flowNames: {
    faultReportDialog: '报修',
    warrantyDialog: '保修查询',
    ticketStatusDialog: '工单进度',
    troubleshootDialog: '故障排查',
    faqDialog: '问题解答',
    ratingDialog: '评价',
    callbackDialog: '登记回电',
  },
  sorry: '抱歉，系统刚才出了点问题，请稍后再试一次。',
  thenMenu: (lead) => `${lead}还有什么可以帮您？`,
  alreadyWithAgent: '客服已经在为您服务，请直接留言。',
  afterHours: (opens) => `人工客服的服务时间是每天 ${opens} 起，现在不在服务时间。可以为您登记回电，客服上班后会尽快给您打电话。`,
  safetyFirst:
    '为了安全，请立即停止使用设备并断开电源，远离设备；如有明火或有人受伤，请马上拨打 119 或 120。我们正在为您优先转接人工客服。',
  misunderstoodTwice: '抱歉，我还是没能理解，为您转接人工客服。',
  complaintToPerson: '非常抱歉给您带来不好的体验，为您优先转接人工客服处理投诉。',
  waitCancelled: '好的，已取消排队。',
  waitTooLong: '目前咨询人数较多，让您久等了。您可以继续等待，也可以回复“回电”登记回电，客服会尽快给您打电话。',
  agentJoined: (agent) => `人工客服已接入（${agent}），请问有什么可以帮您？`,
  agentLeft: '人工服务已结束，接下来由智能助手继续为您服务。',
  chatClosed: '本次服务已结束，感谢您的咨询。如还有问题，随时给我们留言。',
  leftFlow: (flow, kept) =>
    kept.length
      ? `好的，${flow}先取消了。您已经提供的${kept.join('、')}我先为您保留 24 小时，之后说“${flow}”就能接着办。`
      : `好的，${flow}已取消。`,
  keptNote: (flow, kept) => `刚才${flow}已填写的${kept.join('、')}为您保留 24 小时。`,
  resumeDraft: (flow) => `上次的${flow}还没提交，要继续吗？`,
  offerBack: (flow) => `刚才的${flow}还没办完，要继续吗？`,
  resumeYes: '继续',
  resumeRestart: '重新开始',
  resumeNo: '不用了',
  resumed: (flow) => `好的，我们接着办${flow}。`,
  startingOver: '好的，我们重新开始。',
  notResumed: (flow, kept) => (kept ? `好的。已填写的信息为您保留 24 小时，需要时说“${flow}”就能接着办。` : '好的。'),
  switched: (flow, kept) => (kept ? `好的，${flow}先不办了，已填写的信息为您保留 24 小时。` : `好的，${flow}先不办了。`),
  goodbye: '不客气，感谢您的咨询！之后有需要，随时给我留言。',
  notOurs: ({ word, kind, maker }) =>
    (kind === 'product'
      ? `抱歉，我们不生产${word}，没办法为它提供维修和售后服务，建议您联系该品牌的官方售后。`
      : `抱歉，${word}不是我们生产的产品，我们没办法为它提供维修和售后服务，建议您联系${maker ?? '该品牌'}的官方售后。`) +
    '如果您要咨询的是我们的产品，可以选择下面的服务，或者回复“转人工”联系客服。',
  draftFacts: {
    modelId: '型号',
    categoryId: '产品类型',
    serial: '序列号',
    purchaseDate: '购买日期',
    symptom: '故障描述',
    damage: '损坏情况',
    serviceMode: '服务方式',
    address: '地址',
    name: '称呼',
    phone: '联系电话',
  },
};

const en: Texts = {
  greeting: "Hello, I'm the after-sales service assistant. Happy to help!",
  menuPrompt: 'What can I do for you? Pick an option below, or just describe the problem.',
  menuAgain: 'Anything else I can help with?',
  notUnderstood: 'Sorry, I didn\'t quite get that. Pick a service below, or say "agent" to talk to a person.',
  cancelled: "OK, I've cancelled that.",
  nothingToCancel: "There's nothing in progress to cancel.",
  backToMenu: 'OK, back to the main menu.',
  humanRequested:
    "I've asked for an agent to join; they'll be with you as soon as possible. Meanwhile you can keep using the self-service options below.",
  humanAlreadyRequested: "Your request for an agent is already in the queue; they'll join as soon as they can.",
  helpAtMenu:
    "You're at the main menu. I can help you report a fault, troubleshoot, check your warranty, book a visit, " +
    'check a ticket, rate our service, make a complaint, or talk to an agent. ' +
    'Tap an option or describe the problem in a sentence. At any time, say "cancel" to stop, "menu" for the main menu, or "agent" for a person.',
  helpInFlow: (flow) =>
    `You're in "${flow}"; please answer the question above to go on. Say "cancel" to stop, "menu" for the main menu, or "agent" for a person.`,
  comingSoon: (service) => `Sorry, "${service}" can't be done online yet. Say "agent" and a colleague will take care of it.`,
  menu: {
    fault_report: 'Report a fault',
    troubleshoot: 'Troubleshooting',
    warranty: 'Warranty check',
    appointment: 'Book a visit',
    ticket_status: 'Ticket status',
    rating: 'Rate our service',
    complaint: 'Complaint',
    human: 'Talk to an agent',
  },
  flowNames: {
    faultReportDialog: 'Report a fault',
    warrantyDialog: 'Warranty check',
    ticketStatusDialog: 'Ticket status',
    troubleshootDialog: 'Troubleshooting',
    faqDialog: 'Questions',
    ratingDialog: 'Rating',
    callbackDialog: 'Call-back',
  },
  sorry: 'Sorry, something went wrong on our side. Please try again in a moment.',
  thenMenu: (lead) => `${lead} Anything else I can help with?`,
  alreadyWithAgent: 'An agent is already with you; just write your message.',
  afterHours: (opens) =>
    `Our agents are available from ${opens}; it's outside those hours now. I can register a call-back so an agent phones you when they start.`,
  safetyFirst:
    'For your safety, stop using the device, unplug it and keep away from it. If there is fire or anyone is hurt, call 119 or 120 now. I am putting you through to an agent with priority.',
  misunderstoodTwice: "Sorry, I still don't understand. Let me put you through to an agent.",
  complaintToPerson: "I'm sorry about your experience. Let me put you through to an agent with priority to handle your complaint.",
  waitCancelled: "OK, you've left the queue.",
  waitTooLong:
    'Sorry for the long wait: many customers are asking right now. You can keep waiting, or reply "call back" and an agent will phone you.',
  agentJoined: (agent) => `An agent (${agent}) has joined. How can we help?`,
  agentLeft: 'The agent has finished; the assistant is back to help you.',
  chatClosed: 'This conversation has ended. Thank you for contacting us; write any time if you need more help.',
  leftFlow: (flow, kept) =>
    kept.length
      ? `OK, I've paused "${flow}". I'll keep what you've told me (${kept.join(', ')}) for 24 hours; say "${flow}" to pick it up again.`
      : `OK, I've stopped "${flow}".`,
  keptNote: (flow, kept) => ` What you entered for "${flow}" (${kept.join(', ')}) is kept for 24 hours.`,
  resumeDraft: (flow) => `Your earlier "${flow}" hasn't been submitted yet. Shall we continue it?`,
  offerBack: (flow) => `"${flow}" isn't finished yet. Shall we go back to it?`,
  resumeYes: 'Continue',
  resumeRestart: 'Start over',
  resumeNo: 'No thanks',
  resumed: (flow) => `OK, let's continue with "${flow}".`,
  startingOver: "OK, let's start again.",
  notResumed: (flow, kept) => (kept ? `OK. What you entered is kept for 24 hours; say "${flow}" whenever you want to continue.` : 'OK.'),
  switched: (flow, kept) => (kept ? `OK, I've put "${flow}" aside; what you entered is kept for 24 hours.` : `OK, I've stopped "${flow}".`),
  goodbye: "You're welcome, and thanks for contacting us! Write any time if you need anything else.",
  notOurs: ({ word, maker }) =>
    `Sorry, ${word} is not a product we make, so we can't repair or service it. Please contact ${maker ? `${maker}'s` : "the maker's"} official after-sales service. ` +
    'If your question is about one of our products, pick a service below or say "agent" to talk to a person.',
  draftFacts: {
    modelId: 'model',
    categoryId: 'product type',
    serial: 'serial number',
    purchaseDate: 'purchase date',
    symptom: 'problem description',
    damage: 'damage',
    serviceMode: 'service option',
    address: 'address',
    name: 'name',
    phone: 'phone number',
  },
};

const catalogues: Record<Locale, Texts> = { 'zh-CN': zhCN, en };

export function textsFor(locale: Locale): Texts {
  return catalogues[locale];
}
