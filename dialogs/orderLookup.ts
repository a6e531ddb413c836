import { extractTaobaoOrderId, type Locale } from '../knowledge';
import { formatDate } from './dates';
import type { DeskServices } from './deskServices';
import type { ServiceTexts } from './serviceTexts';

/** What a Taobao order number in a message told us. */
export type OrderReading =
  { kind: 'none' } | { kind: 'found'; orderId: string; purchaseDate: string; modelId?: string } | { kind: 'problem'; note: string };

/**
 * Looks up a Taobao order number the customer quoted, from whichever channel: its payment date is
 * the purchase date, and its item title often names the model.
 */
export async function readTaobaoOrder(desk: DeskServices, text: string, t: ServiceTexts): Promise<OrderReading> {
  const orderId = extractTaobaoOrderId(text);
  if (!orderId) return { kind: 'none' };
  if (!desk.lookupOrder) return { kind: 'problem', note: t.orderUnavailable };
  const found = await desk.lookupOrder(orderId);
  if (found.status === 'notFound') return { kind: 'problem', note: t.orderNotFound(orderId) };
  if (found.status === 'unavailable') return { kind: 'problem', note: t.orderUnavailable };
  const model = found.titles.map((title) => desk.catalogue.findModel(title)).find((candidate) => candidate !== undefined);
  return { kind: 'found', orderId, purchaseDate: found.purchaseDate, modelId: model?.id };
}

/** The line under a verdict that says where the purchase date came from. */
export function orderDateLine(t: ServiceTexts, orderId: string, purchaseDate: string, locale: Locale): string {
  return t.basedOnOrder(orderId, formatDate(purchaseDate, locale));
}
