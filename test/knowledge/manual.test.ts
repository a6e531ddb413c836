import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalogue } from '../../desk/catalogue';
import { knowledgeDataDir } from '../../knowledge/dataFiles';
import {
  englishCoverage,
  FAQ_TOPICS,
  formatProblem,
  loadManual,
  ManualError,
  type KnownProducts,
  type ManualProblem,
} from '../../knowledge/manual';
import type { FaqEntry } from '../../knowledge/manualTypes';

const catalogue = Catalogue.default();
const known: KnownProducts = {
  categories: catalogue.categories().map((category) => category.id),
  models: catalogue.models().map((model) => model.id),
};

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A manual folder holding exactly these files (relative path → YAML text). */
function manualDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cs-manual-'));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

// Line numbers in the expectations below refer to these texts; keep them in step.
const FAQ = `faqs:
  - id: phone-a
    topic: howto
    categories: [phone]
    question: 手机怎么截屏？
    similar: [截图咋弄, 怎么截长图]
    steps: [同时按电源键和音量下键。]
    tags: [截屏]
`;

const GUIDE = `guides:
  - id: phone-no-charge
    symptom: 无法充电
    phrases: [充不进电]
    categories: [phone]
    start: cable
    steps:
      - id: cable
        instruction: 换一根原装线。
        detail: 用包装盒里的线。
        question: 能充进电了吗？
        branches:
          - { answer: 好了, next: solved }
          - { answer: 没好, next: restart }
      - id: restart
        instruction: 重启手机。
        detail: 长按电源键十秒。
        question: 能充进电了吗？
        branches:
          - { answer: 好了, next: solved }
          - { answer: 没好, next: report }
`;

const SYNONYMS = `synonyms:
  - terms: [无法充电, 充不进电]
  - terms: [截屏, 截图]
dictionary: [快充]
`;

const BASE = { 'faq/a.yaml': FAQ, 'guides/g.yaml': GUIDE, 'synonyms.yaml': SYNONYMS };

const EN_FAQ = `# English
phone-a:
  question: How do I take a screenshot on my phone?
  steps: [Press the power and volume down buttons together.]
`;

const EN_GUIDE = `phone-no-charge:
  symptom: Phone won't charge
  steps:
    cable:
      instruction: Use the original cable.
      detail: Use the cable from the box.
      question: Is it charging now?
      answers: { 好了: "Yes", 没好: "No" }
    restart:
      instruction: Restart the phone.
      detail: Hold the power button for ten seconds.
      question: Is it charging now?
      answers: { 好了: "Yes", 没好: "No" }
`;

function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture has no "${from}"`);
  return text.replace(from, to);
}

function problemsOf(files: Record<string, string | undefined>, withKnown = false): string[] {
  const present = Object.fromEntries(Object.entries(files).filter((entry): entry is [string, string] => entry[1] !== undefined));
  try {
    loadManual(manualDir(present), withKnown ? { known } : {});
  } catch (error) {
    if (error instanceof ManualError) {
      expect(error.message.split('\n')).toEqual(
        error.problems.map((p) => (p.line ? `${p.file}:${p.line}` : p.file) + (p.path ? ` ${p.path}: ${p.reason}` : ` ${p.reason}`)),
      );
      return error.message.split('\n');
    }
    throw error;
  }
  return [];
}

describe('loadManual on small files', () => {
  test('loads a valid manual with defaults filled in, reporting progress per file', () => {
    const progress: [number, number, string][] = [];
    const manual = loadManual(
      manualDir({
        ...BASE,
        'faq/b.yaml': FAQ.replace('phone-a', 'any-b')
          .replace('    categories: [phone]\n', '')
          .replace('手机怎么截屏？', '怎么查保修？')
          .replace('[截图咋弄, 怎么截长图]', '[保修咋查, 还在保吗]'),
      }),
      {
        known,
        onProgress: (done, total, file) => progress.push([done, total, file]),
      },
    );
    expect(manual.faqs.map((faq) => faq.id)).toEqual(['phone-a', 'any-b']);
    expect(manual.faqs[1]).toMatchObject({ categories: [], models: [], topic: 'howto' });
    expect(manual.guides[0].steps.map((step) => step.id)).toEqual(['cable', 'restart']);
    expect(manual.synonyms).toEqual([{ terms: ['无法充电', '充不进电'] }, { terms: ['截屏', '截图'] }]);
    expect(manual.dictionary).toEqual(['快充']);
    expect(progress).toEqual([
      [1, 4, 'faq/a.yaml'],
      [2, 4, 'faq/b.yaml'],
      [3, 4, 'guides/g.yaml'],
      [4, 4, 'synonyms.yaml'],
    ]);
  });

  // Each case: the files that differ from BASE, and problem lines expected in the message (exactly, or
  // as the start of a line when the reason goes on with a long list).
  const cases: { name: string; files: Record<string, string | undefined>; expected: string[]; withKnown?: boolean }[] = [
    {
      name: 'too few similar questions',
      files: { 'faq/a.yaml': edit(FAQ, '[截图咋弄, 怎么截长图]', '[截图咋弄]') },
      expected: ['faq/a.yaml:6 faqs[0].similar: needs at least 2 item(s)'],
    },
    {
      name: 'a missing field, located at its entry',
      files: { 'faq/a.yaml': edit(FAQ, '    question: 手机怎么截屏？\n', '') },
      expected: ['faq/a.yaml:2 faqs[0].question: is missing'],
    },
    {
      name: 'a product listed as not ours that an entry is asked about',
      files: { 'synonyms.yaml': `${SYNONYMS}notOurs: [冰箱, 手机]\n` },
      expected: ['synonyms.yaml:5 notOurs[1]: "手机" is listed as not ours, but "phone-a" is asked as "手机怎么截屏？"'],
    },
    {
      name: 'an unknown topic',
      files: { 'faq/a.yaml': edit(FAQ, 'topic: howto', 'topic: repair') },
      expected: [`faq/a.yaml:3 faqs[0].topic: expected one of ${FAQ_TOPICS.join(', ')}`],
    },
    {
      name: 'an unknown field',
      files: { 'faq/a.yaml': `${FAQ}    answer: 按电源键。\n` },
      expected: ['faq/a.yaml:9 faqs[0].answer: unknown field (answer)'],
    },
    {
      name: 'an id that is not lowercase-with-dashes',
      files: { 'faq/a.yaml': edit(FAQ, 'id: phone-a', 'id: Phone A') },
      expected: ['faq/a.yaml:2 faqs[0].id: use lowercase letters, digits and dashes, e.g. phone-fast-charge'],
    },
    {
      name: 'an empty step',
      files: { 'faq/a.yaml': edit(FAQ, 'steps: [同时按电源键和音量下键。]', "steps: ['  ']") },
      expected: ['faq/a.yaml:7 faqs[0].steps[0]: must not be empty'],
    },
    {
      name: 'a list where text belongs',
      files: { 'faq/a.yaml': edit(FAQ, 'question: 手机怎么截屏？', 'question: [手机怎么截屏？]') },
      expected: ['faq/a.yaml:5 faqs[0].question: expected a text'],
    },
    {
      name: 'broken YAML',
      files: { 'faq/a.yaml': edit(FAQ, 'tags: [截屏]', 'tags: [截屏') },
      expected: ['faq/a.yaml:9 not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    },
    {
      name: 'an empty file',
      files: { 'faq/a.yaml': '# nothing yet\n' },
      expected: ['faq/a.yaml:1 the file is empty'],
    },
    {
      name: 'a FAQ id used twice, naming both places',
      files: { 'faq/b.yaml': edit(edit(FAQ, '手机怎么截屏？', '手机怎么录屏？'), '[截图咋弄, 怎么截长图]', '[录屏咋弄, 录屏没声音]') },
      expected: ['faq/b.yaml:2 faqs[0].id: duplicate FAQ id "phone-a" (also faq/a.yaml:2 faqs[0].id)'],
    },
    {
      name: 'the same question under two entries',
      files: {
        'faq/b.yaml': edit(FAQ, 'id: phone-a', 'id: phone-b')
          .replace('手机怎么截屏？', '手机怎么录屏？')
          .replace('[截图咋弄, 怎么截长图]', '[手机 怎么截屏, 录屏咋弄]'),
      },
      expected: ['faq/b.yaml:6 faqs[0].similar[0]: "手机 怎么截屏" is already asked at faq/a.yaml:5 faqs[0].question'],
    },
    {
      name: 'unknown categories and models when the catalogue is given',
      files: { 'faq/a.yaml': edit(FAQ, 'categories: [phone]', 'categories: [fone]\n    models: [X20, X99]') },
      withKnown: true,
      expected: [
        'faq/a.yaml:4 faqs[0].categories[0]: unknown category "fone" (known: phone, laptop, tablet, router, tv, earbuds, watch)',
        'faq/a.yaml:5 faqs[0].models[1]: unknown model "X99"',
      ],
    },
    {
      name: 'a guide start that is no step',
      files: { 'guides/g.yaml': edit(GUIDE, 'start: cable', 'start: cabel') },
      expected: ['guides/g.yaml:6 guides[0].start: "cabel" is not a step id of this guide (cable, restart) or solved/report'],
    },
    {
      name: 'a branch leading nowhere, which also strands the step after it',
      files: { 'guides/g.yaml': edit(GUIDE, 'next: restart', 'next: restrat') },
      expected: [
        'guides/g.yaml:14 guides[0].steps[0].branches[1].next: "restrat" is not a step id of this guide (cable, restart) or solved/report',
        'guides/g.yaml:15 guides[0].steps[1].id: step "restart" is unreachable from start "cable"',
      ],
    },
    {
      name: 'an unreachable step',
      files: { 'guides/g.yaml': edit(GUIDE, 'start: cable', 'start: restart') },
      expected: ['guides/g.yaml:8 guides[0].steps[0].id: step "cable" is unreachable from start "restart"'],
    },
    {
      name: 'a step with one branch',
      files: { 'guides/g.yaml': edit(GUIDE, '          - { answer: 没好, next: report }\n', '') },
      expected: ['guides/g.yaml:19 guides[0].steps[1].branches: needs at least 2 item(s)'],
    },
    {
      name: 'a loop with no way out',
      files: {
        'guides/g.yaml': edit(
          edit(
            GUIDE,
            '{ answer: 好了, next: solved }\n          - { answer: 没好, next: report }',
            '{ answer: 好了, next: cable }\n          - { answer: 没好, next: cable }',
          ),
          '{ answer: 好了, next: solved }',
          '{ answer: 好了, next: restart }',
        ),
      },
      expected: [
        'guides/g.yaml:8 guides[0].steps[0].id: step "cable" never leads to solved or report',
        'guides/g.yaml:15 guides[0].steps[1].id: step "restart" never leads to solved or report',
      ],
    },
    {
      name: 'two branches with the same answer',
      files: { 'guides/g.yaml': edit(GUIDE, '{ answer: 没好, next: report }', '{ answer: 好了, next: report }') },
      expected: ['guides/g.yaml:21 guides[0].steps[1].branches[1].answer: "好了" is already an answer of this step'],
    },
    {
      name: 'a step named like an end',
      files: { 'guides/g.yaml': edit(GUIDE, 'id: restart', 'id: report') },
      expected: [
        'guides/g.yaml:15 guides[0].steps[1].id: "report" is reserved for the end of a guide; name the step differently',
        'guides/g.yaml:14 guides[0].steps[0].branches[1].next: "restart" is not a step id of this guide (cable) or solved/report',
      ],
    },
    {
      name: 'a guide id used twice, naming both places',
      files: { 'guides/h.yaml': GUIDE },
      expected: ['guides/h.yaml:2 guides[0].id: duplicate guide id "phone-no-charge" (also guides/g.yaml:2 guides[0].id)'],
    },
    {
      name: 'a synonym term in two groups',
      files: { 'synonyms.yaml': edit(SYNONYMS, '[截屏, 截图]', '[截屏, 充不进电]') },
      expected: ['synonyms.yaml:3 synonyms[1].terms[1]: "充不进电" is already a term at synonyms.yaml:2 synonyms[0].terms[1]'],
    },
    {
      name: 'a synonym group of one term',
      files: { 'synonyms.yaml': edit(SYNONYMS, '[截屏, 截图]', '[截屏]') },
      expected: ['synonyms.yaml:3 synonyms[1].terms: needs at least 2 item(s)'],
    },
    {
      name: 'missing files and folders',
      files: { 'synonyms.yaml': undefined, 'guides/g.yaml': undefined },
      expected: ['guides/ folder is missing', 'synonyms.yaml file is missing'],
    },
    {
      name: 'problems in several files at once',
      files: {
        'faq/a.yaml': edit(FAQ, 'topic: howto', 'topic: '),
        'synonyms.yaml': edit(SYNONYMS, 'dictionary: [快充]', 'dictionary: 快充'),
      },
      expected: ['faq/a.yaml:3 faqs[0].topic: is missing', 'synonyms.yaml:4 dictionary: expected a list'],
    },
  ];

  const englishCases: typeof cases = [
    {
      name: 'an English entry for an FAQ id that does not exist',
      files: { 'en/faq.yaml': edit(EN_FAQ, 'phone-a:', 'phone-b:') },
      expected: ['en/faq.yaml:2 phone-b: no FAQ entry has the id "phone-b"'],
    },
    {
      name: 'an English entry with a different number of steps, naming the Chinese ones',
      files: { 'en/faq.yaml': edit(EN_FAQ, 'together.]', 'together., Then let go.]') },
      expected: ['en/faq.yaml:4 phone-a.steps: has 2 step(s), the Chinese entry has 1 (faq/a.yaml:7 faqs[0].steps)'],
    },
    {
      name: 'an English guide whose id does not exist',
      files: { 'en/guides.yaml': edit(EN_GUIDE, 'phone-no-charge:', 'phone-no-chrge:') },
      expected: ['en/guides.yaml:1 phone-no-chrge: no guide has the id "phone-no-chrge"'],
    },
    {
      name: 'an English step whose id is not a step of the guide',
      files: { 'en/guides.yaml': edit(EN_GUIDE, '    restart:', '    reboot:') },
      expected: ['en/guides.yaml:9 phone-no-charge.steps.reboot: guide "phone-no-charge" has no step "reboot" (its steps: cable, restart)'],
    },
    {
      name: 'an English step missing the English of one answer, naming the Chinese branches',
      files: { 'en/guides.yaml': edit(EN_GUIDE, '{ 好了: "Yes", 没好: "No" }', '{ 好了: "Yes" }') },
      expected: [
        'en/guides.yaml:8 phone-no-charge.steps.cable.answers: no English for the answer "没好" (guides/g.yaml:12 guides[0].steps[0].branches)',
      ],
    },
    {
      name: 'an English answer for a Chinese answer the step does not have',
      files: { 'en/guides.yaml': edit(EN_GUIDE, '{ 好了: "Yes", 没好: "No" }', '{ 好了: "Yes", 没好: "No", 不行: "Nope" }') },
      expected: [
        'en/guides.yaml:8 phone-no-charge.steps.cable.answers.不行: "不行" is not an answer of this step (its answers: 好了, 没好)',
      ],
    },
    {
      name: 'two answers of a step with the same English',
      files: { 'en/guides.yaml': edit(EN_GUIDE, '{ 好了: "Yes", 没好: "No" }', '{ 好了: "Yes", 没好: "yes!" }') },
      expected: ['en/guides.yaml:8 phone-no-charge.steps.cable.answers.没好: "yes!" is already the English of "好了"'],
    },
    {
      name: 'an English step missing a field',
      files: { 'en/guides.yaml': edit(EN_GUIDE, '      detail: Use the cable from the box.\n', '') },
      expected: ['en/guides.yaml:4 phone-no-charge.steps.cable.detail: is missing'],
    },
    {
      name: 'an English synonym in two groups',
      files: { 'en/synonyms.yaml': 'synonyms:\n  - {terms: [invoice, receipt]}\n  - {terms: [bill, receipt]}\n' },
      expected: ['en/synonyms.yaml:3 synonyms[1].terms[1]: "receipt" is already a term at en/synonyms.yaml:2 synonyms[0].terms[1]'],
    },
    {
      name: 'a misspelt file in en/',
      files: { 'en/faqs.yaml': EN_FAQ },
      expected: ['en/faqs.yaml unknown file: en/ holds faq.yaml, guides.yaml and synonyms.yaml'],
    },
  ];

  // The first answer is what a free-form 好了 picks and the last what 没好 picks (troubleshootDialog).
  const outcomeCases: typeof cases = [
    {
      name: 'a step listing its bad answer first and its good answer last',
      files: {
        'guides/g.yaml': edit(
          GUIDE,
          '{ answer: 好了, next: solved }\n          - { answer: 没好, next: report }',
          '{ answer: 没好, next: report }\n          - { answer: 好了, next: solved }',
        ),
      },
      expected: [
        'guides/g.yaml:20 guides[0].steps[1].branches[0]: "没好" is a bad outcome, but a free-form 好了 picks the first answer: put the good answer ("好了") first, or mark this one outcome: good',
        'guides/g.yaml:21 guides[0].steps[1].branches[1]: "好了" is a good outcome, but a free-form 没好 picks the last answer: put the bad answer last, or mark this one outcome: bad',
      ],
    },
    {
      name: 'a last answer that is neither good nor bad',
      files: { 'guides/g.yaml': edit(GUIDE, '{ answer: 没好, next: restart }', '{ answer: 换过线了, next: restart }') },
      expected: ['guides/g.yaml:14 guides[0].steps[0].branches[1]: "换过线了" is neither a good nor a bad outcome'],
    },
    {
      name: 'nothing when outcome: bad says what the wording does not',
      files: { 'guides/g.yaml': edit(GUIDE, '{ answer: 没好, next: restart }', '{ answer: 换过线了, next: restart, outcome: bad }') },
      expected: [],
    },
    {
      name: 'an outcome that contradicts where the answer leads',
      files: {
        'guides/g.yaml': edit(
          GUIDE,
          '{ answer: 好了, next: solved }\n          - { answer: 没好, next: restart }',
          '{ answer: 好了, next: solved, outcome: bad }\n          - { answer: 没好, next: restart }',
        ),
      },
      expected: ['guides/g.yaml:13 guides[0].steps[0].branches[0].outcome: "bad" contradicts next: solved'],
    },
    {
      name: 'a guide that names no product, which could be offered for any product',
      files: { 'guides/g.yaml': edit(GUIDE, '    categories: [phone]\n', '') },
      expected: ['guides/g.yaml:2 guides[0].categories: name the product category this guide is for'],
    },
    {
      name: 'a button the dialog would read as another one',
      files: {
        'guides/g.yaml': edit(
          GUIDE,
          '{ answer: 好了, next: solved }\n          - { answer: 没好, next: restart }',
          '{ answer: "2", next: solved }\n          - { answer: 没好, next: restart }',
        ),
      },
      expected: [
        'guides/g.yaml:13 guides[0].steps[0].branches[0].answer: the button "2" would not be read as itself (but as "没好"): reword it',
      ],
    },
    {
      name: 'an outcome other than good or bad',
      files: { 'guides/g.yaml': edit(GUIDE, '{ answer: 没好, next: report }', '{ answer: 没好, next: report, outcome: fine }') },
      expected: ['guides/g.yaml:21 guides[0].steps[1].branches[1].outcome: expected one of good, bad'],
    },
  ];

  test.each([...englishCases, ...outcomeCases])('reports $name', ({ files, expected, withKnown }) => {
    const lines = problemsOf({ ...BASE, ...files }, withKnown);
    const escape = (line: string): string => line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(lines).toEqual(expected.map((line) => expect.stringMatching(`^${escape(line)}`)));
  });

  test('merges the English versions into entries, steps and answers, and counts what is left untranslated', () => {
    const enGuide = EN_GUIDE.slice(0, EN_GUIDE.indexOf('    restart:'));
    const manual = loadManual(manualDir({ ...BASE, 'en/faq.yaml': EN_FAQ, 'en/guides.yaml': enGuide }));
    expect(manual.faqs[0].en).toEqual({
      question: 'How do I take a screenshot on my phone?',
      steps: ['Press the power and volume down buttons together.'],
    });
    const [guide] = manual.guides;
    expect(guide.en).toEqual({ symptom: "Phone won't charge", phrases: [] });
    expect(guide.steps[0].en).toEqual({
      instruction: 'Use the original cable.',
      detail: 'Use the cable from the box.',
      question: 'Is it charging now?',
    });
    expect(guide.steps[0].branches.map((branch) => branch.en?.answer)).toEqual(['Yes', 'No']);
    // The step left out stays Chinese: allowed, and counted.
    expect(guide.steps[1].en).toBeUndefined();
    expect(englishCoverage(manual)).toEqual({
      faqs: { translated: 1, total: 1, missing: [] },
      guides: { translated: 0, total: 1, missing: ['phone-no-charge'] },
      steps: { translated: 1, total: 2 },
    });
    expect(englishCoverage(loadManual(manualDir(BASE))).faqs).toEqual({ translated: 0, total: 1, missing: ['phone-a'] });
  });

  test("resolves each answer's outcome, and notes (does not reject) a step that asks what the customer sees", () => {
    const notes: ManualProblem[] = [];
    const fork = edit(
      GUIDE,
      '{ answer: 好了, next: solved }\n          - { answer: 没好, next: restart }',
      '{ answer: 所有设备都断, next: restart }\n          - { answer: 只有个别设备断, next: restart }',
    );
    const manual = loadManual(manualDir({ ...BASE, 'guides/g.yaml': fork }), { onNote: (note) => notes.push(note) });
    expect(manual.guides[0].steps.map((step) => step.branches.map((branch) => branch.outcome))).toEqual([
      [undefined, undefined],
      ['good', 'bad'],
    ]);
    expect(notes.map(formatProblem)).toEqual([
      'guides/g.yaml:8 guides[0].steps[0].id: "cable" asks what the customer sees (no answer is a good outcome), so a free-form 好了/没好 is not taken as its answer',
    ]);
  });

  test.each(cases)('reports $name', ({ files, expected, withKnown }) => {
    const lines = problemsOf({ ...BASE, ...files }, withKnown);
    const escape = (line: string): string => line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(lines).toEqual(expected.map((line) => expect.stringMatching(`^${escape(line)}`)));
  });
});

/** The FAQ files this part of the manual ships (laptop, router, tv, guides and synonyms are maintained separately). */
const OWN_FILES = ['phone', 'tablet', 'watch', 'earbuds', 'policy'] as const;
const MINIMUMS: Record<(typeof OWN_FILES)[number], number> = { phone: 25, tablet: 10, watch: 10, earbuds: 12, policy: 15 };

describe('the shipped FAQ files phone, tablet, watch, earbuds and policy', () => {
  // Loaded on their own, beside the small guide and synonyms fixtures, so they are checked whatever
  // state the rest of knowledge/data/ is in.
  const dir = manualDir({ 'guides/g.yaml': GUIDE, 'synonyms.yaml': SYNONYMS });
  mkdirSync(path.join(dir, 'faq'));
  for (const name of OWN_FILES) copyFileSync(path.join(knowledgeDataDir(), 'faq', `${name}.yaml`), path.join(dir, 'faq', `${name}.yaml`));
  const manual = loadManual(dir, { known });
  const byFile = (name: string): FaqEntry[] => manual.faqs.filter((faq) => faq.id.startsWith(`${name}-`));

  test('have enough entries, every one named after its file', () => {
    for (const name of OWN_FILES) expect(byFile(name).length).toBeGreaterThanOrEqual(MINIMUMS[name]);
    expect(OWN_FILES.reduce((sum, name) => sum + byFile(name).length, 0)).toBe(manual.faqs.length);
  });

  test('entries have 3–8 similar questions, 2–6 steps and 2–4 tags', () => {
    const within = (count: number, min: number, max: number): boolean => count >= min && count <= max;
    const off = manual.faqs
      .filter((faq) => !within(faq.similar.length, 3, 8) || !within(faq.steps.length, 2, 6) || !within(faq.tags.length, 2, 4))
      .map((faq) => `${faq.id}: ${faq.similar.length} similar, ${faq.steps.length} steps, ${faq.tags.length} tags`);
    expect(off).toEqual([]);
  });

  test('product entries apply to their own family and cover every non-policy topic', () => {
    for (const name of OWN_FILES.filter((file) => file !== 'policy')) {
      for (const faq of byFile(name)) expect({ id: faq.id, categories: faq.categories }).toEqual({ id: faq.id, categories: [name] });
    }
    const topics = new Set(manual.faqs.filter((faq) => !faq.id.startsWith('policy-')).map((faq) => faq.topic));
    expect([...topics].sort()).toEqual(FAQ_TOPICS.filter((topic) => topic !== 'warranty' && topic !== 'service').sort());
  });

  test('policy entries are warranty or service answers for every product, with the regulations’ figures', () => {
    const policy = byFile('policy');
    for (const faq of policy) {
      expect(['warranty', 'service']).toContain(faq.topic);
      expect(faq.categories).toEqual([]);
    }
    const text = policy.flatMap((faq) => faq.steps).join('\n');
    for (const fact of [
      '7 天',
      '15 天',
      '90 天',
      '9:00',
      '22:00',
      '6 个工作小时',
      '7 个工作小时',
      '2 小时',
      '2 个工作日',
      '5 个工作日',
      '个人信息保护法',
    ]) {
      expect(text).toContain(fact);
    }
  });

  test('answers quote no prices: fees come from the catalogue after diagnosis', () => {
    for (const faq of manual.faqs) expect(faq.steps.join('')).not.toMatch(/\d+\s*元|¥|￥/);
  });
});

describe('the shipped manual', () => {
  const notes: ManualProblem[] = [];
  const manual = loadManual(undefined, { known, onNote: (note) => notes.push(note) });

  test('loads against the catalogue with no problems, with the sizes the issue asks for', () => {
    expect(manual.faqs.length).toBeGreaterThanOrEqual(150);
    expect(manual.guides.length).toBeGreaterThanOrEqual(12);
    expect(new Set(manual.faqs.flatMap((faq) => faq.categories)).size).toBe(7);
    for (const name of OWN_FILES) expect(manual.faqs.some((faq) => faq.id.startsWith(`${name}-`))).toBe(true);
  });

  test('is translated into English in full', () => {
    const coverage = englishCoverage(manual);
    expect(coverage.faqs.missing).toEqual([]);
    expect(coverage.guides.missing).toEqual([]);
    expect(coverage.steps.translated).toBe(coverage.steps.total);
    for (const guide of manual.guides) expect(guide.en?.phrases.length).toBeGreaterThanOrEqual(4);
  });

  test('the English keeps every figure of the Chinese (days, percentages, seconds, phone numbers)', () => {
    // 7 号 is a battery size, written AAA in English; other figures must appear as they are.
    const figures = (text: string): string[] => text.replace(/\d+\s*号/g, '').match(/\d+(?:\.\d+)?/g) ?? [];
    const lost: string[] = [];
    const compare = (where: string, chinese: string, english: string | undefined): void => {
      for (const figure of figures(chinese)) if (!figures(english ?? '').includes(figure)) lost.push(`${where}: ${figure}`);
    };
    for (const faq of manual.faqs) faq.steps.forEach((step, i) => compare(`${faq.id}[${i}]`, step, faq.en?.steps[i]));
    for (const guide of manual.guides) {
      for (const step of guide.steps)
        for (const field of ['instruction', 'detail', 'question'] as const)
          compare(`${guide.id}/${step.id}.${field}`, step[field], step.en?.[field]);
    }
    expect(lost).toEqual([]);
  });

  test('every step puts its good answer first and its bad answer last, except those asking what the customer sees', () => {
    expect(notes.map((note) => note.reason.split(' ')[0])).toEqual([
      '"power-check-signs"',
      '"heat-safety-check"',
      '"rdrop-scope"',
      '"rnet-modem-light"',
      '"tvpic-flashlight"',
      '"tvsnd-scope"',
    ]);
    for (const step of manual.guides.flatMap((guide) => guide.steps)) {
      const outcomes = step.branches.map((branch) => branch.outcome);
      if (outcomes.includes('good')) expect([step.id, outcomes[0], outcomes[outcomes.length - 1]]).toEqual([step.id, 'good', 'bad']);
    }
  });
});
