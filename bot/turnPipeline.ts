import type { Activity } from 'botbuilder';
import type { ConversationLock } from '../common/conversationLock';
import { ConversationOwnedElsewhereError, type ConversationOwners } from './conversationOwners';
import { DuplicateStillRunningError, type InboundDedupe } from '../common/inboundDedupe';
import type { Logger } from '../common/logger';

/** What a turn produced: the replies sent within it, and what it understood. */
export interface TurnResult {
  replies: Partial<Activity>[];
  intent?: string;
}

export interface InboundMessage {
  channel: string;
  conversationId: string;
  /** The channel's id of this delivery; absent when the channel gives none (then no dedupe). */
  messageId?: string;
}

/**
 * What the pipeline made of one delivery (see InboundDedupe's Delivery): the first of its message,
 * whose turn is running, or a retry — of a message still being answered, or answered already.
 */
export type PipelineDelivery<R extends TurnResult> =
  { kind: 'first'; result: Promise<R> } | { kind: 'duplicateDone'; result: R } | { kind: 'duplicateInProgress' };

export interface DeliverOptions<R extends TurnResult> {
  /** How long a retry waits for the first delivery's answers before it is told the first is still running. */
  waitMs?: number;
  /**
   * Runs for the first delivery only, before the conversation lock (rate limits, a channel's own
   * bookkeeping): a result answers the message without a turn, and retries get that answer too.
   */
  admit?: () => Promise<R | undefined>;
}

/**
 * The path every inbound message of every channel takes: the conversation must be this channel's,
 * then dedupe by the channel's message id, then one turn at a time per conversation, then the turn
 * itself; one log line per turn.
 */
export class TurnPipeline {
  constructor(
    private readonly dedupe: InboundDedupe,
    private readonly lock: ConversationLock,
    private readonly logger: Logger,
    private readonly owners: ConversationOwners,
  ) {}

  /** The turn's answers — the first delivery's, for a retry; DuplicateStillRunningError when the first takes too long. */
  async handle<R extends TurnResult>(message: InboundMessage, runTurn: () => Promise<R>): Promise<R> {
    const delivery = await this.deliver(message, runTurn);
    if (delivery.kind === 'duplicateInProgress') throw new DuplicateStillRunningError(dedupeKey(message));
    return delivery.result;
  }

  /**
   * Tells the channel at once whether this delivery is the first of its message, so that a channel
   * with its own retry rules (WeChat's passive reply within 5 s) answers retries from the pipeline's
   * one dedupe instead of keeping its own.
   */
  async deliver<R extends TurnResult>(
    message: InboundMessage,
    runTurn: () => Promise<R>,
    options: DeliverOptions<R> = {},
  ): Promise<PipelineDelivery<R>> {
    const started = process.hrtime.bigint();
    const fields = { channel: message.channel, conversation: message.conversationId, messageId: message.messageId };
    const run = async (): Promise<R> => (await options.admit?.()) ?? this.lock.withLock(message.conversationId, runTurn);
    let delivery: PipelineDelivery<R>;
    try {
      // First, before a dedupe key or a lock exists: a foreign turn must leave no trace at all.
      await this.owners.claim(message.conversationId, message.channel);
      delivery = message.messageId ? await this.dedupe.deliver(dedupeKey(message), run, options.waitMs) : { kind: 'first', result: run() };
    } catch (error) {
      this.logFailure(fields, started, error);
      throw error;
    }
    if (delivery.kind === 'duplicateInProgress') {
      this.logger.info({ ...fields, latencyMs: elapsedMs(started), outcome: 'duplicateInProgress' }, 'turn');
      return delivery;
    }
    if (delivery.kind === 'duplicateDone') {
      this.logTurn(fields, started, delivery.result, 'replayed');
      return delivery;
    }
    const result = delivery.result.then(
      (answered) => {
        this.logTurn(fields, started, answered, 'answered');
        return answered;
      },
      (error: unknown) => {
        this.logFailure(fields, started, error);
        throw error;
      },
    );
    return { kind: 'first', result };
  }

  private logTurn(fields: object, started: bigint, result: TurnResult, outcome: 'answered' | 'replayed'): void {
    this.logger.info({ ...fields, intent: result.intent, replies: result.replies.length, latencyMs: elapsedMs(started), outcome }, 'turn');
  }

  private logFailure(fields: object, started: bigint, error: unknown): void {
    if (error instanceof ConversationOwnedElsewhereError) {
      this.logger.warn({ ...fields, owner: error.owner, latencyMs: elapsedMs(started), outcome: 'foreignConversation' }, 'turn');
      return;
    }
    this.logger.error({ ...fields, err: error, latencyMs: elapsedMs(started), outcome: 'failed' }, 'turn');
  }
}

function dedupeKey(message: InboundMessage): string {
  return `${message.channel}:${message.conversationId}:${message.messageId}`;
}

function elapsedMs(started: bigint): number {
  return Number((process.hrtime.bigint() - started) / 1000n) / 1000;
}
