import { z } from 'zod';
import type { ServiceKnowledge } from '../knowledge/serviceKnowledge';
import { searchFaqFor } from '../dialogs/knowledgeServices';
import { detectLanguage, type Locale } from '../knowledge';
import { FaqIndex } from '../knowledge/faqIndex';
import { createTokenizer } from '../knowledge/tokenizer';

/** A line of an FAQ evaluation file; faq null = not in the manual; `locale` pins the language of a line whose words do not tell it. */
export const faqLineSchema = z.object({
  text: z.string().min(1),
  faq: z.string().min(1).nullable(),
  locale: z.enum(['zh-CN', 'en']).optional(),
});
export type FaqLine = z.infer<typeof faqLineSchema>;

export function ratio(n: number, m: number): string {
  return `${m ? (n / m).toFixed(3) : '0.000'} (${n}/${m})`;
}

/**
 * What the bot's FAQ flow does with a question as the first message of a conversation: the language
 * it settles on (dialogs/locale.ts: the language written in, else the conversation's, Chinese for a
 * new one), the product the recognizer names, and the search for that language (English first in the
 * English index, then the Chinese). Offline, as the bot is without LLM_* settings.
 */
export async function faqReport(lines: FaqLine[], knowledge: ServiceKnowledge): Promise<string[]> {
  const out: string[] = [];
  const say = (line: string) => out.push(line);
  const manual = knowledge.manual;
  const ids = new Set(manual.faqs.map((e) => e.id));
  let top1 = 0;
  let top3 = 0;
  let known = 0;
  let knownConfident = 0;
  let unknown = 0;
  let unknownConfident = 0;
  const perLocale = new Map<Locale, { right: number; all: number }>();
  for (const { text, faq, locale: given } of lines) {
    const locale: Locale = given ?? detectLanguage(text) ?? 'zh-CN';
    const { entities } = await knowledge.understand(text);
    const { candidates, confident } = await searchFaqFor(knowledge, text, { category: entities.category, model: entities.modelId }, locale);
    const hits = candidates.slice(0, 3);
    const got = hits.map((h) => `${h.entry.id}(${h.confidence.toFixed(2)})`).join(', ') || '(nothing)';
    const tally = perLocale.get(locale) ?? { right: 0, all: 0 };
    perLocale.set(locale, tally);
    tally.all += 1;
    const tag = locale === 'en' ? ' [en]' : '';
    if (faq === null) {
      unknown += 1;
      if (confident) {
        unknownConfident += 1;
        say(`MISS${tag} ${text}\n  expected: (not sure)\n  got:      ${got}`);
      } else {
        top1 += 1;
        top3 += 1;
        tally.right += 1;
      }
      continue;
    }
    if (!ids.has(faq)) say(`WARN ${text}: expected id "${faq}" is not in the manual`);
    known += 1;
    if (hits[0]?.entry.id === faq && confident) knownConfident += 1;
    const rank = hits.findIndex((h) => h.entry.id === faq);
    if (rank === 0) {
      top1 += 1;
      tally.right += 1;
    }
    if (rank >= 0 && rank < 3) top3 += 1;
    if (rank !== 0) say(`MISS${tag} ${text}\n  expected: ${faq}\n  got:      ${got}`);
  }
  const engine = createTokenizer({ dictionary: [], synonyms: [] }).engine;
  say(`entries: ${manual.faqs.length}, tokenizer: ${engine}, threshold: ${FaqIndex.CONFIDENT}`);
  if (perLocale.size > 1) for (const [locale, t] of perLocale) say(`${locale}: ${ratio(t.right, t.all)}`);
  if (known) say(`answered confidently and right: ${ratio(knownConfident, known)}`);
  if (unknown) say(`off-manual questions answered with confidence: ${ratio(unknownConfident, unknown)}`);
  say(`top3: ${ratio(top3, lines.length)}`);
  say(`accuracy: ${ratio(top1, lines.length)}`);
  return out;
}
