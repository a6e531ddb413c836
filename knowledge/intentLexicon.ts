/** The words the recognizer and the facts extractor borrow from the service manual. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { compactOf, HAN, normalize } from './cueRules';
import { knowledgeDataDir } from './dataFiles';

/** What the recognizer borrows from the service manual: its synonym groups and the guides' symptom phrases. */
export interface Lexicon {
  /** synonyms.yaml `synonyms`, each group with its standard term first. */
  synonyms: string[][];
  /** guides/*.yaml `phrases`: how customers describe a fault. */
  symptomPhrases: string[];
}

const lexicons = new Map<string, Lexicon>();

/**
 * The lexicon in `dir` (default knowledge/data/), read straight from the yaml so that a recognizer
 * needs neither the FAQ index nor a valid manual; what is missing or malformed is left out (npm run
 * kb:check reports it).
 */
export function loadLexicon(dir: string = knowledgeDataDir()): Lexicon {
  const cached = lexicons.get(dir);
  if (cached) return cached;
  const strings = (x: unknown): string[] =>
    Array.isArray(x) ? x.filter((v) => typeof v === 'string' || typeof v === 'number').map(String) : [];
  const read = (file: string): unknown => {
    try {
      return existsSync(file) ? parseYaml(readFileSync(file, 'utf8')) : undefined;
    } catch {
      return undefined;
    }
  };
  const lexicon: Lexicon = { synonyms: [], symptomPhrases: [] };
  const syn = read(path.join(dir, 'synonyms.yaml')) as { synonyms?: unknown } | undefined;
  if (Array.isArray(syn?.synonyms)) {
    for (const group of syn.synonyms as { terms?: unknown }[]) {
      const terms = strings(group?.terms);
      if (terms.length > 1) lexicon.synonyms.push(terms);
    }
  }
  const guideDir = path.join(dir, 'guides');
  const guideFiles = existsSync(guideDir)
    ? readdirSync(guideDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];
  for (const file of guideFiles) {
    const data = read(path.join(guideDir, file)) as { guides?: unknown } | undefined;
    if (!Array.isArray(data?.guides)) continue;
    for (const guide of data.guides as { phrases?: unknown }[]) lexicon.symptomPhrases.push(...strings(guide?.phrases));
  }
  lexicons.set(dir, lexicon);
  return lexicon;
}

/**
 * The words that describe a fault: the hint words, how the guides say customers describe faults, and
 * every synonym group that holds one of those (so 屏幕乱码 counts because 花屏 does). Shared with the
 * facts extractor (knowledge/facts.ts), so that what routes a message as a fault also finds its symptom.
 */
export function symptomCues(hintSymptoms: string[], lexicon: Lexicon): string[] {
  const hints = hintSymptoms.map((w) => compactOf(normalize(w)));
  const phrases = lexicon.symptomPhrases.map((p) => compactOf(normalize(p))).filter((p) => [...p].length >= 2);
  const known = new Set([...hints, ...phrases]);
  const symptomGroups = lexicon.synonyms.filter((group) => group.some((t) => known.has(compactOf(normalize(t)))));
  const extra = [...new Set([...phrases, ...symptomGroups.flat().map((t) => compactOf(normalize(t)))])].filter(
    (w) => HAN.test(w) && [...w].length >= 2 && !known.has(w),
  );
  return [...hintSymptoms, ...phrases.filter((p) => !hints.includes(p)), ...extra];
}
