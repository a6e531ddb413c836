/**
 * `npm run kb:check`: validates the service manual (knowledge/data/) against the product catalogue,
 * so a service lead can check an edit before restarting the bot. Exits 1 listing every problem.
 * Also says how much of the manual is translated (en/): a missing translation is not a problem, the
 * bot answers in Chinese there, but the service lead should see what is left.
 */
import path from 'node:path';
import { Catalogue, CatalogueError } from '../desk/catalogue';
import { deskDataFile } from '../desk/dataFiles';
import { knowledgeDataDir } from '../knowledge/dataFiles';
import { englishCoverage, formatProblem, loadManual, ManualError, type ManualProblem } from '../knowledge/manual';
import type { Manual } from '../knowledge/manualTypes';

function main(): number {
  let catalogue: Catalogue;
  try {
    catalogue = Catalogue.fromFile(deskDataFile('catalogue.yaml'));
  } catch (error) {
    if (!(error instanceof CatalogueError)) throw error;
    process.stderr.write(`desk/data/catalogue.yaml has problems, fix it first:\n${error.message}\n`);
    return 1;
  }

  const dir = process.argv[2] ? path.resolve(process.argv[2]) : knowledgeDataDir();
  // On a terminal one line is rewritten in place; in CI logs each file gets its own line.
  const tty = process.stderr.isTTY === true;
  const progress = (done: number, total: number, file: string): void => {
    const line = `checking ${file} (${done}/${total})`;
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  };
  let manual: Manual;
  const notes: ManualProblem[] = [];
  try {
    manual = loadManual(dir, {
      known: { categories: catalogue.categories().map((c) => c.id), models: catalogue.models().map((m) => m.id) },
      onProgress: progress,
      onNote: (note) => notes.push(note),
    });
  } catch (error) {
    if (tty) process.stderr.write('\n');
    if (!(error instanceof ManualError)) throw error;
    process.stderr.write(`${error.problems.length} problem(s) in ${path.relative(process.cwd(), dir) || '.'}:\n${error.message}\n`);
    return 1;
  }
  if (tty) process.stderr.write('\n');
  process.stdout.write(summary(manual, catalogue, notes));
  return 0;
}

/** Ids as a short list: the first few, then how many more. */
function some(ids: string[], shown = 8): string {
  return ids.length <= shown ? ids.join(', ') : `${ids.slice(0, shown).join(', ')} … and ${ids.length - shown} more`;
}

function summary(manual: Manual, catalogue: Catalogue, notes: ManualProblem[]): string {
  const lines: string[] = [`service manual OK: ${manual.faqs.length} FAQ entries`];
  // An entry for several families counts under each; one without categories serves every product.
  const perCategory = new Map<string, number>();
  const perTopic = new Map<string, number>();
  for (const faq of manual.faqs) {
    for (const category of faq.categories.length ? faq.categories : ['(all products)']) {
      perCategory.set(category, (perCategory.get(category) ?? 0) + 1);
    }
    perTopic.set(faq.topic, (perTopic.get(faq.topic) ?? 0) + 1);
  }
  lines.push('  per category:');
  for (const category of [...catalogue.categories().map((c) => c.id), '(all products)']) {
    lines.push(`    ${category.padEnd(16)} ${perCategory.get(category) ?? 0}`);
  }
  lines.push('  per topic:');
  for (const [topic, count] of [...perTopic].sort((a, b) => b[1] - a[1])) lines.push(`    ${topic.padEnd(16)} ${count}`);
  lines.push(`guides: ${manual.guides.length}`);
  for (const guide of manual.guides) {
    lines.push(`  ${guide.id.padEnd(28)} ${guide.steps.length} steps  ${guide.categories.join(', ') || '(all products)'}`);
  }
  lines.push(`synonym groups: ${manual.synonyms.length}`, `dictionary words: ${manual.dictionary.length}`);
  const english = englishCoverage(manual);
  lines.push(
    `English: ${english.faqs.translated}/${english.faqs.total} FAQ, ${english.guides.translated}/${english.guides.total} guides ` +
      `(${english.steps.translated}/${english.steps.total} steps)`,
  );
  if (english.faqs.missing.length) lines.push(`  FAQ entries answered in Chinese only: ${some(english.faqs.missing)}`);
  if (english.guides.missing.length) lines.push(`  guides not fully translated: ${some(english.guides.missing)}`);
  if (notes.length) {
    lines.push(`notes (${notes.length}), not problems:`);
    for (const note of notes) lines.push(`  ${formatProblem(note)}`);
  }
  return `${lines.join('\n')}\n`;
}

process.exitCode = main();
