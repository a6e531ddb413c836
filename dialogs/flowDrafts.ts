import type { Activity } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs';
import { normalizeUtterance } from '../knowledge';

/** A flow set aside, as desk/flowDrafts.ts keeps it for 24 hours. */
export interface FlowDraft {
  flow: string;
  facts: string[];
  instance: { id: string; state: Record<string, unknown> };
}

/** Where unfinished flows are kept to be offered back (desk/flowDrafts.ts FlowDraftStore). */
export interface FlowDrafts {
  save(conversationId: string, draft: FlowDraft): Promise<void>;
  get(conversationId: string): Promise<FlowDraft | undefined>;
  discard(conversationId: string): Promise<void>;
}

/**
 * The facts a flow's state may hold, in the order they are told back ("您已填写的型号、故障描述").
 * Read by name from the flow's own state, so a flow that renames a field still works: the name is
 * then simply not listed.
 */
export const DRAFT_FACTS = [
  'modelId',
  'categoryId',
  'serial',
  'purchaseDate',
  'symptom',
  'damage',
  'serviceMode',
  'address',
  'name',
  'phone',
] as const;
export type DraftFact = (typeof DRAFT_FACTS)[number];

type StackEntry = { id: string; state?: unknown };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The dialog stack inside a component dialog's instance (ComponentDialog keeps it under `dialogs`). */
function innerStackOf(instance: StackEntry): StackEntry[] {
  const dialogs = isRecord(instance.state) ? instance.state.dialogs : undefined;
  const stack = isRecord(dialogs) ? dialogs.dialogStack : undefined;
  return Array.isArray(stack) ? (stack.filter((entry) => isRecord(entry) && typeof entry.id === 'string') as StackEntry[]) : [];
}

/**
 * The facts a flow holds: its first inner step's options, where a waterfall keeps what the flow
 * was begun with and what it has learnt since (FaultReportState travels there from turn to turn).
 */
export function factsOf(instance: DialogInstance): DraftFact[] {
  const [bottom] = innerStackOf(instance);
  const options = bottom && isRecord(bottom.state) ? bottom.state.options : undefined;
  if (!isRecord(options)) return [];
  const present = DRAFT_FACTS.filter((name) => {
    const value = options[name];
    return value !== undefined && value !== null && value !== '';
  });
  // The category is worth telling only when the model is not known.
  return present.includes('modelId') ? present.filter((name) => name !== 'categoryId') : present;
}

/** A copy of an instance that survives the flow being cancelled (cancelling empties its inner stack). */
export function copyOf(instance: DialogInstance): FlowDraft['instance'] {
  const state = JSON.parse(JSON.stringify(instance.state ?? {})) as unknown;
  return { id: instance.id, state: isRecord(state) ? state : {} };
}

/** The labels of the question on screen: its buttons (numbered choices on text channels). */
export function choicesOnScreen(stack: readonly DialogInstance[]): string[] {
  let active: StackEntry | undefined = stack[stack.length - 1];
  while (active) {
    const inner = innerStackOf(active);
    if (!inner.length) break;
    active = inner[inner.length - 1];
  }
  const options = active && isRecord(active.state) ? active.state.options : undefined;
  if (!isRecord(options)) return [];
  const prompt = options.prompt as Partial<Activity> | undefined;
  const actions = isRecord(prompt) ? (prompt.suggestedActions?.actions ?? []) : [];
  const labels = actions.flatMap((action) => [action.title, typeof action.value === 'string' ? action.value : undefined]);
  const choices = Array.isArray(options.choices) ? options.choices : [];
  for (const choice of choices)
    labels.push(typeof choice === 'string' ? choice : isRecord(choice) && typeof choice.value === 'string' ? choice.value : undefined);
  return labels.filter((label): label is string => Boolean(label));
}

/** Softeners around a button's words that still make it that button ("重新开始吧", "继续。"). */
const AROUND_A_CHOICE = /^(?:请|我要|我选|选)|(?:吧|啊|呀|呢|了|谢谢|please|thanks)$/gu;

/** Whether a message is one of the buttons on screen, typed or tapped (then it answers the question). */
export function picksChoiceOnScreen(stack: readonly DialogInstance[], text: string): boolean {
  const bare = normalizeUtterance(text);
  if (!bare) return false;
  const stripped = bare.replace(AROUND_A_CHOICE, '');
  return choicesOnScreen(stack).some((label) => {
    const choice = normalizeUtterance(label);
    return choice === bare || choice === stripped;
  });
}

/**
 * Puts a flow back where it was left: its saved instance goes on top of the stack, and its question
 * is asked again. When the flow ends, the dialog that restored it receives its result as usual.
 */
export async function restoreFlow(
  dc: DialogContext,
  instance: FlowDraft['instance'],
  answerNow = false,
): Promise<DialogTurnResult | undefined> {
  if (!dc.findDialog(instance.id)) return undefined;
  dc.stack.push({ id: instance.id, state: instance.state });
  // With answerNow, this turn's message answers the flow's question (it was said for the flow).
  if (answerNow) return dc.continueDialog();
  await dc.repromptDialog();
  return Dialog.EndOfTurn;
}
