import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { TicketDraft } from '../../desk/model';
import { OUTBOX_DEAD_STREAM, OUTBOX_STREAM, TicketOutbox, type OutboxMessage } from '../../desk/ticketOutbox';
import { TicketStore } from '../../desk/tickets';
import { DEFAULT_WORKING_HOURS } from '../../desk/workingHours';
import { testRedis } from '../helpers/redis';

const SECRET = 'test-secret';
const FAST = { baseMs: 20, maxMs: 200 };

interface Received {
  key: string;
  validSignature: boolean;
  timestamp: number;
  contentType: string | undefined;
  message: OutboxMessage;
}

/** A stand-in for the company's system: answers as `respond` says and records what it accepted. */
class Receiver {
  readonly accepted: Received[] = [];
  attempts = 0;
  respond: (req: IncomingMessage) => number = () => 200;
  delayMs = 0;
  private server?: Server;
  port = 0;

  async listen(port = 0): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/tickets`;
  }

  uniqueKeys(): Set<string> {
    return new Set(this.accepted.map((r) => r.key));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    this.attempts++;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const status = this.respond(req);
    if (status >= 200 && status < 300) {
      const timestamp = String(req.headers['x-timestamp']);
      this.accepted.push({
        key: String(req.headers['x-idempotency-key']),
        validSignature: TicketOutbox.verifySignature(SECRET, timestamp, body, req.headers['x-signature'] as string),
        timestamp: Number(timestamp),
        contentType: req.headers['content-type'],
        message: JSON.parse(body) as OutboxMessage,
      });
    }
    res.statusCode = status;
    res.end();
  }
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function draft(n: number): TicketDraft {
  return {
    customer: { name: `客户${n}`, phone: '13812345678' },
    product: { modelId: 'X20 Pro', category: 'phone' },
    warranty: { status: 'repair', serviceKind: 'free' },
    fault: { symptom: '无法开机', liquid: false, physicalDamage: false, disassembled: false },
    serviceMode: 'carryIn',
    area: 'city',
    consent: { fee: false },
    channel: 'web',
    conversationId: `conv-${n}`,
  };
}

/** Makes `count` tickets and walks each a few steps: create, accept, dispatch = 3 events each. */
async function makeEvents(store: TicketStore, count: number, from = 0): Promise<string[]> {
  const keys: string[] = [];
  for (let i = from; i < from + count; i++) {
    const t = await store.create(draft(i), 'bot');
    await store.move(t.id, 'accepted', 'agent:a');
    await store.move(t.id, 'dispatched', 'agent:a');
    keys.push(`${t.id}:1`, `${t.id}:2`, `${t.id}:3`);
  }
  return keys;
}

/** Each ticket's events reached the receiver in version order (first arrival of each key). */
function expectInOrderPerTicket(received: Received[]): void {
  const seen = new Set<string>();
  const lastVersion = new Map<string, number>();
  for (const r of received) {
    if (seen.has(r.key)) continue;
    seen.add(r.key);
    const { id, version } = r.message.ticket;
    expect(version).toBeGreaterThan(lastVersion.get(id) ?? 0);
    lastVersion.set(id, version);
  }
}

describe('TicketOutbox', () => {
  let redis: Redis;
  let receiver: Receiver;
  let outboxes: TicketOutbox[];
  let store: TicketStore;

  /** null: an outbox without a webhook URL. */
  const outbox = (webhookUrl: string | null = receiver.url): TicketOutbox => {
    const o = new TicketOutbox(redis, { webhookUrl: webhookUrl ?? undefined, secret: SECRET, retry: FAST, blockMs: 100, leaseMs: 2_000 });
    outboxes.push(o);
    return o;
  };

  beforeEach(async () => {
    redis = testRedis();
    receiver = new Receiver();
    await receiver.listen();
    outboxes = [];
    store = new TicketStore(redis, { workingHours: DEFAULT_WORKING_HOURS, outbox: outbox(null) });
  });

  afterEach(async () => {
    await Promise.all(outboxes.map((o) => o.stop()));
    await receiver.close();
    await redis.quit();
  });

  it('delivers every ticket event, signed, in order', async () => {
    const deliverer = outbox();
    deliverer.start();
    const keys = await makeEvents(store, 5);
    await waitFor('all events', () => receiver.uniqueKeys().size === keys.length);
    expect(receiver.accepted.map((r) => r.key)).toEqual(keys);
    for (const r of receiver.accepted) {
      expect(r.validSignature).toBe(true);
      expect(r.contentType).toBe('application/json');
      expect(Math.abs(r.timestamp - Date.now() / 1000)).toBeLessThan(60);
      expect(r.message.idempotencyKey).toBe(r.key);
    }
    expect(receiver.accepted[0].message.event).toBe('ticket.created');
    expect(receiver.accepted[1].message.event).toBe('ticket.moved');
    expect(receiver.accepted[1].message.ticket.status).toBe('accepted');
    await waitFor('acks', async () => ((await redis.xpending(OUTBOX_STREAM, 'webhook')) as [number])[0] === 0);
  });

  it('verifySignature rejects a wrong secret, a changed body, a changed timestamp or no header', () => {
    const sig = TicketOutbox.sign(SECRET, '1700000000', '{"a":1}');
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(TicketOutbox.verifySignature(SECRET, '1700000000', '{"a":1}', sig)).toBe(true);
    expect(TicketOutbox.verifySignature('other', '1700000000', '{"a":1}', sig)).toBe(false);
    expect(TicketOutbox.verifySignature(SECRET, '1700000000', '{"a":2}', sig)).toBe(false);
    expect(TicketOutbox.verifySignature(SECRET, '1700000001', '{"a":1}', sig)).toBe(false);
    expect(TicketOutbox.verifySignature(SECRET, '1700000000', '{"a":1}', undefined)).toBe(false);
    expect(TicketOutbox.verifySignature(SECRET, '1700000000', '{"a":1}', 'sha256=00')).toBe(false);
  });

  it('keeps retrying through 503s and 429s, then delivers every key, in order', async () => {
    let down = true;
    receiver.respond = () => (down ? (receiver.attempts % 2 ? 503 : 429) : 200);
    const deliverer = outbox();
    deliverer.start();
    const keys = await makeEvents(store, 4);
    await waitFor('several failed attempts', () => receiver.attempts >= 6);
    expect(receiver.accepted).toEqual([]);
    down = false;
    await waitFor('all events', () => receiver.uniqueKeys().size === keys.length);
    expect([...receiver.uniqueKeys()].sort()).toEqual([...keys].sort());
    expectInOrderPerTicket(receiver.accepted);
    expect(receiver.accepted.every((r) => r.validSignature)).toBe(true);
  });

  it('delivers everything after the receiver’s port was closed for a while', async () => {
    const port = receiver.port;
    const deliverer = outbox();
    deliverer.start();
    const early = await makeEvents(store, 2);
    await waitFor('early events', () => receiver.uniqueKeys().size === early.length);
    await receiver.close();
    const late = await makeEvents(store, 3, 2);
    // The outbox has read the late events and failed to deliver them: they wait, unacknowledged, for the retry.
    await waitFor(
      'a failed try while the port is closed',
      async () => ((await redis.xpending(OUTBOX_STREAM, 'webhook')) as [number])[0] > 0,
    );
    await receiver.listen(port);
    await waitFor('all events', () => receiver.uniqueKeys().size === early.length + late.length);
    expect([...receiver.uniqueKeys()].sort()).toEqual([...early, ...late].sort());
    expectInOrderPerTicket(receiver.accepted);
  });

  it('delivers everything across a restart (stop, then a new instance), including entries read but never acked', async () => {
    const first = outbox();
    first.start();
    const before = await makeEvents(store, 3);
    await waitFor('first batch', () => receiver.uniqueKeys().size === before.length);
    // A slow answer is in flight when the process is told to stop: stop() waits for it.
    receiver.delayMs = 150;
    const inFlight = await makeEvents(store, 1, 3);
    await waitFor('a request in flight', () => receiver.attempts > before.length);
    await first.stop();
    const deliveredAtStop = receiver.uniqueKeys().size;
    expect(deliveredAtStop).toBeGreaterThan(before.length);
    receiver.delayMs = 0;

    const during = await makeEvents(store, 2, 4);
    // A crashed process: it read these entries into its pending list and died before delivering them.
    await redis.xreadgroup('GROUP', 'webhook', 'crashed-process', 'COUNT', 2, 'STREAMS', OUTBOX_STREAM, '>');
    expect(((await redis.xpending(OUTBOX_STREAM, 'webhook')) as [number])[0]).toBe(2);

    const second = outbox();
    second.start();
    const all = [...before, ...inFlight, ...during];
    await waitFor('all events after restart', () => receiver.uniqueKeys().size === all.length);
    expect([...receiver.uniqueKeys()].sort()).toEqual([...all].sort());
    expectInOrderPerTicket(receiver.accepted);
    await waitFor('nothing pending', async () => ((await redis.xpending(OUTBOX_STREAM, 'webhook')) as [number])[0] === 0);
  });

  it('without a URL keeps entries waiting, and delivers them once an outbox with a URL starts', async () => {
    const idle = outbox(null);
    idle.start();
    const keys = await makeEvents(store, 2);
    await idle.stop();
    expect(receiver.attempts).toBe(0);
    expect(await redis.xlen(OUTBOX_STREAM)).toBe(keys.length);

    outbox().start();
    await waitFor('waiting events', () => receiver.uniqueKeys().size === keys.length);
    expect(receiver.accepted.map((r) => r.key)).toEqual(keys);
  });

  it('parks an event the receiver rejects with 4xx in the dead-letter stream and moves on', async () => {
    receiver.respond = (req) => (String(req.headers['x-idempotency-key']).endsWith(':2') ? 422 : 200);
    outbox().start();
    const keys = await makeEvents(store, 2);
    const good = keys.filter((k) => !k.endsWith(':2'));
    await waitFor('good events', () => receiver.uniqueKeys().size === good.length);
    await waitFor('dead letters', async () => (await redis.xlen(OUTBOX_DEAD_STREAM)) === 2);
    const dead = await redis.xrange(OUTBOX_DEAD_STREAM, '-', '+');
    expect(dead.map(([, f]) => f[f.indexOf('idempotencyKey') + 1])).toEqual(keys.filter((k) => k.endsWith(':2')));
    expect(dead[0][1]).toEqual(expect.arrayContaining(['status', '422']));
  });

  it('retries 408 rather than parking it', async () => {
    let rejections = 3;
    receiver.respond = () => (rejections-- > 0 ? 408 : 200);
    outbox().start();
    const keys = await makeEvents(store, 1);
    await waitFor('all events', () => receiver.uniqueKeys().size === keys.length);
    expect(await redis.xlen(OUTBOX_DEAD_STREAM)).toBe(0);
  });

  it('lets only one instance deliver at a time', async () => {
    receiver.delayMs = 5;
    outbox().start();
    outbox().start();
    const keys = await makeEvents(store, 5);
    await waitFor('all events', () => receiver.uniqueKeys().size === keys.length);
    expect(receiver.accepted.map((r) => r.key)).toEqual(keys);
  });

  it('trims delivered entries from the stream but keeps undelivered ones', async () => {
    let blocked = false;
    receiver.respond = () => (blocked ? 503 : 200);
    outbox().start();
    const keys = await makeEvents(store, 40);
    await waitFor('all events', () => receiver.uniqueKeys().size === keys.length);
    blocked = true;
    await makeEvents(store, 1, 40);
    await waitFor('trim', async () => (await redis.xlen(OUTBOX_STREAM)) < keys.length);
    const left = await redis.xrange(OUTBOX_STREAM, '-', '+');
    // Whatever is left must include the three events not yet delivered.
    expect(left.length).toBeGreaterThanOrEqual(3);
    blocked = false;
    await waitFor('the rest', () => receiver.uniqueKeys().size === keys.length + 3);
  });
});
