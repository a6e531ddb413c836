import type { Intent } from './intents';
import { normalizeUtterance } from './language';

/**
 * What a customer can say at any point of any conversation. `goodbye` ends whatever is going on;
 * `done` ("没有了", "谢谢") closes the conversation at the menu but is an ordinary answer inside a flow.
 */
export type GlobalCommand = 'cancel' | 'help' | 'menu' | 'human' | 'goodbye' | 'done';

/** Whole messages that are a command (compared after normalizeUtterance). */
const WHOLE_MESSAGE: Record<'help' | 'menu' | 'human', string[]> = {
  help: ['帮助', '帮忙', '怎么用', '能做什么', '你能做什么', '有什么功能', '不知道怎么弄', '?', 'help', 'whatcanyoudo'],
  menu: [
    '菜单',
    '主菜单',
    '返回菜单',
    '回到菜单',
    '返回主菜单',
    '重新开始',
    '从头开始',
    '重来',
    'menu',
    'mainmenu',
    'restart',
    'startover',
  ],
  human: ['人工', '客服', '真人', '人工服务', 'human', 'agent', 'person', 'operator'],
};

/**
 * Words that leave what is going on. A message is a cancel when it is made of these and the softeners
 * below only ("那算了吧", "算了不修了", "好吧先这样"), so that "取消预约" or "不取消" is not one.
 */
const CANCEL_WORDS = [
  '取消',
  '退出',
  '结束',
  '算了',
  '不要了',
  '不用了',
  '先不用了',
  '暂时不用了',
  '不需要了',
  '不办了',
  '先不办了',
  '不弄了',
  '先不弄了',
  '不想弄了',
  '不想办了',
  '不修了',
  '不报修了',
  '先不报修了',
  '不查了',
  '不评了',
  '不评价了',
  '不问了',
  '先这样',
  '以后再说',
  '下次再说',
  '改天再说',
  '回头再说',
  '再说吧',
  '晚点再试',
  '晚点再说',
  '等会再试',
  '待会再试',
  '回头再试',
  '改天再试',
  '稍后再试',
  '有空再试',
  'cancel',
  'cancelit',
  'cancelthat',
  'quit',
  'exit',
  'stop',
  'nevermind',
  'forgetit',
  'forgetaboutit',
  'forgetthat',
  'dontbother',
];
/** The words that only cancel: at the menu they are answered "nothing to cancel", the others as a goodbye. */
const EXPLICIT_CANCEL = ['取消', '退出', 'cancel', 'quit', 'exit'];
const GOODBYE_WORDS = ['再见', '拜拜', '拜', '回见', 'bye', 'byebye', 'goodbye', 'seeyou'];
/** Closing remarks: the end of the conversation at the menu, an answer like any other inside a flow. */
const DONE_WORDS = [
  '没有了',
  '没了',
  '没事了',
  '没别的了',
  '没有别的了',
  '没其他的了',
  '没有其他的了',
  '就这些',
  '没问题了',
  '谢谢',
  '谢谢你',
  '谢谢您',
  '多谢',
  '感谢',
  '非常感谢',
  '谢啦',
  'thanks',
  'thankyou',
  'thx',
  'thatsall',
  'thatsit',
  'nothingelse',
  'nothanks',
];
/** Softeners around a command that do not change it. */
const SOFTENERS = [
  '请',
  '麻烦',
  '帮我',
  '给我',
  '我要',
  '我想',
  '那',
  '那就',
  '那我',
  '好吧',
  '好的',
  '好',
  '嗯',
  '哦',
  '噢',
  '唉',
  '哎',
  '还是',
  '我',
  '先',
  '吧',
  '了',
  '啊',
  '呀',
  '呢',
  '哈',
  '啦',
  '一下',
  'ok',
  'okay',
  'please',
  'then',
  'oh',
  'well',
  'just',
  'i',
  'wantto',
  'iwantto',
];

/** Whether `bare` is made only of `keys` and `fillers`, with at least one key. */
function composedOf(bare: string, keys: readonly string[], fillers: readonly string[]): boolean {
  // reachable[i]: the first i characters can be split; 1 = fillers only so far, 2 = with a key.
  const reachable = new Array<number>(bare.length + 1).fill(0);
  reachable[0] = 1;
  for (let i = 0; i < bare.length; i += 1) {
    if (!reachable[i]) continue;
    for (const word of keys) if (bare.startsWith(word, i)) reachable[i + word.length] = 2;
    for (const word of fillers) {
      if (bare.startsWith(word, i)) reachable[i + word.length] = Math.max(reachable[i + word.length], reachable[i]);
    }
  }
  return reachable[bare.length] === 2;
}

/** Polite wrapping that does not change a command ("请帮我转人工吧" is still 转人工). */
const FILLERS = /^(请|麻烦|帮我|我要|我想|我需要|给我|please|iwantto|iwant|idliketo)+|(吧|了|呢|啊|一下|谢谢|please|thanks)+$/gu;

function wholeCommandOf(bare: string): GlobalCommand | undefined {
  const stripped = bare.replace(FILLERS, '') || bare;
  return (Object.keys(WHOLE_MESSAGE) as Array<keyof typeof WHOLE_MESSAGE>).find(
    (command) => WHOLE_MESSAGE[command].includes(bare) || WHOLE_MESSAGE[command].includes(stripped),
  );
}

function commandOfClause(clause: string): GlobalCommand | undefined {
  const bare = normalizeUtterance(clause);
  if (!bare) return undefined;
  if (composedOf(bare, CANCEL_WORDS, [...SOFTENERS, ...DONE_WORDS, ...GOODBYE_WORDS])) return 'cancel';
  if (composedOf(bare, GOODBYE_WORDS, [...SOFTENERS, ...DONE_WORDS])) return 'goodbye';
  if (composedOf(bare, DONE_WORDS, SOFTENERS)) return 'done';
  return wholeCommandOf(bare);
}

/** "我晚点再试", "回头再弄", "明天再说", "I'll try later": said with a cancel, it is still a cancel. */
const LATER_REMARK =
  /^(?:我|那|等|我们)?(?:晚点|晚些|晚一点|回头|以后|改天|下次|明天|有空|等会儿?|一会儿?|过会儿?|稍后|过两天)(?:我)?(?:再|自己)?(?:试试?|试一下|弄|看看?|说|来|联系|处理|问|找你们)?(?:吧|了|啊|哈)?$|^(?:ill|iwill|illjust)?(?:try|trythat|dothat|checkit|comeback|askagain)?(?:again)?later$/u;

/** Phrases that ask for a person wherever they stand in a sentence ("我要转人工，机器人听不懂"). */
const HUMAN_ANYWHERE = [
  '转人工',
  '人工客服',
  '找真人',
  '真人客服',
  '找客服',
  '接人工',
  '人工服务',
  'talktoahuman',
  'realperson',
  'talktoaperson',
  'talktoanagent',
  'humanagent',
  'liveagent',
];

/**
 * The command a whole message is, if any. "算了，不要了" is a command because each of its clauses
 * is; "取消订单后怎么退款" is a question that merely contains one.
 */
export function recognizeCommand(text: string): GlobalCommand | undefined {
  const bare = normalizeUtterance(text);
  if (!bare) return undefined;
  const whole = commandOfClause(text);
  if (whole) return whole;
  const clauses = text.split(/[\s\p{P}]+/u).filter((clause) => normalizeUtterance(clause));
  // "先这样吧，我晚点再试": a remark about later goes with leaving and does not change it.
  const said = clauses.filter((clause) => !LATER_REMARK.test(normalizeUtterance(clause)));
  const leaving = said.length && said.length < clauses.length ? commandOfClause(said.join('')) : undefined;
  if (leaving === 'cancel' || leaving === 'goodbye') return leaving;
  const commands = new Set(clauses.map(commandOfClause));
  // "太麻烦了，人工": a clause that is a request for a person is one, whatever else is said around it.
  if (clauses.length > 1 && commands.has('human')) return 'human';
  if (clauses.length > 1 && commands.size === 1) {
    const [only] = commands;
    if (only) return only;
  }
  if (HUMAN_ANYWHERE.some((phrase) => bare.includes(phrase))) return 'human';
  return undefined;
}

/** 取消 / cancel itself, as opposed to 算了 or 不用了, which at the menu are a goodbye. */
export function isExplicitCancel(text: string): boolean {
  return composedOf(normalizeUtterance(text), EXPLICIT_CANCEL, SOFTENERS);
}

/**
 * Short requests for a service, understood in every state of every conversation ("给个评价" while
 * a 报修 is asking for the serial). Compared whole, after the softeners of a request.
 */
const SHORT_REQUESTS: Partial<Record<Intent, string[]>> = {
  rating: [
    '评价',
    '给个评价',
    '评价一下',
    '去评价',
    '给评价',
    '服务评价',
    '评价服务',
    '打个分',
    '打分',
    '评个分',
    '评分',
    '给个评分',
    '给你们评价',
    '给你们打分',
    '给个评价吧',
    'rate',
    'rating',
    'rateus',
    'rateourservice',
    'ratetheservice',
    'rateyourservice',
    'leavearating',
    'leaveareview',
    'givearating',
    'givefeedback',
    'feedback',
  ],
  ticket_status: [
    '查工单',
    '查下工单',
    '查一下工单',
    '查查工单',
    '查一下我的工单',
    '查下我的工单',
    '查询工单',
    '工单查询',
    '工单进度',
    '查工单进度',
    '查进度',
    '查下进度',
    '查一下进度',
    '查查进度',
    '查询进度',
    '进度查询',
    '维修进度',
    '查维修进度',
    '查单子',
    '查下单子',
    '查一下单子',
    '查查单子',
    '我的工单',
    '我的单子',
    '工单',
    '进度',
    '工单到哪了',
    '单子到哪了',
    'ticketstatus',
    'checkticket',
    'checkmyticket',
    'checkticketstatus',
    'mytickets',
    'myticket',
    'repairstatus',
  ],
  complaint: ['投诉', '要投诉', '投诉你们', '我要投诉你们', '我要求投诉', 'complaint', 'complain', 'makeacomplaint', 'fileacomplaint'],
  warranty: [
    '保修查询',
    '查保修',
    '查下保修',
    '查一下保修',
    '查查保修',
    '查询保修',
    '保修期查询',
    '查保修期',
    'warranty',
    'warrantycheck',
    'checkwarranty',
    'checkmywarranty',
  ],
  fault_report: ['报修', '要报修', '申请报修', '申请维修', '我要维修', '报个修', 'reportafault', 'reportfault', 'reportaproblem', 'repair'],
  troubleshoot: ['故障排查', '排查故障', '自助排查', 'troubleshoot', 'troubleshooting'],
};
const REQUEST_SOFTENERS = [
  '请',
  '麻烦',
  '帮我',
  '给我',
  '我要',
  '我想',
  '想',
  '要',
  '还是',
  '直接',
  '那',
  '你好',
  '您好',
  '一下',
  '吧',
  '了',
  '呢',
  '啊',
  '哈',
  'please',
  'iwantto',
  'idliketo',
  'i',
  'want',
  'to',
  'hi',
  'hello',
  'can',
  'you',
];
const SHORT_REQUEST_OF = new Map<string, Intent>();
for (const [intent, words] of Object.entries(SHORT_REQUESTS) as Array<[Intent, string[]]>) {
  for (const word of words) SHORT_REQUEST_OF.set(normalizeUtterance(word), intent);
}
const SHORT_REQUEST_WORDS = [...SHORT_REQUEST_OF.keys()];

/** Requests for another service that stand clear inside a longer message ("师傅没来，我要投诉"). */
const REQUESTS_ANYWHERE: Array<[RegExp, Intent]> = [
  [/(?<![不别没])(?:我要|我想|我要求)投诉/u, 'complaint'],
  // 给你们打个分, 我就想评价一下, 只想给个好评: said of the service, not negated.
  [
    /(?<![不别没])(?:(?:我|就|只)?(?:要|想)(?:给(?:你们|您|你)?(?:的服务)?)?(?:评价|打分|打个分|评个分|评分)|给(?:你们|您|你)?(?:的服务)?(?:打个?分|评个?分|个?评价|个?好评|个?差评)|评价一下)/u,
    'rating',
  ],
  // A request to look it up, not a mention (上次维修进度太慢了 is a complaint about the last repair).
  [/查(?:一?下|查|询|询一下)?(?:我的|一下我的)?(?:工单|单子|维修进度|工单进度)/u, 'ticket_status'],
];

/** The service a short request asks for ("给个评价", "查下单子", "投诉"), compared whole. */
export function shortRequestOf(text: string): Intent | undefined {
  const bare = normalizeUtterance(text);
  if (!bare || bare.length > 24) return undefined;
  const exact = SHORT_REQUEST_OF.get(bare);
  if (exact) return exact;
  for (const word of SHORT_REQUEST_WORDS) {
    if (bare.includes(word) && composedOf(bare, [word], REQUEST_SOFTENERS)) return SHORT_REQUEST_OF.get(word);
  }
  return undefined;
}

/** A short request, or a request for another service that stands clear inside the message. */
export function requestIn(text: string): Intent | undefined {
  const short = shortRequestOf(text);
  if (short) return short;
  const folded = text.normalize('NFKC').toLowerCase();
  return REQUESTS_ANYWHERE.find(([pattern]) => pattern.test(folded))?.[1];
}

/** A first clause that drops what is going on, followed by what the customer wants instead. */
const CHANGE_OF_MIND = [
  /^(?:那|我)?(?:还是)?(?:算了|不用了|不要了|不办了|不弄了|不需要了|(?:先|就)?不(?:想|要|用)?(?:报修|修|维修|修了|查|评价|评|投诉|排查|问|弄|办)了?|(?:我)?(?:不是|并不是|没想|没说)(?:要|想)?(?:报修|修|维修|查|投诉|排查))(?:吧|啊|哈)?[\s\p{P}]*(?<rest>\S.*)$/u,
  // English: "never mind, …", "I don't want a repair any more, …".
  /^(?:never ?mind|forget (?:it|that|about it)|cancel (?:it|that)|no need|i don'?t want (?:it|that|to report|a repair) (?:any ?more|now))[\s,.;!]+(?<rest>\S.*)$/iu, // 'any' is the English word, not a type
];

/**
 * What a customer who changes their mind wants instead: "不报修了，我要投诉" → "我要投诉". Undefined
 * when the message does not start by dropping something, or says nothing else.
 */
export function changeOfMind(text: string): string | undefined {
  const trimmed = text.normalize('NFKC').trim();
  for (const pattern of CHANGE_OF_MIND) {
    const rest = pattern.exec(trimmed)?.groups?.rest?.trim();
    if (rest && normalizeUtterance(rest).length >= 2 && !recognizeCommand(rest)) return rest;
  }
  return undefined;
}

const QUESTION =
  /[?？]|[吗么嘛][啊呀呢]?$|呢$|怎么|怎样|如何|多少|多久|多长时间|几天|几年|几个月|哪里|哪儿|哪些|为什么|为啥|能不能|能否|可不可以|是不是|是否|有没有|要不要/u;
const ENGLISH_QUESTION = /^(?:how|what|why|when|where|which|who|can|could|does|do|is|are|will|would|should)\b/i;

/** Whether a message asks something (a question the manual may answer) rather than answers. */
export function looksLikeQuestion(text: string): boolean {
  const folded = text.normalize('NFKC').trim();
  return QUESTION.test(folded) || ENGLISH_QUESTION.test(folded);
}
