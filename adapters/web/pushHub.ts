import type { Activity } from 'botbuilder';
import type { Redis } from 'ioredis';
import type { WebSocket } from 'ws';
import type { Logger } from '../../common/logger';
import { within } from '../../common/timing';
import type { PageHandoff } from './handoffStatus';

/** RFC 6455 §7.4.1: "received a type of data it cannot accept". */
export const STREAM_IS_PUSH_ONLY = 1003;

interface PushMessage {
  conversationId: string;
  activities: Partial<Activity>[];
  handoff?: PageHandoff;
}

/**
 * Delivers pushes to the browsers watching a conversation, whichever process they are connected
 * to: every push goes through Redis pub/sub and each process hands it to its own sockets.
 */
export class WebPushHub {
  private readonly sockets = new Map<string, Set<WebSocket>>();
  private readonly keepAlive: NodeJS.Timeout;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {
    this.subscriber.on('message', (channel: string, payload: string) => {
      if (channel === this.channel) this.deliver(payload);
    });
    // Proxies drop idle WebSockets; an empty frame now and then keeps them open.
    this.keepAlive = setInterval(() => this.broadcastKeepAlive(), 25_000);
    this.keepAlive.unref();
  }

  /**
   * Subscribes; waits a moment for Redis, but a Redis that is down must not stop the service from
   * starting (health says 503 meanwhile): the subscription then completes when Redis is back.
   */
  async start(waitMs = 2000): Promise<void> {
    const subscribed = this.subscriber.subscribe(this.channel).then(
      () => true,
      (error: unknown) => {
        this.logger.error({ err: error }, 'web push subscription failed');
        return false;
      },
    );
    const ready = await within(subscribed, waitMs, false);
    if (!ready) this.logger.warn('web pushes wait for Redis');
  }

  attach(conversationId: string, socket: WebSocket): void {
    const set = this.sockets.get(conversationId) ?? new Set<WebSocket>();
    set.add(socket);
    this.sockets.set(conversationId, set);
    // Without a listener an 'error' (a frame over maxPayload, text that is not UTF-8, a reset
    // connection) is thrown and stops the whole process. ws has already closed the socket with
    // the fitting code (1009 too big, 1007 not UTF-8, 1002 protocol error) when it emits it.
    socket.on('error', (error) => {
      this.logger.info({ err: error, conversation: conversationId }, 'web stream closed on a bad frame');
    });
    // The stream only pushes; the page never needs to send anything (pings and pongs are control
    // frames and do not arrive here). Any data message is refused with 1003 "cannot accept this
    // type of data" rather than 1008 "policy": it names the actual reason and tells a well-meaning
    // client not to retry the same thing.
    socket.on('message', () => {
      socket.close(STREAM_IS_PUSH_ONLY, 'this stream only pushes; send messages with POST');
    });
    socket.on('close', () => {
      set.delete(socket);
      if (!set.size) this.sockets.delete(conversationId);
    });
  }

  async push(conversationId: string, activities: Partial<Activity>[], handoff?: PageHandoff): Promise<void> {
    const message: PushMessage = { conversationId, activities, ...(handoff ? { handoff } : {}) };
    await this.publisher.publish(this.channel, JSON.stringify(message));
  }

  private deliver(payload: string): void {
    let message: PushMessage;
    try {
      message = JSON.parse(payload) as PushMessage;
    } catch (error) {
      this.logger.warn({ err: error }, 'unreadable web push dropped');
      return;
    }
    const frame = JSON.stringify({ activities: message.activities, ...(message.handoff ? { handoff: message.handoff } : {}) });
    for (const socket of this.sockets.get(message.conversationId) ?? []) {
      if (socket.readyState === socket.OPEN) socket.send(frame);
    }
  }

  private broadcastKeepAlive(): void {
    for (const set of this.sockets.values()) {
      for (const socket of set) if (socket.readyState === socket.OPEN) socket.send('{}');
    }
  }

  close(): void {
    clearInterval(this.keepAlive);
    for (const set of this.sockets.values()) for (const socket of set) socket.terminate();
    this.sockets.clear();
  }
}
