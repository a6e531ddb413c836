import type { Locale } from '../knowledge';
import { reportTexts, type ReportTexts } from './reportTexts';
import { ticketTexts, type TicketTexts } from './ticketTexts';
import { warrantyTexts, type WarrantyTexts } from './warrantyTexts';

/** The words of the service flows (报修, 保修查询, 工单进度), one catalogue per language, kept by subject in the files above. */
export type ServiceTexts = ReportTexts & WarrantyTexts & TicketTexts;

const catalogues: Record<Locale, ServiceTexts> = {
  'zh-CN': { ...reportTexts['zh-CN'], ...warrantyTexts['zh-CN'], ...ticketTexts['zh-CN'] },
  en: { ...reportTexts.en, ...warrantyTexts.en, ...ticketTexts.en },
};

export function serviceTextsFor(locale: Locale): ServiceTexts {
  return catalogues[locale];
}
