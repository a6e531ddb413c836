import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readContactFacts, type Honorific } from './contactFacts';
import { extractMobile, extractTaobaoOrderId } from './contacts';
import { knowledgeDataDir } from './dataFiles';
import { scopeOfNotOurs, type ProductScope } from './productScope';
import { parsePurchaseDate } from './purchaseDate';
import { cueMatcher } from './cueRules';
import { defaultIntentsFile, loadIntentFile } from './intentFile';
import { loadLexicon, symptomCues, type Lexicon } from './intentLexicon';
import type { ProductVocabulary } from './recognizer';

/*
 * What a service desk needs to know, read from whatever the customer writes, whenever they write it:
 * "我的X20 Pro摔了一下屏幕碎了，电话13800138000" holds the model, a drop, the symptom and a phone, and
 * none of them should be asked for again. The symptom is kept in the customer's own words, only cut
 * free of greetings, requests and product names; it is never rephrased.
 */

/** Damage that the 三包 rules exclude from free repair. Repairs elsewhere count as unauthorised disassembly. */
export type DamageKind = 'physicalDamage' | 'liquid' | 'disassembled';
export const DAMAGE_KINDS: readonly DamageKind[] = ['physicalDamage', 'liquid', 'disassembled'];

export interface MessageFacts {
  category?: string;
  modelId?: string;
  serial?: string;
  phone?: string;
  /** A Taobao order number. */
  orderId?: string;
  /** YYYY-MM-DD; only from a clause that speaks of buying (前年618买的), so 昨天开始的 is not a purchase. */
  purchaseDate?: string;
  approximateDate?: boolean;
  /** The fault in the customer's words ("屏幕碎了", "左耳没声音了"). */
  symptom?: string;
  /** true: it happened ("摔了一下"); false: the customer said it did not ("没进水"). */
  damage: Partial<Record<DamageKind, boolean>>;
  /** The customer's words for damage that happened, for the ticket and for saying why it is paid. */
  damageWords: string[];
  /** Proof of purchase: true "有发票", false "发票丢了". */
  proof?: boolean;
  /** A product the company neither makes nor services, named without one of ours (洗衣机坏了). */
  foreignProduct?: string;
  /** A question about what a repair costs (换屏多少钱, how much to replace the screen). */
  asksFee: boolean;
  /** How the customer wants it serviced, when they say so (要寄修, 能上门吗 is a question, not a wish). */
  serviceMode?: ServiceModeWish;
  /** Only when clearly given (我叫王小明, 联系人李女士 → 李): see contactFacts.ts. Personal: never logged unmasked. */
  customerName?: string;
  honorific?: Honorific;
  /** The street address in the customer's words (徐汇区漕溪北路88号3楼). Personal: mask with desk/privacy.ts. */
  address?: string;
}

/** The desk's service modes (desk/model.ts ServiceMode), named here since knowledge/ never imports desk/. */
export type ServiceModeWish = 'onsite' | 'carryIn' | 'mailIn';

export interface ReadOptions {
  /** Today as YYYY-MM-DD; without it no purchase date is read. */
  today?: string;
}

/** Where one thing said ends and another begins. */
const CLAUSE_END = /[，,。.!！?？;；、\n~～]+/u;

const fold = (text: string): string => text.normalize('NFKC').toLowerCase();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// --- damage ------------------------------------------------------------------------------------

const DAMAGE_CUES: Record<DamageKind, RegExp> = {
  physicalDamage:
    /摔|跌落|掉(?:到|在)?地(?:上|下)?|掉下(?:来|去)|磕(?:到|碰|坏|了|破)|撞(?:到|坏|了|击)|压(?:坏|碎|弯|到|了)|挤压|踩(?:坏|碎|了|到)|砸|碎|裂|\bdrop(?:ped)?\b|\bfell\b|\bcrack(?:ed|s)?\b|\bsmashed\b|\bshattered\b|\bcrushed\b/u,
  liquid:
    /进(?:了|过)?水|泡(?:了|过)?水|泡了|掉(?:进|到|在)?水(?:里|中)|淋(?:了)?雨|淋湿|浸(?:了)?水|[洒撒泼倒](?:了)?(?:水|饮料|咖啡|茶|可乐|牛奶)|受潮|弄湿|湿了|进(?:了)?(?:汤|饮料|咖啡|茶|可乐|油)|\bwater\b|\bwet\b|\bliquid\b|\bspill(?:ed)?\b|\brain\b|\bsoaked\b/u,
  disassembled:
    /(?:第三方|外面|别人|路边|街边|小店|其他店|维修店|手机店|非官方|非授权|网上找人)[^，,。]{0,5}(?:修|换|拆)|拆(?!封|包装|快递|箱|盒)|私拆|\bopened (?:it|the)\b|\btook (?:it )?apart\b|\bdisassembl\w*|\bthird[- ]party\b|\brepair shop\b/u,
};

/** A negator just before a cue in the same clause calls it off: 没摔过, 没有进过水, 从来没拆过, 不是摔的. */
const NEGATED_BEFORE =
  /(?:没|没有|没有过|从没|从来没|从来没有|从未|未曾|未|不曾|并没|并没有|也没|都没|无|不是|没被)[^，,。没]{0,3}$|(?<![a-z])(?:never|not|no|didn'?t|hasn'?t|haven'?t|wasn'?t|isn'?t|without)\s+(?:\w+\s+)?$/u;
/** Said of what might happen, not of what did: 会不会进水, 能泡水吗, 怕摔. */
const HYPOTHETICAL_BEFORE =
  /(?:会|能|可以|怕|担心|如果|万一|要是|防止|避免|能否|是否|会不会|能不能|防|耐|抗)[^，,。]{0,6}$|(?<![a-z])(?:if|can|could|would|will)\s+(?:\w+\s+){0,3}$/u;

// --- symptoms ----------------------------------------------------------------------------------

/** A part and what happened to it (充电口松了, 屏幕有条纹): faults the guides' phrases do not list. */
const PART_FAULT =
  /(?:屏幕?|显示屏|触屏|电池|充电口|充电器|充电线|接口|按键|按钮|键盘|喇叭|扬声器|听筒|麦克风|话筒|摄像头|镜头|左耳|右耳|耳机|遥控器|电源|天线|网口|表带|充电仓|主板|背光|后盖|边框|指纹|wifi|蓝牙|画面|声音)[^，,。！？!?]{0,6}(?:坏|碎|裂|断|松|歪|鼓|烂|进水|烧|失灵|不灵|不好使|没反应|没用|不行|不能用|用不了|有问题|有毛病|条纹|亮线|亮点|坏点|漏光|发黄|发紫|发绿)|没有?(?:图像|画面|图|声音|声|信号|网络?|反应|电|显示)|杂音|异响|噪音|电流声|滋滋|条纹|亮线|坏点|漏光|鼓包|\bcracked\b|\bbroken\b|\bdead\b|\bstopped working\b|\bwon'?t (?:charge|turn on|start|connect)\b|\bdoes(?:n'?t| not) (?:charge|turn on|work|connect)\b|\bno (?:sound|signal|picture|power)\b/iu;

/** Chatter in front of what the customer says about the fault. */
const LEADING_CHATTER =
  /^(?:你好|您好|哈喽|嗨|在吗|在不在|亲|客服|请问|问一下|问下|麻烦(?:你|您)?了?|帮(?:我|忙)|我要报修|报修|我(?:的|这|家)?|想要|想|要|那个|这个|就是|嗯+|额+|呃+|啊|哦|是这样的?)[\s:：]*|^(?:hi|hello|hey|please|my|the|i (?:want|need|would like) to (?:report|repair|fix)(?: a fault)?)(?![a-z])[\s,:]*/iu;
/** 刚买的, 买了5天的: when it was bought, said in front of the fault. */
const LEADING_PURCHASE = /^(?:刚|新)?(?:买|用)(?:了|来)?(?:[^，,。的]{0,6}的)?/u;
/** What follows the fault: the request or the question about it, which the ticket does not need. */
const TRAILING = [
  /(?:是)?(?:怎么办|咋办|咋整|怎么弄|怎么回事|怎么处理|怎么解决|啥情况|什么情况|能修吗|能修好吗|可以修吗|还能修吗|能不能修|能退吗|能换吗|可以退吗|可以换吗|退不退|保修吗|保不保修?|在保吗|要多少钱|多少钱|收费吗|要钱吗)$/u,
  /(?:想要|我想|我要|想|要|需要|得|请|麻烦|帮我|给我|帮忙)?(?:报修|维修|修理|修一下|修修|送修|寄修|返修|修|处理一下|处理|看看|看一下|检修|检测一下)(?:一下)?$/u,
  /(?:想要|我想|我要|想|要)$/u,
  /[吗呢啊呀吧哦么嘛哈诶]+$/u,
  /\s*(?:please|thanks|thank you)$/iu,
];

/** Button labels and bare answers: a pressed button is never the customer's description of a fault. */
const NOT_A_DESCRIPTION =
  /^(?:不知道|不清楚|不记得了?|忘了|找不到|跳过|换个方式|转人工|还是不行|没好|好了|是的?|不是|对|有|没有|都没有|确认提交|修改信息|同意|不同意|yes|no|skip|agent)$/iu;

// --- service mode ------------------------------------------------------------------------------

const SERVICE_MODE_WORDS: Array<[ServiceModeWish, RegExp]> = [
  ['mailIn', /寄修|寄过去|寄回去|邮寄|快递过去|寄到你们|寄给你们|\bmail[- ]?in\b|\bsend it in\b/iu],
  ['onsite', /上门|到家里?修|来家里|\bon[- ]?site\b|\bhome visit\b|\bcome to my\b/iu],
  ['carryIn', /送修|送过去|送到网点|拿去网点|拿到网点|到店|去网点|网点修|\bcarry[- ]?in\b|\bbring it in\b/iu],
];
/** A clause that asks about a service mode (上门要钱吗, 寄修多久) does not choose it. */
const ASKS = /[吗么?？]$|多久|多少|几天|怎么|能不能|可不可以|是否|how|what|can i|\?/iu;

// --- purchase, proof, fees ---------------------------------------------------------------------

const PURCHASE_CUE = /买|购|入手|下单|到手|收到货|收货|拿到|提货|用了|bought|purchased|ordered|got it/u;
const PROOF_WORD = '(?:发票|收据|小票|购物凭证|购买凭证|购机凭证|凭证|订单截图|保修卡|invoice|receipt)';
const PROOF_MISSING = new RegExp(
  `(?:没有?|没开|丢了|弄丢了|找不到|没留|没保存|不见了|no|lost|don'?t have)[^，,。]{0,3}${PROOF_WORD}|${PROOF_WORD}[^，,。]{0,3}(?:丢了|没了|找不到|不见了|没有|没留|lost|missing)`,
  'iu',
);
const PROOF_PRESENT = new RegExp(
  `(?:有|带着?|留着|保留着?|开了|拿着|have|got)[^，,。没]{0,3}${PROOF_WORD}|${PROOF_WORD}[^，,。]{0,2}(?:在|还在|有的|留着)`,
  'iu',
);

/** How much a repair costs, not a policy question (会不会乱收费) nor a price of something else (运费, 延保). */
const PRICE_QUESTION =
  /多少钱|多少米|几块钱|几百块?|什么价|啥价|价格(?:是|多少|大概)|大概什么价|价位|价钱|费用(?:是|多少|大概)|收费(?:标准|多少)|要多少|花多少|贵不贵|多少(?:呀|啊|呢)?[?？]?$|\bhow much\b|\bwhat (?:does|would|will) (?:it )?cost\b|\bcost(?:s)? to\b|\bprice (?:of|for|to)\b|\brepair (?:fee|cost|price)\b|\bfee for\b/iu;
const REPAIR_WORK = /换|修|更换|补|配一|replace|repair|fix|change/iu;
const NOT_A_REPAIR_PRICE =
  /运费|邮费|快递费|延保|保险|会员|话费|流量|月租|套餐|新机|买一?[个台部只]|售价|卖|shipping|extended warranty|to buy/iu;

/** Where "不知道" is a complete answer: no serial, no date, no model. */
const DONT_KNOW =
  /^(?:我|也|都|真|实在)*(?:不知道|不晓得|不清楚|不记得|记不清|记不得|忘了|忘记了|搞忘了|找不到|没找到|看不到|看不见|没看到|不确定|不懂|没有|没|没留意|没注意|查不到)(?:了|啊|呢|诶|耶|哦|呀|欸)*(?:[^，,。]{0,8})$|^(?:i )?(?:don'?t|do not) know|^no idea|^not sure|^(?:i )?can'?t find|^(?:i )?forgot|^none$|^no$/iu;
const SKIP = /^(?:先)?跳过|^下一步$|^不填|^先不填|^skip\b/iu;
const ANOTHER_WAY = /^换个方式|^换一种方式|^其他方式|^another way|^other ways?$/iu;

/** "不知道", "找不到", "没有", "忘了": the customer cannot tell, which is an answer too. */
export function saysDontKnow(text: string): boolean {
  const bare = fold(text)
    .trim()
    .replace(/[。.!！~～]+$/u, '');
  // Short: a Chinese answer of a few characters, an English one of a few words ("I don't know the serial").
  const short = /^[\x20-\x7e]+$/.test(bare) ? bare.split(/\s+/).length <= 6 : bare.length <= 16;
  return bare.length > 0 && short && DONT_KNOW.test(bare);
}

export function saysSkip(text: string): boolean {
  return SKIP.test(fold(text).trim());
}

export function saysAnotherWay(text: string): boolean {
  return ANOTHER_WAY.test(fold(text).trim());
}

/** The serial cannot be told: 没有序列号, 序列号找不到, 不知道在哪看, I don't have the serial. */
const NO_SERIAL =
  /(?:不知道|不晓得|不清楚|找不到|没找到|看不到|看不清|看不见|没有|没|查不到|忘了)[^，,。]{0,6}(?:序列号|sn\b|串号)|(?:序列号|sn\b|串号)[^，,。]{0,8}(?:不知道|不晓得|不清楚|找不到|没找到|看不到|看不清|看不见|没有|查不到|忘了|在哪|哪里)|(?:don'?t|do not|can'?t|cannot|no)\b[^.,]{0,24}\bserial|\bserial\b[^.,]{0,20}\b(?:where|lost|missing|can'?t find)/iu;

export function saysNoSerial(text: string): boolean {
  return NO_SERIAL.test(fold(text));
}

/** Asks where the serial is printed (序列号在哪里看, where is the serial). */
export function asksWhereSerial(text: string): boolean {
  return /(?:序列号|sn\b|串号)[^，,。]{0,6}(?:在哪|哪里|哪儿|怎么看|怎么查|怎么找)|(?:在哪|哪里|怎么)[^，,。]{0,4}(?:看|找|查)[^，,。]{0,3}(?:序列号|sn\b)|where[^.?]{0,20}\bserial/iu.test(
    fold(text),
  );
}

/** Wants the repair itself now (还是报修吧, 算了直接报修, 帮我报修, just repair it). */
export function wantsRepair(text: string): boolean {
  return /报修|送修吧|修一下吧|直接修|帮我修|要修|拿去修|\brepair (?:it|them)\b|\bget (?:it|them) repaired\b|\breport a fault\b|\bfix it\b/iu.test(
    fold(text),
  );
}

/** A question about what a repair costs (换个屏幕多少钱, 电池换一个多少, how much to replace the screen). */
export function asksAboutFee(text: string): boolean {
  const folded = fold(text);
  return PRICE_QUESTION.test(folded) && REPAIR_WORK.test(folded) && !NOT_A_REPAIR_PRICE.test(folded);
}

// --- the extractor -----------------------------------------------------------------------------

interface NamedWord {
  id: string;
  category: string;
  /** Folded, without separators. */
  key: string;
}

/** A sentence without separators, remembering what each character stood next to (as desk's catalogue does). */
interface Compact {
  text: string;
  gapBefore: boolean[];
}

function compactWithGaps(sentence: string): Compact {
  let text = '';
  const gapBefore: boolean[] = [];
  let gap = false;
  for (const char of fold(sentence)) {
    if (/[\s\-_·]/.test(char)) {
      gap = true;
      continue;
    }
    text += char;
    for (let unit = 0; unit < char.length; unit += 1) gapBefore.push(unit === 0 && gap);
    gap = false;
  }
  gapBefore.push(gap);
  return { text, gapBefore };
}

const keyOf = (word: string): string => fold(word).replace(/[\s\-_·]+/g, '');

/** Where `key` stands as a word of its own: "x20" is not inside "x200" nor "ax20". */
function findWord(sentence: Compact, key: string): number | undefined {
  const alnum = /[a-z0-9]/;
  for (let from = 0; ;) {
    const start = sentence.text.indexOf(key, from);
    if (start < 0) return undefined;
    const end = start + key.length;
    const before = start > 0 && !sentence.gapBefore[start] ? sentence.text[start - 1] : undefined;
    const after = end < sentence.text.length && !sentence.gapBefore[end] ? sentence.text[end] : undefined;
    const clashesBefore = alnum.test(key[0]) && before !== undefined && alnum.test(before);
    const clashesAfter = alnum.test(key[key.length - 1]) && after !== undefined && alnum.test(after);
    if (!clashesBefore && !clashesAfter) return start;
    from = start + 1;
  }
}

/**
 * 电话 and 手机 as labels of a number (电话13800138000, 手机号, 打电话给我) do not name the product.
 * Replaced by a space of the same length, so positions stay.
 */
const CONTACT_LABELS =
  /(?:联系)?(?:电话|手机)(?:号码?|是|为|:|：)?\s*(?=\+?\d{5})|手机号码?|联系方式|(?:打|回|来|留|接)(?:个)?电话|电话(?:联系|号码|给我|打给)/gu;

export interface FactsExtractorData {
  products: ProductVocabulary;
  /** Words that describe a fault (intents.yaml hints, guides' phrases): see symptomCues. */
  symptomCues: string[];
  /** synonyms.yaml `notOurs`: products the company neither makes nor services. */
  notOurs: string[];
}

/** Reads the facts of a message: one reader for every flow, so that each asks only for what is missing. */
export class FactsExtractor {
  private readonly models: NamedWord[];
  private readonly categories: NamedWord[];
  private readonly serialPatterns: { category: string; pattern: RegExp }[];
  private readonly symptomCue: (text: string) => string | undefined;
  /** What is not ours, decided as the dialogs decide it (ProductScope), on the products' own words. */
  private readonly scope: ProductScope;
  /** Product names, longest first, as they are cut out of a symptom. */
  private readonly productWords: RegExp | undefined;

  /** With the shipped intents file and manual (knowledge/data/). */
  static fromFiles(products: ProductVocabulary, dir: string = knowledgeDataDir()): FactsExtractor {
    const intents = loadIntentFile(dir === knowledgeDataDir() ? defaultIntentsFile() : path.join(dir, 'intents.yaml'));
    const lexicon: Lexicon = loadLexicon(dir);
    return new FactsExtractor({ products, symptomCues: symptomCues(intents.hints.symptoms, lexicon), notOurs: loadNotOurs(dir) });
  }

  constructor(data: FactsExtractorData) {
    this.models = data.products.models
      .flatMap(({ id, category, names }) => [id, ...names].map((name) => ({ id, category, key: keyOf(name) })))
      .filter((word) => word.key.length >= 2)
      .sort((a, b) => b.key.length - a.key.length);
    this.categories = data.products.categories
      .flatMap(({ id, words }) => [id, ...words].map((word) => ({ id, category: id, key: keyOf(word) })))
      .filter((word) => word.key.length >= 2)
      .sort((a, b) => b.key.length - a.key.length);
    this.serialPatterns = data.products.serialPatterns.map(({ category, pattern }) => ({
      category,
      pattern: new RegExp(`(?<![A-Z0-9])(?:${pattern.replace(/^\^/, '').replace(/(?<!\\)\$$/, '')})(?![A-Z0-9])`),
    }));
    this.symptomCue = cueMatcher(data.symptomCues);
    this.scope = scopeOfNotOurs(data.notOurs, {
      categoryWords: data.products.categories.flatMap(({ words }) => words),
      ourNames: data.products.models.flatMap(({ id, names }) => [id, ...names]),
    });
    const names = [
      ...data.products.models.flatMap(({ id, names: other }) => [id, ...other]),
      ...data.products.categories.flatMap(({ words }) => words),
    ]
      .map((name) => fold(name).trim())
      .filter((name) => name.length >= 2)
      .sort((a, b) => b.length - a.length);
    // Spaces inside a name may be there or not ("X20 Pro", "x20pro").
    const alternatives = names.map((name) =>
      name
        .split(/[\s\-_·]+/)
        .map(escapeRegExp)
        .join('[\\s\\-_·]*'),
    );
    this.productWords = alternatives.length ? new RegExp(`(?<![a-z0-9])(?:${alternatives.join('|')})(?![a-z0-9])`, 'giu') : undefined;
  }

  /** Everything a message says that the desk needs. */
  read(text: string, options: ReadOptions = {}): MessageFacts {
    const facts: MessageFacts = { damage: {}, damageWords: [], asksFee: asksAboutFee(text) };
    let rest = text.normalize('NFKC');
    const upper = rest.toUpperCase().replace(/(?<=[A-Z0-9])[\s-](?=[A-Z0-9])/g, '');
    for (const { category, pattern } of this.serialPatterns) {
      const match = pattern.exec(upper);
      if (!match) continue;
      facts.serial = match[0];
      facts.category = category;
      rest = blank(rest, new RegExp(match[0].split('').map(escapeRegExp).join('[\\s-]?'), 'i'));
      break;
    }
    const orderId = extractTaobaoOrderId(rest);
    if (orderId) {
      facts.orderId = orderId;
      rest = blank(rest, new RegExp(orderId.split('').join('[\\s-]*')));
    }
    rest = rest.replace(/(?<![a-z])s\s*\d{6}\s*[-–—]?\s*\d{4,}/giu, (m) => ' '.repeat(m.length));
    // Labels first, while the number they label is still there to be seen.
    let withoutLabels = rest.replace(CONTACT_LABELS, (m) => ' '.repeat(m.length));
    const phone = extractMobile(withoutLabels);
    if (phone) {
      facts.phone = phone;
      withoutLabels = blank(withoutLabels, new RegExp(`(?:\\+?86[\\s-]*)?${phone.split('').join('[\\s\\-()（）]*')}`));
    }
    this.readProduct(withoutLabels, facts);
    this.readDamage(withoutLabels, facts);
    this.readProof(withoutLabels, facts);
    this.readServiceMode(withoutLabels, facts);
    if (options.today) this.readPurchaseDate(withoutLabels, options.today, facts);
    const { name: customerName, honorific, address } = readContactFacts(text);
    Object.assign(facts, customerName && { customerName }, honorific && { honorific }, address && { address });
    const symptom = this.symptomOf(withoutLabels, false);
    if (symptom) facts.symptom = symptom;
    return facts;
  }

  /**
   * The answer to "please describe the fault", cut free of chatter and product names but otherwise as
   * written; undefined when nothing is left (a greeting, a button label).
   */
  describedSymptom(answer: string): string | undefined {
    const text = answer.normalize('NFKC').replace(CONTACT_LABELS, ' ');
    const phone = extractMobile(text);
    const rest = phone ? blank(text, new RegExp(phone.split('').join('[\\s-]*'))) : text;
    return this.symptomOf(rest, true);
  }

  private readProduct(text: string, facts: MessageFacts): void {
    const sentence = compactWithGaps(text);
    let model: { word: NamedWord; at: number } | undefined;
    for (const word of this.models) {
      const at = findWord(sentence, word.key);
      // Longest name first: "X20 Pro" before "X20"; among names of one length the first mentioned.
      if (at !== undefined && (!model || (word.key.length === model.word.key.length && at < model.at))) model = { word, at };
      if (model && word.key.length < model.word.key.length) break;
    }
    if (model) facts.modelId = model.word.id;
    // The family is the first one named ("我的耳机连不上手机" is about the earbuds); a model names its family.
    let family: { category: string; at: number; length: number } | undefined;
    const consider = (category: string, at: number, length: number) => {
      if (!family || at < family.at || (at === family.at && length > family.length)) family = { category, at, length };
    };
    for (const word of this.categories) {
      const at = findWord(sentence, word.key);
      if (at !== undefined) consider(word.category, at, word.key.length);
    }
    if (model) consider(model.word.category, model.at, model.word.key.length);
    if (!facts.category && family) facts.category = family.category;
    if (!facts.category && !facts.modelId) {
      const foreign = this.scope.foreignIn(text);
      if (foreign?.kind === 'product') facts.foreignProduct = fold(foreign.word);
    }
  }

  private readDamage(text: string, facts: MessageFacts): void {
    for (const clause of clausesOf(fold(text))) {
      for (const kind of DAMAGE_KINDS) {
        const cue = DAMAGE_CUES[kind];
        const global = new RegExp(cue.source, 'gu');
        for (const match of clause.matchAll(global)) {
          const before = clause.slice(0, match.index);
          if (HYPOTHETICAL_BEFORE.test(before)) continue;
          const happened = !NEGATED_BEFORE.test(before);
          facts.damage[kind] = happened;
          const words = this.trimClause(clause);
          if (happened && words && !facts.damageWords.includes(words)) facts.damageWords.push(words);
        }
      }
    }
  }

  private readProof(text: string, facts: MessageFacts): void {
    const folded = fold(text);
    if (PROOF_MISSING.test(folded)) facts.proof = false;
    else if (PROOF_PRESENT.test(folded)) facts.proof = true;
  }

  private readServiceMode(text: string, facts: MessageFacts): void {
    for (const clause of clausesOf(fold(text))) {
      if (ASKS.test(clause)) continue;
      const wish = SERVICE_MODE_WORDS.find(([, words]) => words.test(clause));
      if (wish) facts.serviceMode = wish[0];
    }
  }

  private readPurchaseDate(text: string, today: string, facts: MessageFacts): void {
    for (const clause of clausesOf(text.normalize('NFKC'))) {
      if (!PURCHASE_CUE.test(fold(clause))) continue;
      const parsed = parsePurchaseDate(clause, today);
      if (parsed.ok) {
        facts.purchaseDate = parsed.date;
        facts.approximateDate = parsed.approximate;
        return;
      }
    }
  }

  /**
   * The clauses that describe the fault, each trimmed of chatter. With `answering`, the customer was
   * asked for the fault, so every clause counts; otherwise only those with a fault in them.
   */
  private symptomOf(text: string, answering: boolean): string | undefined {
    const clauses = clausesOf(text)
      .map((clause) => this.trimClause(clause))
      .filter((clause) => clause.length >= 2 && !NOT_A_DESCRIPTION.test(clause));
    const kept = answering ? clauses : clauses.filter((clause) => this.describesFault(clause));
    const symptom = kept.join('，').slice(0, 200);
    return [...symptom.replace(/[\s\p{P}]/gu, '')].length >= 2 ? symptom : undefined;
  }

  private describesFault(raw: string): boolean {
    // 没摔过 and 没进水 say what did not happen; what is left may still be a fault (没摔过但是开不了机).
    const clause = DAMAGE_KINDS.reduce((text, kind) => withoutDenied(text, DAMAGE_CUES[kind]), raw);
    const hit = this.symptomCue(clause);
    if (hit === undefined) return PART_FAULT.test(clause);
    const compact = fold(clause).replace(/[\s\p{P}\p{S}]+/gu, '');
    const at = compact.indexOf(hit);
    // 会不会进水 asks about what might happen.
    return at < 0 || !HYPOTHETICAL_BEFORE.test(compact.slice(0, at));
  }

  private trimClause(raw: string): string {
    let clause = raw.trim();
    for (let changed = true; changed;) {
      const before = clause;
      clause = clause.replace(LEADING_CHATTER, '').trim();
      clause = clause.replace(LEADING_PURCHASE, '').trim();
      if (this.productWords) {
        // A product name in front ("耳机左耳没声音", "X20 Pro 屏幕碎了") is not part of the fault.
        const lead = new RegExp(`^(?:${this.productWords.source})(?:的)?`, 'iu');
        clause = clause.replace(lead, '').trim();
      }
      for (const trailing of TRAILING) clause = clause.replace(trailing, '').trim();
      changed = clause !== before;
    }
    return clause;
  }
}

/** A message cut where one thing said ends: punctuation, and spaces next to Chinese (where a name was cut out). */
function clausesOf(text: string): string[] {
  return text
    .split(CLAUSE_END)
    .flatMap((part) => part.split(/(?<=\p{Script=Han})\s+|\s+(?=\p{Script=Han})/u))
    .map((clause) => clause.trim())
    .filter((clause) => clause.length > 0);
}

/** The clause without the damage it denies (没摔过 → "  "), so that a denial is not taken for a fault. */
function withoutDenied(clause: string, cue: RegExp): string {
  let out = clause;
  for (const match of fold(clause).matchAll(new RegExp(cue.source, 'gu'))) {
    const before = fold(clause).slice(0, match.index);
    const negator = NEGATED_BEFORE.exec(before);
    if (!negator) continue;
    const start = negator.index;
    const end = (match.index ?? 0) + match[0].length;
    out = out.slice(0, start) + ' '.repeat(end - start) + out.slice(end);
  }
  return out;
}

/** `text` with what `pattern` matches replaced by spaces of the same length. */
function blank(text: string, pattern: RegExp): string {
  return text.replace(pattern, (match) => ' '.repeat(match.length));
}

/** synonyms.yaml `notOurs`, read leniently: a missing or malformed list is simply empty (kb:check reports it). */
export function loadNotOurs(dir: string = knowledgeDataDir()): string[] {
  const file = path.join(dir, 'synonyms.yaml');
  try {
    const data = existsSync(file) ? (parseYaml(readFileSync(file, 'utf8')) as { notOurs?: unknown }) : undefined;
    return Array.isArray(data?.notOurs) ? data.notOurs.filter((word): word is string => typeof word === 'string') : [];
  } catch {
    return [];
  }
}
