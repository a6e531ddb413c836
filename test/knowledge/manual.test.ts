import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Catalogue } from '../../desk/catalogue';
import { knowledgeDataDir } from '../../knowledge/dataFiles';
import { FAQ_TOPICS, loadManual, ManualError, type KnownProducts } from '../../knowledge/manual';
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
      expect(error.message.split('\n')).toEqual(error.problems.map((p) => (p.line ? `${p.file}:${p.line}` : p.file) + (p.path ? ` ${p.path}: ${p.reason}` : ` ${p.reason}`)));
      return error.message.split('\n');
    }
    throw error;
  }
  return [];
}

describe('loadManual on small files', () => {
  test('loads a valid manual with defaults filled in, reporting progress per file', () => {
    const progress: [number, number, string][] = [];
    const manual = loadManual(manualDir({ ...BASE, 'faq/b.yaml': FAQ.replace('phone-a', 'any-b').replace('    categories: [phone]\n', '').replace('手机怎么截屏？', '怎么查保修？').replace('[截图咋弄, 怎么截长图]', '[保修咋查, 还在保吗]') }), {
      known,
      onProgress: (done, total, file) => progress.push([done, total, file]),
    });
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
      files: { 'faq/b.yaml': edit(FAQ, 'id: phone-a', 'id: phone-b').replace('手机怎么截屏？', '手机怎么录屏？').replace('[截图咋弄, 怎么截长图]', '[手机 怎么截屏, 录屏咋弄]') },
      expected: ['faq/b.yaml:6 faqs[0].similar[0]: "手机 怎么截屏" is already asked at faq/a.yaml:5 faqs[0].question'],
    },
    {
      name: 'unknown categories and models when the catalogue is given',
      files: { 'faq/a.yaml': edit(FAQ, 'categories: [phone]', 'categories: [fone]\n    models: [X20, X99]') },
      withKnown: true,
      expected: ['faq/a.yaml:4 faqs[0].categories[0]: unknown category "fone" (known: phone, laptop, tablet, router, tv, earbuds, watch)', 'faq/a.yaml:5 faqs[0].models[1]: unknown model "X99"'],
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
      files: { 'guides/g.yaml': edit(edit(GUIDE, '{ answer: 好了, next: solved }\n          - { answer: 没好, next: report }', '{ answer: 好了, next: cable }\n          - { answer: 没好, next: cable }'), '{ answer: 好了, next: solved }', '{ answer: 好了, next: restart }') },
      expected: ['guides/g.yaml:8 guides[0].steps[0].id: step "cable" never leads to solved or report', 'guides/g.yaml:15 guides[0].steps[1].id: step "restart" never leads to solved or report'],
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
      files: { 'faq/a.yaml': edit(FAQ, 'topic: howto', 'topic: '), 'synonyms.yaml': edit(SYNONYMS, 'dictionary: [快充]', 'dictionary: 快充') },
      expected: ['faq/a.yaml:3 faqs[0].topic: is missing', 'synonyms.yaml:4 dictionary: expected a list'],
    },
  ];

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

  test('entries have 3–5 similar questions, 2–6 steps and 2–4 tags', () => {
    const within = (count: number, min: number, max: number): boolean => count >= min && count <= max;
    const off = manual.faqs
      .filter((faq) => !within(faq.similar.length, 3, 5) || !within(faq.steps.length, 2, 6) || !within(faq.tags.length, 2, 4))
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
    for (const fact of ['7 天', '15 天', '90 天', '9:00', '22:00', '6 个工作小时', '7 个工作小时', '2 小时', '2 个工作日', '5 个工作日', '个人信息保护法']) {
      expect(text).toContain(fact);
    }
  });

  test('answers quote no prices: fees come from the catalogue after diagnosis', () => {
    for (const faq of manual.faqs) expect(faq.steps.join('')).not.toMatch(/\d+\s*元|¥|￥/);
  });
});

describe('the shipped manual', () => {
  test('loads against the catalogue with no problems, with the sizes the issue asks for', () => {
    const manual = loadManual(undefined, { known });
    expect(manual.faqs.length).toBeGreaterThanOrEqual(150);
    expect(manual.guides.length).toBeGreaterThanOrEqual(12);
    expect(new Set(manual.faqs.flatMap((faq) => faq.categories)).size).toBe(7);
    for (const name of OWN_FILES) expect(manual.faqs.some((faq) => faq.id.startsWith(`${name}-`))).toBe(true);
  });
});
