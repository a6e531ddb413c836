/**
 * Evaluation (DESIGN.md §4):
 *
 *   npm run eval -- faq FILE.jsonl [FILE.jsonl …]   lines {"text","faq"}; faq null = not in the manual
 *   npm run eval -- intents FILE.jsonl              lines {"text","intent"}
 *
 * Prints each miss, then summary lines, and ends with `accuracy: 0.xxx (N/M)` as the last line.
 * For faq, an entry line is right when the expected entry ranks first (top3: among the first three);
 * a `"faq": null` line is right, at both cut-offs, when the best answer is not confident — the bot
 * then says it is not sure instead of answering.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FaqIndex } from '../knowledge/faqIndex';
import { loadManual } from '../knowledge/manual';
import { IntentRecognizer } from '../knowledge/recognizer';
import { createTokenizer } from '../knowledge/tokenizer';
import { complain, say } from './output';

const faqLine = z.object({ text: z.string().min(1), faq: z.string().min(1).nullable() });
const intentLine = z.object({ text: z.string().min(1), intent: z.string().min(1) });

function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  const out: T[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith('//')) return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (err) {
        throw new Error(`${file}:${i + 1}: not JSON (${(err as Error).message})`);
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => x.message).join('; ')}`);
      out.push(parsed.data);
    });
  return out;
}

function ratio(n: number, m: number): string {
  return `${m ? (n / m).toFixed(3) : '0.000'} (${n}/${m})`;
}

function evalFaq(files: string[]): void {
  const manual = loadManual();
  const index = FaqIndex.build(manual, createTokenizer({ dictionary: manual.dictionary, synonyms: manual.synonyms }));
  const ids = new Set(manual.faqs.map((e) => e.id));
  const lines = files.flatMap((f) => readJsonl(f, faqLine));
  let top1 = 0;
  let top3 = 0;
  let known = 0;
  let knownConfident = 0;
  let unknown = 0;
  let unknownConfident = 0;
  for (const { text, faq } of lines) {
    const hits = index.search(text, { limit: 3 });
    const best = hits[0];
    const confident = !!best && best.confidence >= FaqIndex.CONFIDENT;
    const got = hits.map((h) => `${h.entry.id}(${h.confidence.toFixed(2)})`).join(', ') || '(nothing)';
    if (faq === null) {
      unknown += 1;
      if (confident) {
        unknownConfident += 1;
        say(`MISS ${text}\n  expected: (not sure)\n  got:      ${got}`);
      } else {
        top1 += 1;
        top3 += 1;
      }
      continue;
    }
    if (!ids.has(faq)) say(`WARN ${text}: expected id "${faq}" is not in the manual`);
    known += 1;
    if (best?.entry.id === faq && confident) knownConfident += 1;
    const rank = hits.findIndex((h) => h.entry.id === faq);
    if (rank === 0) top1 += 1;
    if (rank >= 0 && rank < 3) top3 += 1;
    if (rank !== 0) say(`MISS ${text}\n  expected: ${faq}\n  got:      ${got}`);
  }
  say(`entries: ${manual.faqs.length}, tokenizer: ${index.engine}, threshold: ${FaqIndex.CONFIDENT}`);
  if (known) say(`answered confidently and right: ${ratio(knownConfident, known)}`);
  if (unknown) say(`off-manual questions answered with confidence: ${ratio(unknownConfident, unknown)}`);
  say(`top3: ${ratio(top3, lines.length)}`);
  say(`accuracy: ${ratio(top1, lines.length)}`);
}

async function evalIntents(files: string[]): Promise<void> {
  // Built as knowledge/recognizer.ts documents: the default reads knowledge/data/intents.yaml.
  const recognizer = new IntentRecognizer();
  const lines = files.flatMap((f) => readJsonl(f, intentLine));
  let right = 0;
  const confusion = new Map<string, number>();
  for (const { text, intent } of lines) {
    const guess = recognizer.recognize(text);
    if (guess.intent === intent) {
      right += 1;
      continue;
    }
    const key = `${intent} → ${guess.intent}`;
    confusion.set(key, (confusion.get(key) ?? 0) + 1);
    say(`MISS ${text}\n  expected: ${intent}\n  got:      ${guess.intent} (${guess.confidence.toFixed(2)}, ${guess.reason})`);
  }
  for (const [key, n] of [...confusion].sort((a, b) => b[1] - a[1])) say(`confused ${key}: ${n}`);
  say(`accuracy: ${ratio(right, lines.length)}`);
}

async function main(): Promise<void> {
  const [mode, ...files] = process.argv.slice(2);
  if ((mode !== 'faq' && mode !== 'intents') || !files.length) {
    complain('usage: npm run eval -- faq FILE.jsonl [FILE …] | npm run eval -- intents FILE.jsonl [FILE …]');
    process.exit(2);
  }
  if (mode === 'faq') evalFaq(files);
  else await evalIntents(files);
}

main().catch((err: unknown) => {
  complain(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
