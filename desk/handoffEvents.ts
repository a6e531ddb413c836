import type { Redis } from 'ioredis';
import { z } from 'zod';
import { parseJsonOrUndefined } from '../common/json';

/** What the agents' consoles hear about, whichever process the customer's channel runs in. */
export type HandoffEvent =
  /** The queue changed (someone waits, was taken, gave up, waits too long). */
  | { type: 'queue'; conversationId: string; alert?: boolean }
  /** Something was said in a conversation that is with an agent or waiting for one. */
  | { type: 'message'; conversationId: string; entry: { id: string; at: string; speaker: string; text: string } }
  /** A conversation's hand-off state changed. */
  | { type: 'chat'; conversationId: string; state: string; agentId?: string };

const eventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('queue'), conversationId: z.string(), alert: z.boolean().optional() }),
  z.object({
    type: z.literal('message'),
    conversationId: z.string(),
    entry: z.object({ id: z.string(), at: z.string(), speaker: z.string(), text: z.string() }),
  }),
  z.object({ type: z.literal('chat'), conversationId: z.string(), state: z.string(), agentId: z.string().optional() }),
]);

export type HandoffListener = (event: HandoffEvent) => void;

/**
 * Hand-off events over Redis pub/sub, so that a console served by one process hears the customers
 * of every other process. Pub/sub channel names are not prefixed by ioredis: the caller passes the
 * full name (with its key prefix).
 */
export class HandoffEvents {
  private readonly listeners = new Set<HandoffListener>();
  private started = false;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
  ) {}

  async publish(event: HandoffEvent): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(event));
  }

  /** Starts listening; returns a function that stops this listener. */
  async listen(listener: HandoffListener): Promise<() => void> {
    this.listeners.add(listener);
    if (!this.started) {
      this.started = true;
      this.subscriber.on('message', (channel: string, message: string) => {
        if (channel !== this.channel) return;
        const parsed = eventSchema.safeParse(parseJsonOrUndefined(message));
        if (!parsed.success) return;
        for (const each of this.listeners) each(parsed.data);
      });
      await this.subscriber.subscribe(this.channel);
    }
    return () => this.listeners.delete(listener);
  }
}
