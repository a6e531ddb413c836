import { detectLanguage, type Locale } from '../knowledge/language';

/*
 * Fixed sentences a channel says on its own, before any turn of the bot (so without the dialogs'
 * catalogues and the conversation's language): in the language of the message they answer.
 */

const SLOW_DOWN: Record<Locale, string> = {
  'zh-CN': '您发得太快了，请稍后再发。',
  en: 'You are sending messages a little too fast. Please wait a moment and send it again.',
};

/** The notice for a customer over their rate limit; Chinese unless the message is plainly English. */
export function slowDownText(message: string | undefined): string {
  return SLOW_DOWN[detectLanguage(message ?? '') ?? 'zh-CN'];
}
