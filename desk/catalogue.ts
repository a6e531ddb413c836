import { readFileSync } from 'node:fs';
import path from 'node:path';
import { YamlSource, type FieldPath, type SourceProblem } from '../common/yamlSource';
import { z } from 'zod';
import { deskDataFile } from './dataFiles';
import type { Category, FeeRange, ProductModel, ServiceMode } from './model';

const text = z.string().trim().min(1);
const days = z.number().int().nonnegative();
const months = z.number().int().positive();
const yuan = z.number().nonnegative();

const partSchema = z.strictObject({ id: text, name: text, nameEn: text, months });
const feeSchema = z.strictObject({
  id: text,
  name: text,
  nameEn: text,
  minYuan: yuan,
  maxYuan: yuan,
  /** How customers name what is repaired (屏幕, 电池, screen): a fee question is answered with these fees. */
  keywords: z.array(text).default([]),
});
/** One place the serial is printed, for customers who cannot find it. */
const serialLocationSchema = z.strictObject({ zh: text, en: text });
const termsSchema = z.strictObject({
  refundDays: days,
  exchangeDays: days,
  mainUnitMonths: months,
  parts: z.array(partSchema),
  repairedPartDays: days,
});

export const categorySchema = z.strictObject({
  id: text,
  name: text,
  nameEn: text,
  /** How customers name the family; kept beside the Category, which has no such field. */
  keywords: z.array(text).default([]),
  serialPattern: text,
  serialExample: text,
  /** Where the serial is printed on this kind of product: two or three places. */
  serialLocations: z.array(serialLocationSchema).min(2).max(3).optional(),
  terms: termsSchema,
  exclusions: z.array(text).min(1),
  serviceModes: z.array(z.enum(['onsite', 'carryIn', 'mailIn'] as const satisfies readonly ServiceMode[])).min(1),
  fees: z.array(feeSchema).min(1),
});

export const productModelSchema = z.strictObject({
  id: text,
  name: text,
  nameEn: text,
  category: text,
  aliases: z.array(text).default([]),
});

export const catalogueFileSchema = z.strictObject({
  categories: z.array(categorySchema).min(1),
  models: z.array(productModelSchema).min(1),
});

type CatalogueFile = z.infer<typeof catalogueFileSchema>;
export type SerialLocation = z.infer<typeof serialLocationSchema>;
export type CatalogueProblem = SourceProblem;

/** A catalogue a service lead got wrong, located so they can fix it: `catalogue.yaml:57 categories[2].terms.refundDays: expected a number`. */
export class CatalogueError extends Error {
  constructor(
    readonly file: string,
    readonly problems: CatalogueProblem[],
  ) {
    super(problems.map((problem) => formatProblem(file, problem)).join('\n'));
    this.name = 'CatalogueError';
  }
}

function formatProblem(file: string, problem: CatalogueProblem): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}`;
  return problem.path ? `${where} ${problem.path}: ${problem.reason}` : `${where} ${problem.reason}`;
}

/**
 * Customers write model names with or without spaces, in full-width letters, in any case; this is
 * the one spelling both the names and their sentences are compared in.
 */
export function normalizeName(value: string): string {
  return value.normalize('NFKC').toLowerCase().replace(SEPARATORS, '');
}

const SEPARATORS = /[\s\-_·]+/g;
const isSeparator = (char: string): boolean => /[\s\-_·]/.test(char);
const isAsciiLetter = (char: string | undefined): boolean => char !== undefined && /[a-z]/.test(char);
const isDigit = (char: string | undefined): boolean => char !== undefined && /[0-9]/.test(char);

/**
 * A sentence with the separators taken out, remembering where they were: "x20 12月" must not read as
 * "x2012月" when deciding whether "x20" stands on its own.
 */
interface CompactText {
  text: string;
  gapBefore: boolean[];
}

function compact(sentence: string): CompactText {
  let out = '';
  const gapBefore: boolean[] = [];
  let gap = false;
  for (const char of sentence.normalize('NFKC').toLowerCase()) {
    if (isSeparator(char)) {
      gap = true;
      continue;
    }
    out += char;
    // Indices must follow indexOf's UTF-16 units, so a character outside the BMP takes two.
    for (let unit = 0; unit < char.length; unit += 1) gapBefore.push(unit === 0 && gap);
    gap = false;
  }
  gapBefore.push(gap);
  return { text: out, gapBefore };
}

interface Hit {
  start: number;
  length: number;
}

/** Where `key` stands in the sentence as a word of its own: "x20" is not inside "x200" nor "ax20". */
function findWord(sentence: CompactText, key: string): Hit | undefined {
  let from = 0;
  for (;;) {
    const start = sentence.text.indexOf(key, from);
    if (start < 0) return undefined;
    const end = start + key.length;
    const before = start > 0 && !sentence.gapBefore[start] ? sentence.text[start - 1] : undefined;
    const after = end < sentence.text.length && !sentence.gapBefore[end] ? sentence.text[end] : undefined;
    const first = key[0];
    const last = key[key.length - 1];
    const joinedBefore = (isAsciiLetter(first) || isDigit(first)) && (isAsciiLetter(before) || isDigit(before));
    const joinedAfter = (isDigit(last) && isDigit(after)) || (isAsciiLetter(last) && isAsciiLetter(after));
    if (!joinedBefore && !joinedAfter) return { start, length: key.length };
    from = start + 1;
  }
}

/** The serial pattern as the loader uses it: anchored, whatever the editor wrote around it. */
export function anchoredSerialPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${stripAnchors(pattern)})$`);
}

function stripAnchors(pattern: string): string {
  return pattern.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
}

/** Uppercase ASCII without spaces or dashes: the spelling serials are stored and compared in. */
export function normalizeSerial(value: string): string {
  return value
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-_]+/g, '');
}

interface NamedKey<T> {
  key: string;
  value: T;
}

export class Catalogue {
  private readonly categoryById = new Map<string, Category>();
  private readonly modelById = new Map<string, ProductModel>();
  private readonly serialPatterns: { category: Category; pattern: RegExp }[] = [];
  private readonly modelKeys: NamedKey<ProductModel>[] = [];
  private readonly categoryKeys: NamedKey<Category>[] = [];
  private readonly wordsByCategory = new Map<string, string[]>();
  private readonly serialLocationsByCategory = new Map<string, SerialLocation[]>();
  /** Per category, each fee with the words that ask for it. */
  private readonly feeWords = new Map<string, { fee: FeeRange; keys: string[] }[]>();

  private constructor(file: CatalogueFile) {
    for (const entry of file.categories) {
      const { keywords, serialLocations, fees: feeEntries, ...fields } = entry;
      const fees: FeeRange[] = feeEntries.map(({ keywords: _words, ...fee }) => fee);
      const category: Category = deepFreeze({ ...fields, fees, serialPattern: stripAnchors(fields.serialPattern) });
      this.categoryById.set(category.id, category);
      this.serialLocationsByCategory.set(category.id, deepFreeze(serialLocations ?? []));
      this.feeWords.set(
        category.id,
        feeEntries.map((fee, index) => ({
          fee: category.fees[index],
          keys: [fee.name, fee.nameEn, ...fee.keywords].map(normalizeName).filter(Boolean),
        })),
      );
      this.serialPatterns.push({ category, pattern: anchoredSerialPattern(category.serialPattern) });
      this.wordsByCategory.set(category.id, [category.name, category.nameEn, ...keywords]);
      const words = new Set([category.name, category.nameEn, category.id, ...keywords].map(normalizeName));
      for (const key of words) if (key) this.categoryKeys.push({ key, value: category });
    }
    for (const entry of file.models) {
      const model: ProductModel = deepFreeze({ ...entry });
      this.modelById.set(model.id, model);
      for (const key of modelKeysOf(model)) this.modelKeys.push({ key, value: model });
    }
  }

  static fromFile(filePath: string): Catalogue {
    return Catalogue.fromYaml(readFileSync(filePath, 'utf8'), path.basename(filePath));
  }

  static fromYaml(source: string, fileName: string): Catalogue {
    const yaml = new YamlSource(fileName, source);
    const parsed = yaml.parse(catalogueFileSchema);
    if (!parsed.ok) throw new CatalogueError(fileName, parsed.problems);
    const problems = crossCheck(parsed.value).map(([fieldPath, reason]) => yaml.problem(fieldPath, reason));
    if (problems.length) throw new CatalogueError(fileName, problems);
    return new Catalogue(parsed.value);
  }

  /** The shipped catalogue, desk/data/catalogue.yaml. */
  static default(): Catalogue {
    return Catalogue.fromFile(deskDataFile('catalogue.yaml'));
  }

  categories(): Category[] {
    return [...this.categoryById.values()];
  }

  category(id: string): Category | undefined {
    return this.categoryById.get(id);
  }

  models(): ProductModel[] {
    return [...this.modelById.values()];
  }

  model(id: string): ProductModel | undefined {
    const exact = this.modelById.get(id);
    if (exact) return exact;
    const wanted = normalizeName(id);
    return this.models().find((model) => normalizeName(model.id) === wanted);
  }

  modelsOf(categoryId: string): ProductModel[] {
    return this.models().filter((model) => model.category === categoryId);
  }

  /** The model a customer names anywhere in a sentence; the longest name wins, so "X20 Pro" beats "X20". */
  findModel(sentence: string): ProductModel | undefined {
    return bestHit(compact(sentence), this.modelKeys, (a, b) => b.length - a.length || a.start - b.start);
  }

  /**
   * The product family a sentence is about, from words such as 手机, 笔记本 or 蓝牙耳机, or from a model
   * it names. The first mentioned wins ("我的耳机连不上手机" is about the earbuds); at the same place
   * the longer word wins, so 平板电脑 is a tablet and 电话手表 a watch.
   */
  findCategory(sentence: string): Category | undefined {
    const modelsAsCategories = this.modelKeys.map(({ key, value }) => ({ key, value: this.categoryById.get(value.category) as Category }));
    return bestHit(compact(sentence), [...this.categoryKeys, ...modelsAsCategories], (a, b) => a.start - b.start || b.length - a.length);
  }

  /** The words customers use for a family (手机, 电话, phone …), as written in the catalogue. */
  categoryWords(categoryId: string): string[] {
    return this.wordsByCategory.get(categoryId) ?? [];
  }

  /** Where the serial is printed on a product of this family (empty when the catalogue does not say). */
  serialLocations(categoryId: string): readonly SerialLocation[] {
    return this.serialLocationsByCategory.get(categoryId) ?? [];
  }

  /**
   * The fees of a family that a sentence asks about ("换个屏幕多少钱" → 换屏), by the fees' names and
   * keywords; empty when it names none of them.
   */
  feesAsked(categoryId: string, sentence: string): FeeRange[] {
    const words = compact(sentence);
    return (this.feeWords.get(categoryId) ?? [])
      .filter(({ keys }) => keys.some((key) => findWord(words, key) !== undefined))
      .map(({ fee }) => fee);
  }

  categoryOfSerial(serial: string): Category | undefined {
    const wanted = normalizeSerial(serial);
    return this.serialPatterns.find(({ pattern }) => pattern.test(wanted))?.category;
  }
}

function bestHit<T>(sentence: CompactText, keys: NamedKey<T>[], order: (a: Hit, b: Hit) => number): T | undefined {
  let best: { hit: Hit; value: T } | undefined;
  for (const { key, value } of keys) {
    const hit = findWord(sentence, key);
    if (hit && (!best || order(hit, best.hit) < 0)) best = { hit, value };
  }
  return best?.value;
}

function modelKeysOf(model: Pick<ProductModel, 'id' | 'name' | 'nameEn' | 'aliases'>): Set<string> {
  // One-letter keys would match half of every sentence.
  return new Set([model.id, model.name, model.nameEn, ...model.aliases].map(normalizeName).filter((key) => key.length >= 2));
}

/** What the schema cannot say: consistency between fields and between entries. */
function crossCheck(file: CatalogueFile): [FieldPath, string][] {
  const problems: [FieldPath, string][] = [];
  const categoryIndex = new Map<string, number>();
  const patterns: { index: number; id: string; example: string; pattern: RegExp }[] = [];

  file.categories.forEach((category, index) => {
    const at = (...rest: (string | number)[]): FieldPath => ['categories', index, ...rest];
    const earlier = categoryIndex.get(category.id);
    if (earlier !== undefined) problems.push([at('id'), `duplicate category id "${category.id}" (also categories[${earlier}])`]);
    else categoryIndex.set(category.id, index);

    let pattern: RegExp | undefined;
    try {
      pattern = anchoredSerialPattern(category.serialPattern);
    } catch (error) {
      problems.push([at('serialPattern'), `not a valid regular expression (${(error as Error).message})`]);
    }
    if (pattern) {
      if (!pattern.test(category.serialExample)) {
        problems.push([at('serialExample'), `"${category.serialExample}" does not match serialPattern ${category.serialPattern}`]);
      }
      patterns.push({ index, id: category.id, example: category.serialExample, pattern });
    }

    if (category.terms.exchangeDays < category.terms.refundDays) {
      problems.push([at('terms', 'exchangeDays'), `must not be less than refundDays (${category.terms.refundDays})`]);
    }
    const partIds = new Set<string>();
    category.terms.parts.forEach((part, partIndex) => {
      if (partIds.has(part.id)) problems.push([at('terms', 'parts', partIndex, 'id'), `duplicate part id "${part.id}"`]);
      partIds.add(part.id);
    });
    category.fees.forEach((fee, feeIndex) => {
      if (fee.minYuan > fee.maxYuan) {
        problems.push([at('fees', feeIndex, 'minYuan'), `minYuan ${fee.minYuan} is more than maxYuan ${fee.maxYuan}`]);
      }
    });
  });

  // A serial must name one family only, or categoryOfSerial would depend on the order of the file.
  for (const mine of patterns) {
    for (const other of patterns) {
      if (other !== mine && other.pattern.test(mine.example)) {
        problems.push([
          ['categories', mine.index, 'serialExample'],
          `"${mine.example}" also matches the serial pattern of "${other.id}": the formats overlap`,
        ]);
      }
    }
  }

  const modelIndex = new Map<string, number>();
  const keyOwner = new Map<string, string>();
  file.models.forEach((model, index) => {
    const at = (...rest: (string | number)[]): FieldPath => ['models', index, ...rest];
    const earlier = modelIndex.get(model.id);
    if (earlier !== undefined) problems.push([at('id'), `duplicate model id "${model.id}" (also models[${earlier}])`]);
    else modelIndex.set(model.id, index);
    if (!categoryIndex.has(model.category)) {
      problems.push([at('category'), `unknown category "${model.category}" (known: ${[...categoryIndex.keys()].join(', ')})`]);
    }
    for (const key of modelKeysOf(model)) {
      const owner = keyOwner.get(key);
      if (owner !== undefined && owner !== model.id) {
        const aliasIndex = model.aliases.findIndex((alias) => normalizeName(alias) === key);
        problems.push([aliasIndex >= 0 ? at('aliases', aliasIndex) : at('id'), `"${key}" already names model "${owner}"`]);
      } else keyOwner.set(key, model.id);
    }
  });
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
