import type { InboundMessage, TurnPipeline, TurnResult } from '../../bot/turnPipeline';

/** How to answer the request that carried a delivery. */
export interface Answer {
  /** The passive reply's text; undefined answers `success` (nothing, or the answer comes later). */
  passive?: string;
  /** Sent through the customer-service API once the passive reply is out. */
  later?: () => Promise<void>;
}

/** What a message was answered with, as WeChat texts. */
export interface Texts {
  texts: string[];
  intent?: string;
}

/** A message's answer as the pipeline keeps it for retries: the texts, and how the first delivery sent them. */
interface KeptAnswer extends TurnResult {
  /** The first delivery answered `success` and sent the texts through the customer-service API. */
  answeredLater: boolean;
}

export interface MessageWork {
  /** For the first delivery only, before the turn: texts here answer the message without one (rate limits). */
  admit: () => Promise<Texts | undefined>;
  /** The turn (or the fixed handling) of the message, as WeChat texts. */
  run: () => Promise<Texts>;
}

export interface AnswerOnceOptions {
  pipeline: TurnPipeline;
  /** WeChat waits 5 s for the passive reply; this is how much of it a turn may use. */
  passiveBudgetMs: number;
  /** Sends texts through the customer-service API (the rest of a passive answer, or a late one). */
  sendLater: (texts: string[]) => Promise<void>;
  /** The first delivery is going to answer `success` and the texts later (e.g. show "typing"). */
  onLate?: () => void;
  /** The first delivery failed within the budget: the passive reply that says so. */
  onFailed: (error: unknown) => string;
}

/**
 * One answer per message however often WeChat delivers it, decided by the pipeline's one dedupe
 * (docs/protocols.md §1): the first delivery runs the turn and answers passively when it is ready
 * within the budget, else `success` at once and the texts through the customer-service API. A retry
 * gets what the first delivery's request got — the same passive text, or `success` when the first
 * answered later or is still running — so the customer reads each answer once. A first delivery
 * that fails or whose process dies keeps nothing, and WeChat's next retry runs the turn again.
 */
export async function answerOnce(message: InboundMessage, work: MessageWork, options: AnswerOnceOptions): Promise<Answer> {
  // Decided exactly once, in this process: when the work is done within the budget ('now'), or when
  // the budget runs out first ('later'). The kept answer records it before the pipeline stores it.
  let way: 'now' | 'later' | undefined;
  let settle: (decided: 'now' | 'later') => void = () => undefined;
  const decision = new Promise<'now' | 'later'>((resolve) => {
    settle = resolve;
  });
  const decide = (chosen: 'now' | 'later'): void => {
    if (way !== undefined) return;
    way = chosen;
    settle(chosen);
  };
  const keep = (answered: Texts): KeptAnswer => {
    decide('now');
    return { replies: answered.texts.map((text) => ({ type: 'message', text })), intent: answered.intent, answeredLater: way === 'later' };
  };
  const timer = setTimeout(() => decide('later'), options.passiveBudgetMs);
  try {
    const delivery = await options.pipeline.deliver(message, async () => keep(await work.run()), {
      waitMs: options.passiveBudgetMs,
      admit: async () => {
        const refused = await work.admit();
        return refused && keep(refused);
      },
    });
    if (delivery.kind === 'duplicateInProgress') return {};
    if (delivery.kind === 'duplicateDone') return delivery.result.answeredLater ? {} : { passive: textsOf(delivery.result)[0] };

    const failed = delivery.result.then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    const outcome = await Promise.race<'now' | 'later' | { error: unknown }>([
      decision,
      failed.then((failure): Promise<'now' | 'later' | { error: unknown }> => (failure ? Promise.resolve(failure) : decision)),
    ]);
    if (typeof outcome === 'object') return { passive: options.onFailed(outcome.error) };
    if (outcome === 'later') {
      options.onLate?.();
      return { later: async () => options.sendLater(textsOf(await delivery.result)) };
    }
    const [first, ...rest] = textsOf(await delivery.result);
    return { passive: first, later: rest.length ? () => options.sendLater(rest) : undefined };
  } finally {
    clearTimeout(timer);
  }
}

function textsOf(result: TurnResult): string[] {
  return result.replies.map((reply) => reply.text ?? '').filter((text) => text !== '');
}
