import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Ticket } from './model';

/*
 * Ticket webhook: how the company's own systems (ERP / dispatch) hear about every ticket change.
 *
 * Every change is POSTed, in the order it happened, to TICKET_WEBHOOK_URL:
 *
 *   POST <webhookUrl>
 *   Content-Type: application/json
 *   X-Idempotency-Key: <ticket id>:<ticket version>      e.g. S261122-0042:3
 *   X-Timestamp: <unix seconds when this attempt was sent>
 *   X-Signature: sha256=<hex HMAC-SHA256(secret, `${X-Timestamp}.${raw body}`)>
 *
 *   body: {"event":"ticket.created"|"ticket.moved"|"ticket.updated","ticket":{…},"idempotencyKey":"…"}
 *
 * Receivers must verify the signature over the raw body bytes exactly as received (see
 * TicketOutbox.verifySignature), should reject timestamps far from their own clock (replays), and
 * must de-duplicate by X-Idempotency-Key: delivery is at-least-once, so a retry after a lost
 * response, or a redelivery after our restart, sends the same key again.
 *
 * Answer 2xx once the event is stored. 5xx, 408, 429 or no answer: we retry the same event with
 * exponential back-off and send nothing later meanwhile (per-ticket order matters more than
 * throughput). Any other 4xx means the event itself is unacceptable and retrying cannot help, so it
 * is logged and parked in `cs:outbox:tickets:dead` for a person to look at, and the queue moves on.
 */

export const OUTBOX_STREAM = 'cs:outbox:tickets';
export const OUTBOX_DEAD_STREAM = 'cs:outbox:tickets:dead';
const GROUP = 'webhook';
const LEASE_KEY = 'cs:outbox:tickets:deliverer';

export interface OutboxLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface TicketOutboxOptions {
  webhookUrl?: string;
  secret?: string;
  logger?: OutboxLogger;
  retry?: { baseMs: number; maxMs: number };
  fetch?: typeof fetch;
  /** How long one POST may take before it counts as a network error. */
  requestTimeoutMs?: number;
  /** How long one XREADGROUP waits for new entries; bounds how late stop() notices. */
  blockMs?: number;
  /** Lease held by the one delivering process; a crashed process's lease runs out after this. */
  leaseMs?: number;
}

export interface OutboxMessage {
  event: string;
  ticket: Ticket;
  idempotencyKey: string;
}

const silentLogger: OutboxLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

type StreamEntry = [id: string, fields: string[] | null];

/** What the receiver's answer means for the entry. */
type Outcome = 'delivered' | 'retry' | 'park';

export class TicketOutbox {
  private readonly webhookUrl?: string;
  private readonly secret: string;
  private readonly log: OutboxLogger;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly requestTimeoutMs: number;
  private readonly blockMs: number;
  private readonly leaseMs: number;
  /** One consumer name per process and instance, so a restart is visible as a new consumer. */
  private readonly consumer = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private blocking?: Redis;
  private loop?: Promise<void>;
  private stopping = false;
  private wakeSleeper?: () => void;
  private leaseTimer?: NodeJS.Timeout;
  private ackedSinceTrim = 0;

  constructor(
    private readonly redis: Redis,
    options: TicketOutboxOptions = {},
  ) {
    this.webhookUrl = options.webhookUrl || undefined;
    this.secret = options.secret ?? '';
    this.log = options.logger ?? silentLogger;
    this.baseMs = options.retry?.baseMs ?? 500;
    this.maxMs = options.retry?.maxMs ?? 60_000;
    this.fetchFn = options.fetch ?? fetch;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.blockMs = options.blockMs ?? 2_000;
    this.leaseMs = options.leaseMs ?? 15_000;
  }

  /** Records one ticket change for delivery; resolves only once Redis holds it. Returns the entry id. */
  async append(ticket: Ticket, event: string): Promise<string> {
    const idempotencyKey = `${ticket.id}:${ticket.version}`;
    const body = JSON.stringify({ event, ticket, idempotencyKey } satisfies OutboxMessage);
    // The body is stored as the exact bytes to send, so that the signature covers what was recorded.
    const id = await this.redis.xadd(OUTBOX_STREAM, '*', 'event', event, 'idempotencyKey', idempotencyKey, 'body', body);
    if (!id) throw new Error('XADD to the ticket outbox returned no id');
    return id;
  }

  /** Starts delivering to the webhook. Without a webhook URL entries simply wait in the stream. */
  start(): void {
    if (!this.webhookUrl || this.loop) return;
    this.stopping = false;
    this.blocking = this.redis.duplicate();
    this.loop = this.run().catch((err: unknown) => {
      this.log.error({ err }, 'ticket outbox: delivery loop stopped on an error');
    });
  }

  /** Stops the loop after the delivery in flight has finished, and gives up the delivery lease. */
  async stop(): Promise<void> {
    if (!this.loop) return;
    this.stopping = true;
    this.wakeSleeper?.();
    // A blocked XREADGROUP would hold stop() for up to blockMs; dropping its connection ends it now.
    this.closeBlocking();
    await this.loop;
    this.loop = undefined;
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    this.leaseTimer = undefined;
    await this.releaseLease().catch((err: unknown) => this.log.warn({ err }, 'ticket outbox: could not release the lease'));
  }

  /** For receivers: checks `X-Signature` against the timestamp and the raw body. */
  static verifySignature(secret: string, timestamp: string, body: string, signatureHeader: string | undefined | null): boolean {
    if (!signatureHeader) return false;
    const expected = Buffer.from(TicketOutbox.sign(secret, timestamp, body));
    const given = Buffer.from(signatureHeader.trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  static sign(secret: string, timestamp: string, body: string): string {
    return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  }

  private async run(): Promise<void> {
    let groupReady = false;
    let adopted = false;
    while (!this.stopping) {
      try {
        // Only one process delivers at a time, or two could send one ticket's events out of order.
        if (!(await this.holdLease())) {
          adopted = false;
          await this.sleep(Math.min(this.leaseMs / 3, 1_000));
          continue;
        }
        if (!groupReady) {
          await this.ensureGroup();
          groupReady = true;
        }
        if (!adopted) {
          await this.adoptOrphans();
          adopted = true;
        }
        // Our own unacknowledged entries first (they come back in order from id 0), then new ones.
        const pending = await this.read('0', false);
        const entries = pending.length > 0 ? pending : await this.read('>', true);
        for (const entry of entries) {
          if (this.stopping) break;
          await this.deliverUntilSettled(entry);
        }
      } catch (err) {
        if (this.stopping) break;
        this.log.warn({ err }, 'ticket outbox: Redis error, retrying');
        await this.sleep(this.baseMs);
      }
    }
    this.closeBlocking();
  }

  /** Once only: a second disconnect() arms an ioredis timer that nothing clears and holds the process open. */
  private closeBlocking(): void {
    const conn = this.blocking;
    this.blocking = undefined;
    conn?.disconnect();
  }

  /** ioredis does not apply keyPrefix to XGROUP and XINFO (their key is not the first argument). */
  private unprefixed(key: string): string {
    return `${this.redis.options.keyPrefix ?? ''}${key}`;
  }

  private async ensureGroup(): Promise<void> {
    try {
      // From 0, not $: entries appended while no webhook was configured must still go out.
      await this.redis.xgroup('CREATE', this.unprefixed(OUTBOX_STREAM), GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!(err instanceof Error && err.message.includes('BUSYGROUP'))) throw err;
    }
  }

  /** Entries a crashed or stopped consumer read but never settled become ours, keeping their order. */
  private async adoptOrphans(): Promise<void> {
    let cursor = '0-0';
    do {
      const reply = (await this.redis.xautoclaim(OUTBOX_STREAM, GROUP, this.consumer, 0, cursor, 'COUNT', 100, 'JUSTID')) as [
        string,
        string[],
      ];
      cursor = reply[0];
    } while (cursor !== '0-0' && !this.stopping);
    // Each restart leaves its consumer behind; once it holds nothing it is only clutter.
    const consumers = ((await this.redis.xinfo('CONSUMERS', this.unprefixed(OUTBOX_STREAM), GROUP)) as unknown[][]).map(pairsToRecord);
    for (const c of consumers) {
      if (c.name !== this.consumer && c.pending === 0)
        await this.redis.xgroup('DELCONSUMER', this.unprefixed(OUTBOX_STREAM), GROUP, String(c.name));
    }
  }

  private async read(from: '0' | '>', block: boolean): Promise<StreamEntry[]> {
    const conn = this.blocking;
    if (!conn) return [];
    const reply = block
      ? await conn.xreadgroup('GROUP', GROUP, this.consumer, 'COUNT', 50, 'BLOCK', this.blockMs, 'STREAMS', OUTBOX_STREAM, from)
      : await conn.xreadgroup('GROUP', GROUP, this.consumer, 'COUNT', 50, 'STREAMS', OUTBOX_STREAM, from);
    const streams = reply as [string, StreamEntry[]][] | null;
    return streams?.[0]?.[1] ?? [];
  }

  /** Tries one entry until it is delivered or parked; never skips ahead to the next. */
  private async deliverUntilSettled([id, fields]: StreamEntry): Promise<void> {
    if (!fields) {
      // Trimmed away while pending: nothing left to send.
      await this.ack(id);
      return;
    }
    const field = (name: string): string | undefined => {
      const i = fields.findIndex((f, n) => n % 2 === 0 && f === name);
      return i >= 0 ? fields[i + 1] : undefined;
    };
    const body = field('body') ?? '';
    const idempotencyKey = field('idempotencyKey') ?? id;
    for (let attempt = 0; !this.stopping; attempt++) {
      const { outcome, status, error } = await this.post(body, idempotencyKey);
      if (outcome === 'delivered') {
        await this.ack(id);
        this.log.info({ entry: id, idempotencyKey, status }, 'ticket outbox: delivered');
        return;
      }
      if (outcome === 'park') {
        await this.redis.xadd(OUTBOX_DEAD_STREAM, '*', ...fields, 'sourceId', id, 'status', String(status), 'at', new Date().toISOString());
        await this.ack(id);
        this.log.error(
          { entry: id, idempotencyKey, status },
          'ticket outbox: receiver rejected the event; parked in the dead-letter stream',
        );
        return;
      }
      const delay = this.backoff(attempt);
      this.log.warn(
        { entry: id, idempotencyKey, status, err: error, attempt, delayMs: delay },
        'ticket outbox: delivery failed, will retry',
      );
      await this.sleep(delay);
    }
  }

  private async post(body: string, idempotencyKey: string): Promise<{ outcome: Outcome; status?: number; error?: string }> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const res = await this.fetchFn(this.webhookUrl as string, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Idempotency-Key': idempotencyKey,
          'X-Timestamp': timestamp,
          'X-Signature': TicketOutbox.sign(this.secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      // Drain the body so the connection can be reused.
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { outcome: 'delivered', status: res.status };
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        return { outcome: 'park', status: res.status };
      }
      return { outcome: 'retry', status: res.status };
    } catch (err) {
      return { outcome: 'retry', error: err instanceof Error ? err.message : String(err) };
    }
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(attempt, 30));
    // Full jitter in the upper half: spreads retries without ever collapsing to zero.
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  private async ack(id: string): Promise<void> {
    await this.redis.xack(OUTBOX_STREAM, GROUP, id);
    if (++this.ackedSinceTrim >= 100) {
      this.ackedSinceTrim = 0;
      await this.trimAcked().catch((err: unknown) => this.log.warn({ err }, 'ticket outbox: trim failed'));
    }
  }

  /** Drops entries every consumer has settled: older than both the oldest pending and the group's read position. */
  private async trimAcked(): Promise<void> {
    const summary = (await this.redis.xpending(OUTBOX_STREAM, GROUP)) as [number, string | null, string | null, unknown];
    const groups = (await this.redis.xinfo('GROUPS', this.unprefixed(OUTBOX_STREAM))) as unknown[][];
    const mine = groups.map(pairsToRecord).find((g) => g.name === GROUP);
    const lastDelivered = typeof mine?.['last-delivered-id'] === 'string' ? mine['last-delivered-id'] : undefined;
    if (!lastDelivered) return;
    const oldestPending = summary[0] > 0 ? summary[1] : null;
    const keepFrom = oldestPending ?? nextId(lastDelivered);
    await this.redis.xtrim(OUTBOX_STREAM, 'MINID', keepFrom);
  }

  private async holdLease(): Promise<boolean> {
    if (this.stopping) return false;
    const held = await this.redis.eval(
      `local v = redis.call('GET', KEYS[1])
       if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
       if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
       return 0`,
      1,
      LEASE_KEY,
      this.consumer,
      this.leaseMs,
    );
    if (held === 1 && !this.leaseTimer) {
      // Retries can sleep far longer than one loop turn; keep the lease alive meanwhile.
      this.leaseTimer = setInterval(
        () => {
          this.holdLease().catch((err: unknown) => this.log.warn({ err }, 'ticket outbox: lease renewal failed'));
        },
        Math.max(50, Math.floor(this.leaseMs / 3)),
      );
      this.leaseTimer.unref();
    }
    return held === 1;
  }

  private async releaseLease(): Promise<void> {
    await this.redis.eval(
      `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
      1,
      LEASE_KEY,
      this.consumer,
    );
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleeper = done;
    });
  }
}

function pairsToRecord(pairs: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) out[String(pairs[i])] = pairs[i + 1];
  return out;
}

/** The smallest stream id after `id`. */
function nextId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${BigInt(seq ?? '0') + 1n}`;
}
