import { normalizeUtterance } from './language';

/**
 * Words that mean danger to people: the conversation goes to the front of the agents' queue.
 * A plain negation right before ("没有冒烟") does not count.
 */
const SAFETY_WORDS = [
  '冒烟',
  '冒火',
  '起火',
  '着火',
  '失火',
  '火花',
  '爆炸',
  '炸了',
  '爆了',
  '漏电',
  '触电',
  '电到人',
  '被电',
  '麻手',
  '烧焦',
  '焦味',
  '糊味',
  '烧起来',
  '鼓包',
  '电池鼓',
  '烫伤',
  '烧伤',
];
const SAFETY_WORDS_EN =
  /\b(smok(e|ing)|on fire|caught fire|flames?|explod(ed|es|ing)?|explosion|electric shock|shocked me|sparks?|burning smell|smells? burnt|swollen battery|battery (is )?swelling)\b/i;
const NEGATION = /(没有|没|不|無|无|并没有)$/u;

export function mentionsSafetyHazard(text: string): boolean {
  const folded = text.normalize('NFKC');
  if (SAFETY_WORDS_EN.test(folded) && !/\b(no|not|never|without)\s+(\w+\s+)?(smok|fire|spark|shock|explo)/i.test(folded)) return true;
  return SAFETY_WORDS.some((word) => {
    let from = folded.indexOf(word);
    while (from >= 0) {
      if (!NEGATION.test(folded.slice(Math.max(0, from - 3), from))) return true;
      from = folded.indexOf(word, from + word.length);
    }
    return false;
  });
}

const CALLBACK = [
  '回电',
  '回拨',
  '给我回电话',
  '给我打电话',
  '打电话给我',
  '打给我',
  '电话联系我',
  '登记回电',
  'callback',
  'callmeback',
  'callme',
];

/** The customer wants to be phoned instead of waiting in the chat. */
export function asksForCallback(text: string): boolean {
  const bare = normalizeUtterance(text);
  return bare.length <= 24 && CALLBACK.some((phrase) => bare.includes(phrase));
}

const QUEUE_QUESTION = [
  '排到',
  '还要等多久',
  '还要多久',
  '要等多久',
  '等多久',
  '前面还有',
  '第几位',
  '几个人',
  '排队',
  'howlong',
  'position',
  'whereami',
];

/** A waiting customer asking about their place in line. */
export function asksAboutQueue(text: string): boolean {
  const bare = normalizeUtterance(text);
  return bare.length <= 24 && QUEUE_QUESTION.some((phrase) => bare.includes(phrase));
}
