import { formatDateZh } from '../desk/warranty';
import type { Locale } from '../knowledge';

/** 2026-11-22 → 2026年11月22日 (or 22 Nov 2026). */
export function formatDate(date: string, locale: Locale): string {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return date;
  if (locale === 'en')
    return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    });
  return formatDateZh(date);
}

/** An instant as people in the service's time zone read it: 11月23日 14:00. */
export function formatDateTime(iso: string, timeZone: string, locale: Locale): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false })
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  if (locale === 'en') return `${parts.day}/${parts.month} ${parts.hour}:${parts.minute}`;
  return `${Number(parts.month)}月${Number(parts.day)}日 ${parts.hour}:${parts.minute}`;
}
