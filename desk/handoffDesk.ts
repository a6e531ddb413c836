import type { CallbackRequests } from './callbacks';
import type { ConversationFacts, ConversationFactsStore } from './conversationFacts';
import type { ClaimResult, EscalationReason, HandoffQueue, HandoffRecord, MoveResult } from './handoff';
import type { HandoffEvents } from './handoffEvents';
import type { RatingScore, RatingStore } from './ratings';
import type { TranscriptStore } from './transcripts';
import type { WaitEstimate } from './waitEstimate';
import { isWorkingTime, type WorkingHours } from './workingHours';
import { maskPhone, maskPersonalText } from './privacy';
import type { Logger } from '../common/logger';

/** What happened when the customer was put through to a person. */
export type EscalationOutcome =
  | { kind: 'queued'; position: number; wait: WaitEstimate; already: boolean }
  /** Already talking to an agent. */
  | { kind: 'withAgent' }
  /** Outside service hours: offer a call-back instead of a wait. */
  | { kind: 'afterHours'; opens: string };

/** An agent as the hand-off records and the customer see them. */
export interface AgentIdentity {
  username: string;
  displayName: string;
}

export interface HandoffDeskDeps {
  queue: HandoffQueue;
  facts: ConversationFactsStore;
  transcripts: TranscriptStore;
  events: HandoffEvents;
  ratings: RatingStore;
  callbacks: CallbackRequests;
  /** When agents answer chats (DOMAIN: 9:00–22:00); outside them a call-back is offered instead. */
  serviceHours: WorkingHours;
  logger: Logger;
  now?: () => Date;
  /** Tells the customer, in their own channel and language, that an agent has joined. */
  agentJoined?: (conversationId: string, agentName: string) => Promise<void>;
  /** Gives the conversation back to the bot in a clean state, which asks for a rating. */
  resumeBot?: (conversationId: string) => Promise<void>;
  /** Tells the customer, in their channel and language, that the agent ended the conversation. */
  chatClosed?: (conversationId: string) => Promise<void>;
}

/** How many of the customer's last messages the agent sees in the queue. */
const LAST_MESSAGES = 3;

/**
 * The hand-off, end to end: the bot's side (escalate, facts, ratings, call-backs — the port the
 * dialogs use) and the agents' side (claim, hand back, close), each move recorded in the
 * transcript and announced to every console. The dialogs reach the bot's side through their port,
 * dialogs/handoffServices.ts, which this class fills (checked where app/app.ts hands it over).
 */
export class HandoffDesk {
  private readonly now: () => Date;

  constructor(private readonly deps: HandoffDeskDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async escalate(input: { conversationId: string; channel: string; reason: EscalationReason }): Promise<EscalationOutcome> {
    const { conversationId, channel, reason } = input;
    // Danger goes to a person whatever the hour: someone on duty must see it.
    if (reason !== 'safety' && !isWorkingTime(this.now(), this.deps.serviceHours)) {
      return { kind: 'afterHours', opens: this.deps.serviceHours.start };
    }
    const facts = await this.deps.facts.get(conversationId);
    const result = await this.deps.queue.escalate({
      conversationId,
      channel,
      reason,
      by: 'customer',
      summary: {
        intent: facts.intent,
        product: facts.product,
        warranty: facts.warranty,
        ticketId: facts.ticketId,
        stepsTried: facts.stepsTried,
        customerName: facts.customerName,
        phoneMasked: facts.phone ? maskPhone(facts.phone) : undefined,
        lastMessages: await this.lastCustomerMessages(conversationId),
      },
    });
    // The queue gives a wait exactly while the chat waits; without one it is with an agent.
    if (result.record.state === 'withAgent' || !result.wait) return { kind: 'withAgent' };
    if (!result.already) await this.record(conversationId, channel, `转人工（${REASON_NAMES[reason]}），排队第 ${result.position} 位`);
    await this.deps.events.publish({ type: 'queue', conversationId, alert: reason === 'safety' });
    return { kind: 'queued', position: result.position, wait: result.wait, already: result.already };
  }

  async noteFacts(conversationId: string, facts: ConversationFacts): Promise<void> {
    await this.deps.facts.note(conversationId, facts);
  }

  async facts(conversationId: string): Promise<ConversationFacts> {
    return this.deps.facts.get(conversationId);
  }

  async recordRating(input: { conversationId: string; channel: string; score: RatingScore; comment?: string }): Promise<void> {
    const record = await this.deps.queue.get(input.conversationId);
    await this.deps.ratings.record({ ...input, agentId: record?.agentId });
  }

  async requestCallback(input: { conversationId: string; channel: string; phone: string; note?: string }): Promise<{ id: string }> {
    const callback = await this.deps.callbacks.create(input);
    await this.record(input.conversationId, input.channel, `登记回电 ${callback.id}`);
    return { id: callback.id };
  }

  /** An agent takes a waiting chat; exactly one of two agents at once gets it. */
  async claim(conversationId: string, agent: AgentIdentity): Promise<ClaimResult> {
    const result = await this.deps.queue.claim(conversationId, agent.username);
    if (!result.ok) return result;
    await this.record(conversationId, result.record.channel, `客服 ${agent.displayName} 接入`);
    await this.announce(result.record);
    await this.deps
      .agentJoined?.(conversationId, agent.displayName)
      .catch((error: unknown) =>
        this.deps.logger.warn({ err: error, conversation: conversationId }, 'could not tell the customer an agent joined'),
      );
    return result;
  }

  /** The agent gives the chat back: the bot resumes and asks for a rating. */
  async handBack(conversationId: string, agent: AgentIdentity): Promise<MoveResult> {
    const result = await this.deps.queue.handBack(conversationId, agent.username);
    if (!result.ok) return result;
    await this.record(conversationId, result.record.channel, `客服 ${agent.displayName} 交还机器人`);
    await this.announce(result.record);
    await this.deps.resumeBot?.(conversationId);
    return result;
  }

  async close(conversationId: string, agent: AgentIdentity): Promise<MoveResult> {
    const result = await this.deps.queue.close(conversationId, agent.username);
    if (!result.ok) return result;
    await this.record(conversationId, result.record.channel, `客服 ${agent.displayName} 结束会话`);
    await this.announce(result.record);
    await this.deps
      .chatClosed?.(conversationId)
      .catch((error: unknown) =>
        this.deps.logger.warn({ err: error, conversation: conversationId }, 'could not tell the customer the chat ended'),
      );
    return result;
  }

  private async announce(record: HandoffRecord): Promise<void> {
    await this.deps.events.publish({ type: 'chat', conversationId: record.conversationId, state: record.state, agentId: record.agentId });
    await this.deps.events.publish({ type: 'queue', conversationId: record.conversationId });
  }

  /** Each hand-off move is on the conversation's record, where agents and managers read it later. */
  private async record(conversationId: string, channel: string, text: string): Promise<void> {
    const at = this.now().toISOString();
    const [id] = await this.deps.transcripts.append([
      {
        conversationId,
        channel,
        direction: 'out',
        speaker: 'system',
        at,
        activity: { type: 'message', text, from: { id: 'system', role: 'system' }, timestamp: at },
      },
    ]);
    await this.deps.events.publish({ type: 'message', conversationId, entry: { id: id ?? '', at, speaker: 'system', text } });
  }

  /**
   * What the queue shows every agent, so phones and addresses masked (DESIGN §3): only the agent who
   * takes the chat reads the transcript whole.
   */
  private async lastCustomerMessages(conversationId: string): Promise<string[]> {
    const entries = await this.deps.transcripts.read(conversationId);
    return entries
      .filter((entry) => entry.speaker === 'user')
      .map((entry) => maskPersonalText(String(entry.activity.text ?? '').trim()))
      .filter((text) => text !== '')
      .slice(-LAST_MESSAGES);
  }
}

const REASON_NAMES: Record<EscalationReason, string> = {
  asked: '客户要求',
  misunderstood: '机器人两次没听懂',
  troubleshootFailed: '远程排查未解决',
  complaint: '投诉',
  safety: '安全隐患',
};
