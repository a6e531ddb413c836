export type Locale = 'zh-CN' | 'en';

const HAN = /\p{Script=Han}/gu;
/**
 * Runs of letters (an apostrophe inside is part of the word: don't, it's). A run touching a digit is
 * a serial, a model or an order id (X30, PH26P7014547, AX3000), and says nothing of the language.
 */
const LATIN_RUN = /(?<![a-z0-9])[a-z]+(?:'[a-z]+)*(?![a-z0-9])/g;
const WITH_DIGITS = /[a-z0-9]*\d[a-z0-9]*/g;
const LINKS = /\b(?:https?:\/\/|www\.)\S+|\S+@\S+\.\S+/giu;

/**
 * Latin words a Chinese customer types as often as an English one: model and product names, tech
 * words, acknowledgements, brands. Alone they never switch a conversation to English.
 */
const NEUTRAL = new Set(
  (
    'ok okay okk okok oky kk k hi hey hmm hm emm em en yo ha haha lol bye byebye thx pls plz ' +
    'wifi wi fi wlan lan wan ssid dns ip usb hdmi nfc sim esim gps cpu gpu ram rom ssd led lcd oled ' +
    'bluetooth app apps sn id pin vip qq wechat weixin taobao tmall jd alipay ' +
    'pro max ultra mini lite plus mesh pad book air note se fe neo ' +
    'tv pc ios android mac macos windows win linux type typec ai ps pdf ' +
    'iphone ipad macbook airpods huawei xiaomi redmi honor oppo vivo iqoo realme samsung lenovo oneplus sony tcl hisense dell asus acer ' +
    'xingyao qinghe yunfan jike jifeng yuanjing'
  ).split(' '),
);

/**
 * Words that occur in almost any English sentence a customer writes. Two or more Latin words of
 * which none is here (keyboard mashing, pinyin, names) are not taken as English.
 */
const COMMON_ENGLISH = new Set(
  (
    'i me my mine we us our you your he she it its they them their this that these those there here ' +
    "a an the and or but if so because not no yes do does did done don't doesn't didn't can can't cannot could " +
    "would should will won't is isn't are aren't was wasn't were be been am i'm it's have has had get got " +
    'to of in on at for from by with about after before into out up down off again still just also only very too ' +
    'what why how when where which who please thanks thank hello help want need like know see tell say ' +
    'phone screen battery charge charging charger broken break repair fix fault problem issue work works working ' +
    'turn start stop cancel menu agent human person talk speak call back check status ticket order warranty ' +
    'refund return complaint complain rate rating service visit book bought buy new old day days week month year ' +
    'never mind forget anything something nothing everything all any some more less good bad wrong right ok ' +
    // What customers say of their devices: enough to tell "laptop wifi keeps dropping" from pinyin.
    'laptop computer tablet earbuds earbud earphones headphones headset watch router modem internet network ' +
    'connect connected connection connecting disconnect disconnects disconnected keeps keep dropping drops dropped ' +
    'losing lost sound picture image display light lights power slow freezes frozen hot overheating remote signal ' +
    "cuts randomly while black noise ear side pair pairing update reset restart volume camera won't isn't can't " +
    "doesn't on off cracked dead wet water fell"
  ).split(' '),
);

/** One English word that is a whole message on its own ("help", "thanks", "cancel"). */
const ONE_WORD_ENGLISH = new Set(
  'hello help thanks thank cancel menu agent human sorry please warranty repair complaint goodbye refund status'.split(' '),
);

function englishWordsOf(text: string): string[] {
  const folded = text.normalize('NFKC').toLowerCase().replace(/[‘’]/g, "'").replace(LINKS, ' ').replace(WITH_DIGITS, ' ');
  return (folded.match(LATIN_RUN) ?? []).filter((word) => word.length >= 2 && !NEUTRAL.has(word));
}

/**
 * The language a message is clearly written in, or undefined when it does not tell: a number, a
 * serial, an order id, a model name ("X30 Ultra"), a tech word ("Wi-Fi"), "ok", emoji or noise. A
 * conversation keeps its language until a message tells otherwise.
 */
export function detectLanguage(text: string): Locale | undefined {
  const han = (text.match(HAN) ?? []).length;
  const words = englishWordsOf(text);
  if (han > 0) {
    // "I bought it at 京东" is English with a shop's name; "我的phone坏了" is Chinese.
    return han >= words.length ? 'zh-CN' : words.some((word) => COMMON_ENGLISH.has(word)) ? 'en' : 'zh-CN';
  }
  const common = words.filter((word) => COMMON_ENGLISH.has(word)).length;
  if (words.length >= 2 && common >= 1) return 'en';
  if (words.length === 1 && ONE_WORD_ENGLISH.has(words[0])) return 'en';
  return undefined;
}

/** Lower-cased, full-width folded, without spaces and punctuation: how short commands are compared. */
export function normalizeUtterance(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}
