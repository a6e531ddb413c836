import { ConversationState, type Middleware, type Storage, type TurnContext } from 'botbuilder';

// botbuilder is archived (its successor is the Microsoft 365 Agents SDK): the composition root names
// the SDK's pieces through here so that a move to another SDK touches bot/, dialogs/ and adapters/ only.

/** Runs on every turn of an adapter before the bot (transcript, references, hand-off gate). */
export type TurnMiddleware = Middleware;

/** The bot's handling of one turn. */
export type TurnHandler = (context: TurnContext) => Promise<void>;

/** The conversation state the dialogs keep, on the given storage. */
export function conversationStateOn(storage: Storage): ConversationState {
  return new ConversationState(storage);
}
