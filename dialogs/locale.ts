import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { detectLanguage, type Locale } from '../knowledge';
import { textsFor, type Texts } from './texts';

const LOCALE_KEY = Symbol('customerLocale');

/**
 * Decides the language of this turn: the language the customer writes in, or, for messages that
 * do not tell ("1", a button value), the language the conversation already had.
 */
export async function settleLocale(context: TurnContext, accessor: StatePropertyAccessor<Locale>): Promise<Locale> {
  const fallback: Locale = context.activity.locale?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
  const previous = await accessor.get(context, fallback);
  const text = context.activity.type === 'message' ? (context.activity.text ?? '') : '';
  const locale = detectLanguage(text) ?? previous;
  await accessor.set(context, locale);
  context.turnState.set(LOCALE_KEY, locale);
  return locale;
}

export function localeOf(context: TurnContext): Locale {
  return (context.turnState.get(LOCALE_KEY) as Locale | undefined) ?? 'zh-CN';
}

export function textsOf(context: TurnContext): Texts {
  return textsFor(localeOf(context));
}
