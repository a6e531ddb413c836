import type { Redis } from 'ioredis';

/**
 * How long a customer in line for a person will wait, as the customer is told it. A promise of
 * minutes is only made when someone is there to keep it: nobody ahead means "shortly", nobody
 * online means "busy, here is a call-back" rather than a number.
 */
export type WaitEstimate =
  /** Nobody ahead and an online agent has room: an agent joins shortly. */
  | { kind: 'shortly' }
  /** `ahead` others first (0 when every online agent is busy with other chats); about `minutes`. */
  | { kind: 'minutes'; ahead: number; minutes: number }
  /** Longer than we would promise: "more than `minutes`", with a call-back offered. */
  | { kind: 'long'; ahead: number; minutes: number }
  /** No agent online although it is service time: busy, with a call-back offered. */
  | { kind: 'noAgents'; ahead: number };

export interface WaitInputs {
  /** Waiting chats before this one. */
  ahead: number;
  agentsOnline: number;
  /** Online agents who could take one more chat now. */
  agentsWithRoom: number;
  /** How long recent chats were with an agent, in seconds, any order. */
  handlingSeconds: readonly number[];
}

export interface WaitPolicy {
  /** Minutes one chat takes when there is too little history to tell. */
  defaultHandleMinutes: number;
  /** Fewer samples than this and the history is not trusted. */
  minSamples: number;
  /** The longest wait promised in minutes; beyond it the customer hears "more than" this. */
  maxMinutes: number;
}

export const DEFAULT_WAIT_POLICY: WaitPolicy = { defaultHandleMinutes: 6, minSamples: 3, maxMinutes: 60 };

/** The middle value; the mean would let one chat an agent forgot to close set everyone's wait. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Rounded up, to figures a person would say: whole minutes up to 10, then fives up to 30, then
 * tens. Up, since a wait that ends early disappoints nobody.
 */
export function roundWaitMinutes(raw: number): number {
  if (!(raw > 0)) return 1;
  if (raw <= 10) return Math.max(1, Math.ceil(raw));
  if (raw <= 30) return Math.ceil(raw / 5) * 5;
  return Math.ceil(raw / 10) * 10;
}

/** The minutes one chat takes now: the median of recent ones, or the policy's default. */
export function handleMinutes(handlingSeconds: readonly number[], policy: WaitPolicy = DEFAULT_WAIT_POLICY): number {
  const usable = handlingSeconds.filter((s) => Number.isFinite(s) && s > 0);
  if (usable.length < policy.minSamples) return policy.defaultHandleMinutes;
  return median(usable) / 60;
}

/** Expected wait = chats ahead × median handling time ÷ agents online, bounded and rounded. */
export function estimateWait(inputs: WaitInputs, policy: WaitPolicy = DEFAULT_WAIT_POLICY): WaitEstimate {
  const ahead = Math.max(0, Math.floor(inputs.ahead));
  const agents = Math.max(0, Math.floor(inputs.agentsOnline));
  if (agents === 0) return { kind: 'noAgents', ahead };
  if (ahead === 0 && inputs.agentsWithRoom > 0) return { kind: 'shortly' };
  // Nobody ahead but every agent busy: one of their chats has to end first.
  const chatsBefore = Math.max(ahead, 1);
  const raw = (chatsBefore * handleMinutes(inputs.handlingSeconds, policy)) / agents;
  const minutes = roundWaitMinutes(raw);
  if (minutes > policy.maxMinutes) return { kind: 'long', ahead, minutes: policy.maxMinutes };
  return { kind: 'minutes', ahead, minutes };
}

export interface HandlingTimesOptions {
  /** How many recent chats are kept (default 50). */
  maxEntries?: number;
  /** The history goes when no chat ended for this long, so a quiet week does not set Monday's waits (default 7 days). */
  ttlSeconds?: number;
}

/** Same hash tag as the hand-off queue's keys, so the two can share a cluster slot. */
const HANDLED_KEY = 'cs:handoff:{q}:handled';
/** A chat left open over lunch is not a handling time; longer ones are dropped, not counted. */
const MAX_SAMPLE_SECONDS = 4 * 3600;

/** A capped, expiring record of how long recent chats were with an agent (claim → hand back or close). */
export class HandlingTimes {
  private readonly maxEntries: number;
  private readonly ttlSeconds: number;

  constructor(
    private readonly redis: Redis,
    options: HandlingTimesOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 50;
    this.ttlSeconds = options.ttlSeconds ?? 7 * 24 * 3600;
  }

  async record(seconds: number): Promise<void> {
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_SAMPLE_SECONDS) return;
    await this.redis
      .multi()
      .lpush(HANDLED_KEY, String(Math.round(seconds)))
      .ltrim(HANDLED_KEY, 0, this.maxEntries - 1)
      .expire(HANDLED_KEY, this.ttlSeconds)
      .exec();
  }

  /** Newest first; anything that does not read as a number is left out. */
  async recent(): Promise<number[]> {
    const raw = await this.redis.lrange(HANDLED_KEY, 0, this.maxEntries - 1);
    return raw.map(Number).filter((s) => Number.isFinite(s) && s > 0);
  }
}
