/** What a message looks like to the nearest-example intent matcher: weighted n-gram, word and synonym features. */
import { compactOf } from './cueRules';

/** English words that say nothing about what the customer wants. */
const STOPWORDS = new Set(
  'a an the i my me you your to is are am be it of for and or in on at this that with do does can could would will please hi its im'.split(
    ' ',
  ),
);

/** A crude English stemmer: enough that "charging" meets "charge" and "repairs" meets "repair". */
function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** A synonym group as one feature: 老掉线 in a message meets 断网 in an example. */
export interface SynonymTerm {
  /** The group's standard term, the feature's name. */
  key: string;
  /** Han terms: found anywhere in the compact text; Latin terms: whole words only. */
  han?: string;
  latin?: RegExp;
}

/**
 * The features of a message: Han unigrams and bigrams (Chinese has no spaces, and bigrams catch most
 * two-character words without a dictionary), stemmed Latin words, and one feature per synonym group
 * of knowledge/data/synonyms.yaml whose terms occur, so that colloquial and standard words meet.
 */
export function features(text: string, synonyms: SynonymTerm[] = []): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
    const chars = [...run];
    chars.forEach((c, i) => {
      // Single characters are ambiguous (修 in 修好了 and in 报修); bigrams carry the meaning.
      add(`u:${c}`, 0.5);
      if (i + 1 < chars.length) add(`b:${c}${chars[i + 1]}`, 1);
    });
  }
  const words = (text.match(/[a-z]+(?:'[a-z]+)?/g) ?? []).map((w) => w.replace(/'.*$/, '')).filter((w) => !STOPWORDS.has(w));
  words.forEach((w, i) => {
    add(`w:${stem(w)}`, 1);
    if (i + 1 < words.length) add(`w2:${stem(w)}_${stem(words[i + 1])}`, 0.5);
  });
  if (synonyms.length > 0) {
    const compact = compactOf(text);
    const seen = new Set<string>();
    for (const term of synonyms) {
      if (seen.has(term.key)) continue;
      if (term.han ? compact.includes(term.han) : term.latin?.test(text)) {
        seen.add(term.key);
        add(`s:${term.key}`, 1);
      }
    }
  }
  return counts;
}

export function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [f, w] of small) dot += w * (large.get(f) ?? 0);
  return dot;
}
