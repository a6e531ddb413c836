/** Loading the service manual: its files read, parsed, checked and merged into one Manual. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { knowledgeDataDir } from './dataFiles';
import {
  checkFaqs,
  checkGuides,
  checkGuidesMove,
  checkKnown,
  checkNotOurs,
  checkOutcomes,
  checkSynonyms,
  type KnownProducts,
} from './manualChecks';
import {
  englishFaqFileSchema,
  englishGuideFileSchema,
  englishSynonymsFileSchema,
  faqFileSchema,
  guideFileSchema,
  synonymsFileSchema,
  type EnglishGuide,
} from './manualSchema';
import { ManualError, SourceFile, type Located, type ManualProblem } from './manualSource';
import { translateFaqs, translateGuides } from './manualTranslations';
import type { FaqEntry, FaqTranslation, Guide, Manual, SynonymGroup } from './manualTypes';

// What the rest of the project imports from the manual, whichever file of it does the work.
export { outcomeOf, type KnownProducts } from './manualChecks';
export { BRANCH_OUTCOMES, FAQ_TOPICS, GUIDE_ENDS } from './manualSchema';
export { formatProblem, ManualError, type ManualProblem } from './manualSource';
export { englishCoverage, type EnglishCoverage } from './manualTranslations';

/*
 * The service manual is edited by service leads, not programmers, so every mistake is reported with
 * the file, line and field it is on, all at once, rather than one crash at a time.
 */

export interface LoadManualOptions {
  known?: KnownProducts;
  /** Called after each file is read and validated: `done` of `total` files, `file` relative to the folder. */
  onProgress?: (done: number, total: number, file: string) => void;
  /** Things worth knowing that are not mistakes (a step that asks what the customer sees), each at its line. */
  onNote?: (note: ManualProblem) => void;
}

type FileKind = 'faq' | 'guides' | 'synonyms' | 'en-faq' | 'en-guides' | 'en-synonyms';

const YAML_FILE = /\.ya?ml$/;

/** The translations' folder and its files; all optional, since a manual may not be translated yet. */
const ENGLISH_DIR = 'en';
const ENGLISH_FILES: Record<string, FileKind> = { faq: 'en-faq', guides: 'en-guides', synonyms: 'en-synonyms' };

function listFiles(dir: string, problems: ManualProblem[]): { kind: FileKind; name: string }[] {
  const files: { kind: FileKind; name: string }[] = [];
  for (const kind of ['faq', 'guides'] as const) {
    const folder = path.join(dir, kind);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      problems.push({ file: `${kind}/`, path: '', reason: 'folder is missing' });
      continue;
    }
    const names = readdirSync(folder)
      .filter((name) => YAML_FILE.test(name))
      .sort();
    if (!names.length) problems.push({ file: `${kind}/`, path: '', reason: 'has no .yaml files' });
    for (const name of names) files.push({ kind, name: `${kind}/${name}` });
  }
  if (existsSync(path.join(dir, 'synonyms.yaml'))) files.push({ kind: 'synonyms', name: 'synonyms.yaml' });
  else problems.push({ file: 'synonyms.yaml', path: '', reason: 'file is missing' });

  const english = path.join(dir, ENGLISH_DIR);
  if (existsSync(english) && statSync(english).isDirectory()) {
    for (const name of readdirSync(english)
      .filter((file) => YAML_FILE.test(file))
      .sort()) {
      const kind = ENGLISH_FILES[name.replace(YAML_FILE, '')];
      // A misspelt name (faqs.yaml) would otherwise be skipped without a word and look untranslated.
      if (kind) files.push({ kind, name: `${ENGLISH_DIR}/${name}` });
      else
        problems.push({
          file: `${ENGLISH_DIR}/${name}`,
          path: '',
          reason: `unknown file: ${ENGLISH_DIR}/ holds faq.yaml, guides.yaml and synonyms.yaml`,
        });
    }
  }
  return files;
}

/**
 * The service manual in `dir` (default knowledge/data/): `faq/*.yaml`, `guides/*.yaml`,
 * `synonyms.yaml` and, when present, the English versions `en/faq.yaml`, `en/guides.yaml` and `en/synonyms.yaml`, merged
 * into the entries as `en`. Throws a ManualError listing every problem found, as `file:line field: reason`.
 */
export function loadManual(dir: string = knowledgeDataDir(), options: LoadManualOptions = {}): Manual {
  if (!existsSync(dir)) throw new ManualError([{ file: dir, path: '', reason: 'folder is missing' }]);
  const problems: ManualProblem[] = [];
  const files = listFiles(dir, problems);
  const faqs: Located<FaqEntry>[] = [];
  const guides: Located<Guide>[] = [];
  const synonyms: Located<SynonymGroup>[] = [];
  const dictionary: string[] = [];
  const notOurs: Located<string>[] = [];
  const otherBrands: string[] = [];
  const englishFaqs: Located<FaqTranslation>[] = [];
  const englishGuides: Located<EnglishGuide>[] = [];
  const englishSynonyms: Located<SynonymGroup>[] = [];

  files.forEach((file, index) => {
    const source = new SourceFile(file.name, readFileSync(path.join(dir, file.name), 'utf8'));
    if (file.kind === 'faq') {
      const data = source.parse(faqFileSchema, problems);
      data?.faqs.forEach((value, i) => faqs.push({ value, source, path: ['faqs', i] }));
    } else if (file.kind === 'guides') {
      const data = source.parse(guideFileSchema, problems);
      data?.guides.forEach((value, i) => guides.push({ value, source, path: ['guides', i] }));
    } else if (file.kind === 'synonyms') {
      const data = source.parse(synonymsFileSchema, problems);
      data?.synonyms.forEach((value, i) => synonyms.push({ value, source, path: ['synonyms', i] }));
      if (data) dictionary.push(...data.dictionary);
      data?.notOurs.forEach((value, i) => notOurs.push({ value, source, path: ['notOurs', i] }));
      if (data) otherBrands.push(...data.otherBrands);
    } else if (file.kind === 'en-faq') {
      const data = source.parse(englishFaqFileSchema, problems);
      for (const [id, value] of Object.entries(data ?? {})) englishFaqs.push({ value, source, path: [id] });
    } else if (file.kind === 'en-synonyms') {
      const data = source.parse(englishSynonymsFileSchema, problems);
      data?.synonyms.forEach((value, i) => englishSynonyms.push({ value, source, path: ['synonyms', i] }));
    } else {
      const data = source.parse(englishGuideFileSchema, problems);
      for (const [id, value] of Object.entries(data ?? {})) englishGuides.push({ value, source, path: [id] });
    }
    options.onProgress?.(index + 1, files.length, file.name);
  });

  problems.push(
    ...checkFaqs(faqs),
    ...checkGuides(guides),
    ...checkOutcomes(guides, options.onNote),
    ...checkSynonyms(synonyms),
    ...checkSynonyms(englishSynonyms),
  );
  problems.push(...checkNotOurs(notOurs, faqs, guides));
  problems.push(...translateFaqs(faqs, englishFaqs), ...translateGuides(guides, englishGuides));
  problems.push(...checkGuidesMove(guides));
  if (options.known) problems.push(...checkKnown([...faqs, ...guides], options.known));
  if (problems.length) throw new ManualError(problems);
  return {
    faqs: faqs.map((entry) => entry.value),
    guides: guides.map((entry) => entry.value),
    synonyms: synonyms.map((entry) => entry.value),
    englishSynonyms: englishSynonyms.map((entry) => entry.value),
    dictionary,
    notOurs: notOurs.map((word) => word.value),
    otherBrands,
  };
}
