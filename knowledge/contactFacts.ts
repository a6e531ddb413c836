import { extractMobile } from './contacts';

/*
 * A customer's name and street address, read from one line that gives several facts at once:
 * "我叫王小明，电话13812345678，地址上海市浦东新区张杨路500号", "王先生 13812345678 徐汇区漕溪北路88号3楼",
 * "my name is Li Lei, address 88 Caoxi Rd, Xuhui District, Shanghai". A name is read only where the
 * customer clearly gives one (我叫, 联系人, 姓王, 王先生, my name is): 我是想问一下 names nobody.
 */

/** 先生 → mr; 女士 and 小姐 → ms. */
export type Honorific = 'mr' | 'ms';

export interface ContactFacts {
  /** The name as given: 王小明, or the surname alone when that is all (王先生 → 王, 我姓李 → 李). */
  name?: string;
  honorific?: Honorific;
  /** The address in the customer's words, from the province, city, district or road onwards. */
  address?: string;
}

/** The most common surnames (about nine people in ten in China), compound ones first. */
const COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '司徒', '夏侯', '长孙', '宇文'];
const SURNAMES = new Set(
  [
    ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝',
  ].filter((char) => char.trim()),
);

const HAN = '\\u4e00-\\u9fa5';
/** Characters that are words, not names: 我是想问一下, 我叫什么, 我是在京东买的. */
const NOT_IN_A_NAME = /[的了吗呢啊吧是在想要不个一这那什么么来去买问说用有没和跟给让把被从到对也都就还很]/;

function startsWithSurname(text: string): boolean {
  return COMPOUND_SURNAMES.some((surname) => text.startsWith(surname)) || SURNAMES.has(text[0]);
}

/** Where a name given after its cue ends: a title, another fact's label, or anything not Chinese. */
const NAME_END = `(?=先生|女士|小姐|电话|手机|联系|地址|住|家在|[^${HAN}]|$)`;

const NAME_CUES: Array<{ pattern: RegExp; check: (name: string) => boolean }> = [
  // 我叫王小明, 名字是王小明, 姓名：王小明, 联系人李女士, 收件人 张三 — the customer says this is the name.
  {
    pattern: new RegExp(
      `(?:我叫|我的名字(?:是|叫)|名字(?:是|叫)|姓名|联系人|收件人|收货人|称呼我?)(?:是|为|叫)?[:：\\s]*([${HAN}]{1,4}?)${NAME_END}`,
      'u',
    ),
    check: (name) => !NOT_IN_A_NAME.test(name),
  },
  // 我姓王, 免贵姓李: the surname alone.
  { pattern: new RegExp(`(?:我|免贵|本人)姓([${HAN}]{1,2}?)${NAME_END}`, 'u'), check: (name) => startsWithSurname(name) },
  // 叫我小王就行, 喊我老李: what to call them.
  { pattern: new RegExp(`(?:叫我|喊我|称呼我)((?:小|老)[${HAN}])`, 'u'), check: (name) => startsWithSurname(name.slice(1)) },
  // 我是王小明 — only a surname and one or two more characters standing alone (not 我是想问一下).
  {
    pattern: new RegExp(`我是([${HAN}]{2,4}?)(?=[^${HAN}]|$|电话|手机|地址|联系)`, 'u'),
    check: (name) => startsWithSurname(name) && !NOT_IN_A_NAME.test(name) && name.length <= 3,
  },
];

/** 王先生, 李女士, 欧阳小姐: a surname and a title. */
const TITLED = new RegExp(`(${COMPOUND_SURNAMES.join('|')}|[${HAN}])(先生|女士|小姐)`, 'u');
const EN_TITLED = /\b(mr|mrs|ms|miss)\.?\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)/i;
const EN_NAME = /\b(?:my name is|my name's|name is|name:|call me)\s+([A-Za-z][a-z]+(?:\s+[A-Z][a-z]+){0,2})/i;

interface Found {
  name?: string;
  honorific?: Honorific;
  /** What was read, to be cut from the text before the address is looked for. */
  spans: Array<[number, number]>;
}

function readName(text: string): Found {
  const spans: Array<[number, number]> = [];
  let name: string | undefined;
  let honorific: Honorific | undefined;
  for (const { pattern, check } of NAME_CUES) {
    const match = pattern.exec(text);
    if (!match || !check(match[1])) continue;
    name = match[1];
    spans.push([match.index, match.index + match[0].length]);
    break;
  }
  const titled = TITLED.exec(text);
  if (titled && startsWithSurname(titled[1])) {
    honorific = titled[2] === '先生' ? 'mr' : 'ms';
    name ??= titled[1];
    spans.push([titled.index, titled.index + titled[0].length]);
  }
  const enTitled = EN_TITLED.exec(text);
  if (enTitled) {
    honorific ??= enTitled[1].toLowerCase() === 'mr' ? 'mr' : 'ms';
    name ??= enTitled[2];
    spans.push([enTitled.index, enTitled.index + enTitled[0].length]);
  }
  const enName = EN_NAME.exec(text);
  if (enName && !name) {
    // A name is written with capitals; "my name is not important" is no name.
    const words = enName[1].split(/\s+/);
    if (words.every((word) => /^[A-Z]/.test(word))) {
      name = enName[1];
      spans.push([enName.index, enName.index + enName[0].length]);
    }
  }
  return { name, honorific, spans };
}

// --- the address ---------------------------------------------------------------------------------

/** Province-level divisions, by the names people write (上海, 上海市, 广东省 …). */
const PROVINCES =
  '北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门';
/** Where an address may begin: a province, or a city, district or town name (two characters and its suffix). */
const ADDRESS_START = new RegExp(
  `(?:${PROVINCES})(?:省|市|自治区|特别行政区)?|[${HAN}]{2}(?:市|新区|(?<![小社园景校厂])区|县|镇|乡|街道)`,
  'u',
);
/** A road, lane or estate and its number: 张杨路500号, 莘东路1号, 阳光小区5栋, 1088弄. */
const HOUSE_NUMBER = new RegExp(
  `(?:路|街|道|巷|弄|村|里|苑|园|小区|大厦|广场|公寓|花园|新村|城|院)[东南西北中]?[一二三四五六七八九十]?[路街]?\\s?\\d+(?:号|弄|栋|幢|座)`,
  'u',
);
/** The building, floor and room after the house number: 3楼, 5栋302室, 2单元1201, B座. */
const UNITS = /^(?:\s?(?:\d+|[A-Za-z])(?:号楼|号|弄|栋|幢|座|楼|层|室|单元|门|户)?|-|#)*/u;
/** Without a house number an address ends at its last place word: 浦东新区张江镇, 漕溪北路. */
const PLACE_END = /.*(?:省|市|区|县|镇|乡|街道|路|街|大道|巷|弄|村|小区|花园|公寓|大厦|广场|新村)/u;
const DISTRICT_OR_ROAD = /(?<![小社园景校厂])区|县|镇|乡|街道|路|街|大道|巷|弄|村/u;
/** What customers say before the address: 我家在, 住在, 地址是, 上门地址: . */
const LEADING = /^(?:(?:我的?|家|住|在|是|地址|住址|详细|收货|上门|联系|就|的|为)+[:：]?\s*)/u;
/** The characters one address is written in; other punctuation ends it. */
const ADDRESS_RUN = new RegExp(`[${HAN}A-Za-z0-9#\\-\\s]+`, 'gu');

function chineseAddress(text: string): string | undefined {
  for (const run of text.matchAll(ADDRESS_RUN)) {
    const part = run[0];
    const house = HOUSE_NUMBER.exec(part);
    const start = ADDRESS_START.exec(part);
    if (!house && !start) continue;
    let from: number;
    if (start && (!house || start.index < house.index)) from = start.index;
    else {
      // A road with no district before it: the road's name begins after what was said before it.
      const before = part.slice(0, house?.index ?? 0);
      const words = before.split(/\s+/);
      const last = words[words.length - 1] ?? '';
      from = (house?.index ?? 0) - last.length + (LEADING.exec(last)?.[0].length ?? 0);
    }
    let to: number;
    if (house) {
      const end = house.index + house[0].length;
      to = end + (UNITS.exec(part.slice(end))?.[0].length ?? 0);
    } else {
      to = from + (PLACE_END.exec(part.slice(from).split(/\s(?=[^\s]*$)/)[0])?.[0].length ?? 0);
    }
    const address = part.slice(from, to).replace(/\s+/g, ' ').trim();
    // A province or city alone (我在上海市买的) is where, not an address an engineer can find.
    if (house || DISTRICT_OR_ROAD.test(address)) return address;
  }
  return undefined;
}

/** 88 Caoxi Rd, Xuhui District, Shanghai: a number, a road, and the places after it. */
const EN_ROAD =
  /\b(?:(?:room|rm|flat|apt|unit)\s*\d+[a-z]?,?\s*)?\d+[a-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:road|rd|street|st|avenue|ave|lane|ln|boulevard|blvd|highway|hwy|drive|dr)\b\.?/i;
const EN_PLACE = /^\s*,?\s*(?:[A-Z][a-z]+\s+)*(?:[A-Z][a-z]+)(?:\s+(?:district|city|province|new area))?\b/;

function englishAddress(text: string): string | undefined {
  const road = EN_ROAD.exec(text);
  if (!road) return undefined;
  let end = road.index + road[0].length;
  for (let place = EN_PLACE.exec(text.slice(end)); place; place = EN_PLACE.exec(text.slice(end))) end += place[0].length;
  return text.slice(road.index, end).trim();
}

/** `text` with the spans replaced by commas, so what was cut out ends the runs on either side. */
function cut(text: string, spans: Array<[number, number]>): string {
  let out = text;
  for (const [from, to] of spans) out = out.slice(0, from) + '，'.repeat(to - from) + out.slice(to);
  return out;
}

/**
 * The name, title and address a message gives; each left out when it gives none.
 *
 * @example readContactFacts('我叫王小明，电话13812345678，地址上海市浦东新区张杨路500号') // { name: '王小明', address: '上海市浦东新区张杨路500号' }
 * @example readContactFacts('王先生 13812345678 徐汇区漕溪北路88号3楼') // { name: '王', honorific: 'mr', address: '徐汇区漕溪北路88号3楼' }
 * @example readContactFacts('我是想问一下') // {}
 */
export function readContactFacts(raw: string): ContactFacts {
  let text = raw.normalize('NFKC');
  const phone = extractMobile(text);
  if (phone) text = text.replace(new RegExp(`(?:\\+?86[\\s-]*)?${phone.split('').join('[\\s\\-()（）]*')}`), (m) => '，'.repeat(m.length));
  const found = readName(text);
  const rest = cut(text, found.spans);
  const address = chineseAddress(rest) ?? englishAddress(rest);
  return {
    ...(found.name ? { name: found.name } : {}),
    ...(found.honorific ? { honorific: found.honorific } : {}),
    ...(address ? { address } : {}),
  };
}
