/**
 * Retrieval speed (issue: offline retrieval; target p99 ≤ 2 ms per query on 10,000 entries):
 *
 *   npm run bench -- retrieval
 *
 * Prints the tokenizer start-up, the index build time and per-query p50/p99 on the shipped manual
 * and on a generated 10,000-entry manual, ending with `ratio: <p99 on 10k / 2 ms>` (below 1 meets
 * the target). The big manual is made deterministically from the real entries (seeded shuffles of
 * their questions, steps and tags under synthetic model names), so its vocabulary and lengths look
 * like the real one's and the figure is reproducible.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FaqIndex } from '../knowledge/faqIndex';
import { loadManual } from '../knowledge/manual';
import type { FaqEntry, Manual } from '../knowledge/manualTypes';
import { createTokenizer, type Tokenizer } from '../knowledge/tokenizer';
import { seededRandom } from './seededRandom';
import { complain, say } from './output';

const TARGET_MS = 2;
const BIG = 10_000;

const SERIES = ['星耀', '畅享', '灵动', '极光', '青春', '超能', '轻薄', '锐', '开拓者', '悦'];
const CATEGORIES = ['phone', 'laptop', 'tablet', 'router', 'tv', 'earbuds', 'watch'];

export function syntheticManual(real: FaqEntry[], size: number, seed = 20261122): FaqEntry[] {
  const next = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const out: FaqEntry[] = [];
  for (let i = 0; i < size; i += 1) {
    const base = real[i % real.length]!;
    const other = pick(real);
    const modelName = `${pick(SERIES)}${String.fromCharCode(65 + Math.floor(next() * 26))}${10 + Math.floor(next() * 90)}`;
    const asked = [base.question, ...base.similar];
    out.push({
      id: `${base.id}-syn${i}`,
      topic: base.topic,
      categories: next() < 0.15 ? [] : [base.categories[0] ?? pick(CATEGORIES)],
      models: next() < 0.3 ? [modelName.toLowerCase()] : [],
      question: `${modelName}${pick(asked)}`,
      similar: [pick(asked), `${pick(asked)}，${pick(other.similar)}`, `${modelName} ${pick(other.similar)}`],
      steps: [...base.steps.slice(0, 1 + Math.floor(next() * base.steps.length)), pick(other.steps)],
      tags: [...base.tags.slice(0, 2), pick(other.tags.length ? other.tags : ['售后'])],
    });
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function queriesFor(manual: Manual): string[] {
  // Real customer-style questions when the dev set is there, otherwise the manual's own phrasings.
  const dev = path.join(__dirname, '..', 'knowledge', 'eval', 'faq.dev.jsonl');
  const unknown = path.join(__dirname, '..', 'knowledge', 'eval', 'faq.unknown.jsonl');
  const texts: string[] = [];
  for (const file of [dev, unknown]) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text);
    }
  }
  return texts.length ? texts : manual.faqs.flatMap((e) => e.similar);
}

function measure(label: string, manual: Manual, tokenizer: Tokenizer, queries: string[]): number {
  const t0 = performance.now();
  const index = FaqIndex.build(manual, tokenizer);
  const buildMs = performance.now() - t0;
  const categories = [undefined, 'phone', 'laptop'];
  // Warm-up: let V8 optimise the search path before timing it.
  for (let i = 0; i < 3; i += 1) for (const q of queries) index.search(q, { limit: 3 });
  const times: number[] = [];
  for (let pass = 0; pass < 5; pass += 1) {
    queries.forEach((q, i) => {
      const s = performance.now();
      index.answerOf(q, { category: categories[i % categories.length] });
      times.push(performance.now() - s);
    });
  }
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
  say(
    `${label}: ${manual.faqs.length} entries, build ${buildMs.toFixed(0)} ms, ` +
      `${times.length} queries p50 ${p50.toFixed(3)} ms p99 ${p99.toFixed(3)} ms, heap ${heapMb.toFixed(0)} MB`,
  );
  return p99;
}

function main(): void {
  const [what = 'retrieval'] = process.argv.slice(2);
  if (what !== 'retrieval') {
    complain('usage: npm run bench -- retrieval');
    process.exit(2);
  }
  const manual = loadManual();
  const t0 = performance.now();
  const tokenizer = createTokenizer({ dictionary: manual.dictionary, synonyms: manual.synonyms });
  say(`tokenizer: ${tokenizer.engine}, start-up ${(performance.now() - t0).toFixed(0)} ms`);
  const queries = queriesFor(manual);
  measure('shipped manual', manual, tokenizer, queries);
  const big: Manual = { ...manual, faqs: syntheticManual(manual.faqs, BIG) };
  const p99 = measure('generated manual', big, tokenizer, queries);
  say(`ratio: ${(p99 / TARGET_MS).toFixed(2)}`);
}

// Only when run as a script: tests and profiling import syntheticManual without running the bench.
if (require.main === module) main();
