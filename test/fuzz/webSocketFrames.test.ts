import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { testRedisUrl, uniquePrefix } from '../helpers/redis';
import { killHard, startServiceProcess, type ServiceProcess } from '../helpers/serviceProcess';
import { until } from '../helpers/until';
import { WebClient, textsOf } from '../helpers/webClient';

/*
 * Random frames at the inbound side of the web chat's push stream
 * (/api/web/conversations/:id/stream): text, binary, oversized, invalid UTF-8, bad opcodes,
 * reserved bits, unmasked frames, random bytes. The stream is for pushes only, so the service may
 * close it on anything it does not like; what it must never do is die, or stop answering the
 * customer's next message.
 *
 * The service runs in its own process, as in production, so that an exception nothing catches
 * ends it for real (inside jest's process it would only be reported). Frames are written by hand
 * on a raw socket after a real handshake, so that nothing a client library refuses to send is
 * left out.
 */

jest.setTimeout(400_000);

let service: ServiceProcess;
let customer: WebClient;

beforeAll(async () => {
  service = await startServiceProcess({
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: uniquePrefix(),
    RATE_LIMITS: 'off',
    LOG_LEVEL: 'warn',
    SERVICE_HOURS: '00:00-24:00 1-7',
  });
  customer = await WebClient.open(service.url);
});
afterAll(async () => {
  if (service && service.child.exitCode === null) await killHard(service);
});

/** Fails, with the end of the service's own output, when the process is gone. */
function expectAlive(frames: unknown): void {
  if (service.child.exitCode === null && service.child.signalCode === null) return;
  throw new Error(
    `the service died (exit ${service.child.exitCode ?? service.child.signalCode}) after the frames ${JSON.stringify(frames).slice(0, 300)}; its last output:\n${service.output().slice(-2000)}`,
  );
}

type Frame =
  | { kind: 'text'; text: string }
  | { kind: 'binary'; bytes: number[] }
  | { kind: 'oversized'; opcode: 1 | 2; bytes: number }
  | { kind: 'invalidUtf8'; bytes: readonly number[] }
  | { kind: 'control'; opcode: 8 | 9 | 10; payload: number[] }
  | { kind: 'close'; code: number; reason: string }
  | { kind: 'badOpcode'; opcode: number }
  | { kind: 'reserved'; rsv: number }
  | { kind: 'unmasked'; text: string }
  | { kind: 'fragments'; parts: string[]; finish: boolean }
  | { kind: 'garbage'; bytes: number[] };

const frame: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), text: fc.string({ unit: 'binary', maxLength: 300 }) }),
  fc.record({ kind: fc.constant('binary' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 }) }),
  fc.record({
    kind: fc.constant('oversized' as const),
    opcode: fc.constantFrom<1 | 2>(1, 2),
    bytes: fc.integer({ min: 4097, max: 200_000 }),
  }),
  fc.record({
    kind: fc.constant('invalidUtf8' as const),
    bytes: fc.constantFrom(
      [0xff],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
      [0x68, 0x69, 0xe2, 0x82],
      [0xf4, 0x90, 0x80, 0x80],
    ),
  }),
  fc.record({
    kind: fc.constant('control' as const),
    opcode: fc.constantFrom<8 | 9 | 10>(8, 9, 10),
    payload: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 200 }),
  }),
  fc.record({ kind: fc.constant('close' as const), code: fc.integer({ min: 0, max: 70_000 }), reason: fc.string({ maxLength: 40 }) }),
  fc.record({ kind: fc.constant('badOpcode' as const), opcode: fc.constantFrom(3, 4, 5, 6, 7, 11, 12, 13, 14, 15) }),
  fc.record({ kind: fc.constant('reserved' as const), rsv: fc.integer({ min: 1, max: 7 }) }),
  fc.record({ kind: fc.constant('unmasked' as const), text: fc.string({ maxLength: 20 }) }),
  fc.record({
    kind: fc.constant('fragments' as const),
    parts: fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 4 }),
    finish: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('garbage' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 100 }) }),
);

/** One WebSocket frame as a client must send it (masked), with the header fields given. */
function encode(opcode: number, payload: Buffer, options: { fin?: boolean; rsv?: number; masked?: boolean } = {}): Buffer {
  const { fin = true, rsv = 0, masked = true } = options;
  const length = payload.length;
  const header = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) header.push(maskBit | length);
  else if (length < 65_536) header.push(maskBit | 126, length >> 8, length & 0xff);
  else header.push(maskBit | 127, 0, 0, 0, 0, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff);
  if (!masked) return Buffer.concat([Buffer.from(header), payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
  return Buffer.concat([Buffer.from(header), mask, body]);
}

function bytesOf(value: Frame): Buffer {
  switch (value.kind) {
    case 'text':
    case 'unmasked':
      return encode(0x1, Buffer.from(value.text, 'utf8'), { masked: value.kind === 'text' });
    case 'binary':
      return encode(0x2, Buffer.from(value.bytes));
    case 'oversized':
      return encode(value.opcode, Buffer.alloc(value.bytes, 0x61));
    case 'invalidUtf8':
      return encode(0x1, Buffer.from(value.bytes));
    case 'control':
      return encode(value.opcode, Buffer.from(value.payload));
    case 'close': {
      const reason = Buffer.from(value.reason, 'utf8');
      const code = Buffer.alloc(2);
      code.writeUInt16BE(value.code % 65_536);
      return encode(0x8, Buffer.concat([code, reason]));
    }
    case 'badOpcode':
      return encode(value.opcode, Buffer.from('x'));
    case 'reserved':
      return encode(0x1, Buffer.from('x'), { rsv: value.rsv });
    case 'fragments':
      return Buffer.concat(
        value.parts.map((part, i) =>
          encode(i === 0 ? 0x1 : 0x0, Buffer.from(part, 'utf8'), { fin: value.finish && i === value.parts.length - 1 }),
        ),
      );
    case 'garbage':
      return Buffer.from(value.bytes);
  }
}

/** The stream opened by hand: the handshake, checked, then the socket for raw frames. */
async function openStream(): Promise<Socket> {
  const url = new URL(service.url);
  const socket = connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const path = `/api/web/conversations/${customer.conversationId}/stream?token=${encodeURIComponent(customer.token)}`;
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  const head = await new Promise<string>((resolve, reject) => {
    let received = '';
    const timer = setTimeout(() => reject(new Error('no answer to the WebSocket handshake within 5 s')), 5000);
    const onData = (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (!received.includes('\r\n\r\n')) return;
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(received);
    };
    socket.on('data', onData);
  });
  if (!head.startsWith('HTTP/1.1 101')) throw new Error(`the stream was not opened: ${head.split('\r\n')[0]}`);
  // Pushes and the service's close frame are read and dropped; only the end of the socket matters.
  socket.on('data', () => undefined);
  socket.on('error', () => undefined);
  return socket;
}

/** Writes the frames, then a proper close, and waits until the service has ended the connection (or 3 s). */
async function sendFrames(frames: Frame[]): Promise<void> {
  const socket = await openStream();
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  for (const value of frames) {
    if (socket.destroyed) break;
    socket.write(bytesOf(value));
  }
  if (!socket.destroyed) socket.write(encode(0x8, Buffer.from([0x03, 0xe8])));
  const gaveUp = new Promise<void>((resolve) => setTimeout(resolve, 3000).unref());
  await Promise.race([ended, gaveUp]);
  socket.destroy();
}

test('random frames on the push stream never end the service, and the customer is still answered', async () => {
  let sent = 0;
  const budgetEnds = Date.now() + 15_000;
  await fc.assert(
    fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 5 }), async (frames) => {
      // At least ten runs however slow the machine; then the time budget ends them.
      if (sent >= 10 && Date.now() > budgetEnds) return;
      sent += 1;
      await sendFrames(frames);
      expectAlive(frames);
      const reply = await customer.say('你好').catch(async (error: unknown) => {
        // Refused connections mean a dead service, when its exit has not been seen yet: say so.
        await until(() => service.child.exitCode !== null || service.child.signalCode !== null, 'the service to exit', 2000).catch(
          () => undefined,
        );
        expectAlive(frames);
        throw error;
      });
      expect(reply.status).toBe(200);
      expect(textsOf(reply.body.activities)).toContain('您好');
    }),
    {
      numRuns: 60,
      // A dead service fails every later run too, which would shrink to nonsense: the first failure is the answer.
      endOnFailure: true,
      // The frames known to be hard for a server: past the size limit, not UTF-8, not a frame at all.
      examples: [
        [[{ kind: 'text', text: '你好' }]],
        [[{ kind: 'oversized', opcode: 1, bytes: 5000 }]],
        [[{ kind: 'invalidUtf8', bytes: [0xff] }]],
        [[{ kind: 'badOpcode', opcode: 3 }]],
      ],
    },
  );
  expect(sent).toBeGreaterThanOrEqual(10);
  const health = await fetch(`${service.url}/healthz`);
  expect(health.status).toBe(200);
});
