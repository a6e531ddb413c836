import type { HandoffQueue } from '../desk/handoff';
import type { HandoffEvents } from '../desk/handoffEvents';
import type { Texts } from '../dialogs/texts';
import type { Logger } from '../common/logger';
import type { Redis } from '../common/redis';

export interface HandoffWatchDeps {
  queue: HandoffQueue;
  events: HandoffEvents;
  redis: Redis;
  logger: Logger;
  tell: (conversationId: string, say: (texts: Texts) => string) => Promise<void>;
  /** A chat waiting this long alerts the consoles again (and again after as long). */
  alertAfterMs?: number;
  /** A chat waiting this long is offered a call-back, once. */
  offerCallbackAfterMs?: number;
  everyMs?: number;
}

/**
 * Nobody is forgotten in the queue: a chat that waits too long alerts every console again, and past
 * a limit the customer is offered a call-back instead of waiting on.
 */
export class HandoffWatch {
  private timer?: NodeJS.Timeout;
  private readonly alertAfterMs: number;
  private readonly offerCallbackAfterMs: number;

  constructor(private readonly deps: HandoffWatchDeps) {
    this.alertAfterMs = deps.alertAfterMs ?? 3 * 60_000;
    this.offerCallbackAfterMs = deps.offerCallbackAfterMs ?? 10 * 60_000;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.deps.logger.warn({ err: error }, 'hand-off watch failed'));
    }, this.deps.everyMs ?? 30_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async sweep(now = Date.now()): Promise<void> {
    for (const record of await this.deps.queue.overdue(this.alertAfterMs)) {
      await this.deps.queue.markAlerted(record.conversationId);
      await this.deps.events.publish({ type: 'queue', conversationId: record.conversationId, alert: true });
      this.deps.logger.warn({ conversation: record.conversationId, waitingSince: record.waitingSince }, 'chat waiting too long');
      const waited = record.waitingSince ? now - Date.parse(record.waitingSince) : 0;
      if (waited < this.offerCallbackAfterMs) continue;
      const first = await this.deps.redis.set(
        `cs:handoff:callbackOffered:{${record.conversationId}}:${record.waitingSince ?? ''}`,
        '1',
        'EX',
        86_400,
        'NX',
      );
      if (first === 'OK') await this.deps.tell(record.conversationId, (texts) => texts.waitTooLong);
    }
  }
}
