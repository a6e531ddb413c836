import type { Activity } from 'botbuilder';
import type { Category, FeeRange, ProductModel } from '../desk/model';
import { normalizeUtterance, type Locale, type MessageFacts } from '../knowledge';
import { askWithChoices, matchChoice } from './choices';
import type { DeskServices } from './deskServices';
import type { ServiceTexts } from './serviceTexts';

/*
 * Finding out which product it is, shared by 报修 and 保修查询: by serial, by model, or — when the
 * customer knows neither — the family and then its models as buttons, with where the serial is
 * printed. Nothing here asks the same question a third time; the dialogs count.
 */

/**
 * Whether the answer is one of these button labels, as pressed or typed (text channels send the
 * label for its number). Not partial: "My serial is EB26…" is not the button "I don't know the serial".
 */
export function isButton(answer: string, ...labels: string[]): boolean {
  const said = normalizeUtterance(answer);
  return said.length > 0 && labels.some((label) => normalizeUtterance(label) === said);
}

export const categoryName = (category: Category, locale: Locale): string => (locale === 'en' ? category.nameEn : category.name);
export const modelName = (model: ProductModel, locale: Locale): string => (locale === 'en' ? model.nameEn : model.name);

/** The family buttons, then `extra` (都不是, 转人工 …). */
export function familyQuestion(desk: DeskServices, locale: Locale, text: string, extra: string[]): Partial<Activity> {
  return askWithChoices(text, [...desk.catalogue.categories().map((category) => categoryName(category, locale)), ...extra]);
}

/** The family's models as buttons, then `extra` (不知道型号, 转人工 …). */
export function modelQuestion(desk: DeskServices, categoryId: string, locale: Locale, text: string, extra: string[]): Partial<Activity> {
  return askWithChoices(text, [...desk.catalogue.modelsOf(categoryId).map((model) => modelName(model, locale)), ...extra]);
}

/** Where the serial is printed on this family, as a sentence; undefined when the catalogue does not say. */
export function serialPlaces(desk: DeskServices, t: ServiceTexts, locale: Locale, categoryId: string): string | undefined {
  const category = desk.catalogue.category(categoryId);
  const places = desk.catalogue.serialLocations(categoryId).map((place) => (locale === 'en' ? place.en : place.zh));
  return category && places.length ? t.serialWhere(categoryName(category, locale), places) : undefined;
}

/** The family an answer picks: a button, or a family or model named in it. */
export function familyIn(desk: DeskServices, answer: string, facts: MessageFacts, locale: Locale): Category | undefined {
  const categories = desk.catalogue.categories();
  const picked = matchChoice(
    answer,
    categories.map((category) => categoryName(category, locale)),
  );
  const byButton = categories.find((category) => categoryName(category, locale) === picked);
  const named = facts.category ?? (facts.modelId ? desk.catalogue.model(facts.modelId)?.category : undefined);
  return byButton ?? (named ? desk.catalogue.category(named) : undefined);
}

/** The model an answer picks among the family's buttons, or names anywhere. */
export function modelIn(
  desk: DeskServices,
  categoryId: string | undefined,
  answer: string,
  facts: MessageFacts,
  locale: Locale,
): ProductModel | undefined {
  if (facts.modelId) return desk.catalogue.model(facts.modelId);
  if (!categoryId) return undefined;
  const models = desk.catalogue.modelsOf(categoryId);
  const picked = matchChoice(
    answer,
    models.map((model) => modelName(model, locale)),
  );
  return models.find((model) => modelName(model, locale) === picked);
}

/** The fees a sentence asks about for a family, or all of them when it names none. */
export function feesFor(desk: DeskServices, categoryId: string, sentence: string): FeeRange[] {
  const asked = desk.catalogue.feesAsked(categoryId, sentence);
  return asked.length ? asked : (desk.catalogue.category(categoryId)?.fees ?? []);
}

export function feeLines(t: ServiceTexts, fees: FeeRange[], locale: Locale): string {
  return fees.map((fee) => t.fee(locale === 'en' ? fee.nameEn : fee.name, fee.minYuan, fee.maxYuan)).join('\n');
}

/** "X20 Pro 换屏 399–1299元" for a question that names no product: the fee in every family that has it. */
export function feesAcross(desk: DeskServices, t: ServiceTexts, locale: Locale, sentence: string): string | undefined {
  const lines = desk.catalogue
    .categories()
    .flatMap((category) =>
      desk.catalogue
        .feesAsked(category.id, sentence)
        .map((fee) => t.feeLine(categoryName(category, locale), locale === 'en' ? fee.nameEn : fee.name, fee.minYuan, fee.maxYuan)),
    );
  return lines.length ? t.feeAcross(lines.join('\n')) : undefined;
}

/** The fee answer for a known family (and model, when known); `inFlow` when a question of the flow follows. */
export function feeAnswer(
  desk: DeskServices,
  t: ServiceTexts,
  locale: Locale,
  categoryId: string,
  modelId: string | undefined,
  sentence: string,
  inFlow = false,
): string | undefined {
  const category = desk.catalogue.category(categoryId);
  if (!category) return undefined;
  const model = modelId ? desk.catalogue.model(modelId) : undefined;
  const product = model ? modelName(model, locale) : categoryName(category, locale);
  return (inFlow ? t.feeInFlow : t.feeAnswer)(product, feeLines(t, feesFor(desk, categoryId, sentence), locale));
}
