import MiniSearch from 'minisearch';
import type { FaqIndex, FaqSearchOptions } from '../../knowledge/faqIndex';
import { productBoost } from '../../knowledge/productWords';
import { impliedScore } from '../../knowledge/weightedIndex';

/** Joins a field's parts for MiniSearch; each part is tokenized on its own, as the index does. */
const SEPARATOR = '\u0001';

interface IndexedDoc {
  id: number;
  [field: string]: string | number;
}

/** One MiniSearch per index: building it is the slow part (~100× the index's own build). */
const built = new WeakMap<FaqIndex, MiniSearch<IndexedDoc>>();

function miniSearchOf(index: FaqIndex): MiniSearch<IndexedDoc> {
  const existing = built.get(index);
  if (existing) return existing;
  const { items, fields, tokensOf } = index.scoring;
  const search = new MiniSearch<IndexedDoc>({
    fields: fields.map((field) => field.name),
    idField: 'id',
    tokenize: (text) => (text ? text.split(SEPARATOR).flatMap((part) => tokensOf(part)) : []),
    processTerm: (term) => term,
    searchOptions: {
      boost: Object.fromEntries(fields.map((field) => [field.name, field.boost])),
      prefix: false,
      fuzzy: false,
      combineWith: 'OR',
      tokenize: (joined) => joined.split(SEPARATOR),
    },
  });
  items.forEach((item, id) => {
    const doc: IndexedDoc = { id };
    for (const field of fields) doc[field.name] = field.parts(item).join(SEPARATOR);
    search.add(doc);
  });
  built.set(index, search);
  return search;
}

/**
 * FaqIndex.ranking computed by MiniSearch 7 itself over the same tokens, with the index's product
 * boost and implied-term credit applied on top: what the index's own scorer must equal to the bit.
 */
export function referenceRanking(index: FaqIndex, query: string, options: FaqSearchOptions = {}): Array<{ id: string; score: number }> {
  const { terms, k, categories, model, implied } = index.rankingQuery(query, options);
  if (!terms.length) return [];
  const { items, knows, forEveryProduct } = index.scoring;
  const counted = (term: string): boolean => knows(term) && !!implied?.has(term);
  const nImplied = terms.filter(counted).length;
  const ranked = miniSearchOf(index)
    .search(terms.join(SEPARATOR))
    .map((result) => {
      const position = result.id as number;
      const item = items[position]!;
      const held = result.queryTerms.filter(counted).length;
      const credited =
        nImplied && forEveryProduct(position) ? impliedScore(result.score, result.queryTerms.length, nImplied - held) : result.score;
      return { id: item.id, score: credited * productBoost(item, categories, model) };
    });
  ranked.sort((a, b) => b.score - a.score);
  return ranked.slice(0, k);
}
