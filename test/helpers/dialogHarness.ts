import { ConversationState, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type Dialog, type DialogState } from 'botbuilder-dialogs';
import type { Redis } from 'ioredis';
import { RedisStorage } from '../../bot/redisStorage';
import { settleLocale } from '../../dialogs/locale';
import type { Locale } from '../../knowledge';

export const buttonsOf = (activity: Partial<Activity> | undefined): string[] =>
  (activity?.suggestedActions?.actions ?? []).map((action) => action.title ?? '');
export const textOf = (turn: Partial<Activity>[]): string => turn.map((activity) => activity.text ?? '').join('\n');

/** Sends each message through the adapter and returns the bot's replies to each. */
export async function converseThrough(adapter: TestAdapter, messages: string[]): Promise<Partial<Activity>[][]> {
  const turns: Partial<Activity>[][] = [];
  for (const text of messages) {
    adapter.activeQueue.splice(0);
    await adapter.send(text).startTest();
    turns.push(adapter.activeQueue.splice(0));
  }
  return turns;
}

export interface DialogHarness {
  adapter: TestAdapter;
  /** What the dialog ended with, as its caller sees it. */
  results: unknown[];
  converse(...messages: string[]): Promise<Partial<Activity>[][]>;
  conversationId(): string;
}

/**
 * One dialog under a tiny root, on Redis-backed state: the first message begins it with
 * `beginWith()`, later ones continue it; each ending is kept in `results`. Harnesses on one Redis
 * need their own `conversationId` (TestAdapter's default is the same for all).
 */
export function dialogHarness(redis: Redis, dialog: Dialog, beginWith: () => object, conversationId?: string): DialogHarness {
  const conversationState = new ConversationState(new RedisStorage(redis));
  const dialogState = conversationState.createProperty<DialogState>('dialogState');
  const locale = conversationState.createProperty<Locale>('locale');
  const dialogs = new DialogSet(dialogState);
  dialogs.add(dialog);
  const results: unknown[] = [];
  const adapter = new TestAdapter(async (context: TurnContext) => {
    await settleLocale(context, locale);
    const dc = await dialogs.createContext(context);
    let result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) result = await dc.beginDialog(dialog.id, beginWith());
    if (result.status === DialogTurnStatus.complete) results.push(result.result);
    await conversationState.saveChanges(context);
  });
  if (conversationId)
    adapter.conversation.conversation = { ...adapter.conversation.conversation, id: conversationId, name: conversationId };
  return {
    adapter,
    results,
    converse: (...messages) => converseThrough(adapter, messages),
    conversationId: () => adapter.conversation.conversation.id,
  };
}
