import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';

/*
 * The HTTP side of the fuzz suites: one raw request at a time (node:http, so that any method,
 * header and byte sequence can be sent), a deadline on every answer, and the checks every answer
 * must pass whatever was asked.
 */

export interface HttpRequest {
  method: string;
  /** Path and query, sent as they are (already percent-encoded, or deliberately not). */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A service that takes longer than this to answer one request is hanging (WeChat's own limit is 5 s). */
export const ANSWER_DEADLINE_MS = 5000;

/** Words that only come from inside the service: error classes, stack frames, infrastructure. */
export const INTERNAL_TEXT = /RangeError|TypeError|ReferenceError|SyntaxError: |at .*\.ts:\d+|ECONNREFUSED|Maximum call stack|ioredis/;

/** Sends one request; rejects when no answer comes within the deadline. An event stream answers with its headers. */
export function send(baseUrl: string, request: HttpRequest): Promise<HttpAnswer> {
  const url = new URL(baseUrl);
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  const headers: Record<string, string> = { ...(request.headers ?? {}) };
  if (body !== undefined) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      // A fresh connection each time: a request the server chokes on cannot spoil the next one.
      { host: url.hostname, port: url.port, method: request.method, path: request.path, headers, agent: false, insecureHTTPParser: false },
      (res) => {
        if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
          res.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(ANSWER_DEADLINE_MS, () => {
      req.destroy(new Error(`no answer within ${ANSWER_DEADLINE_MS} ms (the service hangs)`));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The request in a few readable lines, for a failure message. */
export function describeRequest(request: HttpRequest): string {
  const body = request.body === undefined ? '' : Buffer.isBuffer(request.body) ? request.body.toString('utf8') : request.body;
  const shown = body.length > 400 ? `${body.slice(0, 400)}… (${Buffer.byteLength(body)} bytes)` : body;
  return `${request.method} ${request.path.length > 300 ? `${request.path.slice(0, 300)}…` : request.path}\n${JSON.stringify(request.headers ?? {})}\n${shown}`;
}

/**
 * What every answer must be, whatever the request: an answer at all (no hang, no dropped
 * connection), not a server error, and nothing in it that comes from the service's insides.
 * The one 5xx that is an answer is the documented 503 Busy with Retry-After (a message of the
 * same conversation still being answered).
 */
export async function expectSoundAnswer(baseUrl: string, request: HttpRequest): Promise<HttpAnswer> {
  let answer: HttpAnswer;
  try {
    answer = await send(baseUrl, request);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nrequest:\n${describeRequest(request)}`);
  }
  const designedBusy = answer.status === 503 && answer.headers['retry-after'] !== undefined && /"code":"Busy"/.test(answer.body);
  if ((answer.status >= 500 && !designedBusy) || answer.status < 100 || INTERNAL_TEXT.test(answer.body)) {
    throw new Error(`HTTP ${answer.status}: ${answer.body.slice(0, 600)}\nrequest:\n${describeRequest(request)}`);
  }
  return answer;
}

/**
 * Runs a bounded fuzz: at most `numRuns` requests and about `timeLimitMs` of them (but at least `minRuns`), each checked
 * with expectSoundAnswer, the `examples` first. Failures shrink to a small request; the seed and
 * path to replay it are in fast-check's message. Returns how many requests went out, and how many
 * of them were served (2xx): a fuzz that only ever gets refusals tests nothing behind the gate.
 */
export async function fuzz<T>(
  baseUrl: string,
  spec: fc.Arbitrary<T>,
  build: (value: T) => HttpRequest,
  options: { numRuns: number; timeLimitMs: number; minRuns: number; examples?: T[]; check?: (answer: HttpAnswer, value: T) => void },
): Promise<{ sent: number; served: number }> {
  let sent = 0;
  let served = 0;
  // At least `minRuns` requests go out however slow the machine is (a loaded CI must not make the
  // fuzz test less). Past that and the time budget every run passes without a request: random runs end, and so does the
  // shrinking of a failure found in time (reported as shrunk so far). A request already out is
  // still answered or timed out, so a hang is always reported as one.
  const budgetEnds = Date.now() + options.timeLimitMs;
  await fc.assert(
    fc.asyncProperty(spec, async (value) => {
      if (sent >= options.minRuns && Date.now() > budgetEnds) return;
      sent += 1;
      const answer = await expectSoundAnswer(baseUrl, build(value));
      if (answer.status < 300) served += 1;
      options.check?.(answer, value);
    }),
    // Examples first: requests known to be hard to answer are always among those sent, however few the time allows.
    { numRuns: options.numRuns, examples: (options.examples ?? []).map((example) => [example] as [T]) },
  );
  return { sent, served };
}

/** Random bytes of a body, kept small in a counterexample: big ones are described and built on sending. */
export type BodySpec =
  | { kind: 'text'; text: string }
  | { kind: 'json'; value: unknown }
  | { kind: 'bytes'; bytes: readonly number[] }
  | { kind: 'huge'; piece: string; bytes: number }
  | { kind: 'deep'; depth: number; open: string; close: string; inner: string; around?: [string, string] }
  | { kind: 'brokenJson'; value: unknown; cut: number; extra: string }
  | { kind: 'none' };

export function bodyOf(spec: BodySpec): Buffer | string | undefined {
  switch (spec.kind) {
    case 'none':
      return undefined;
    case 'text':
      return spec.text;
    case 'json':
      return JSON.stringify(spec.value) ?? 'null';
    case 'bytes':
      return Buffer.from(spec.bytes);
    case 'huge':
      return spec.piece.repeat(Math.ceil(spec.bytes / Math.max(1, Buffer.byteLength(spec.piece))));
    case 'deep': {
      const [before, after] = spec.around ?? ['', ''];
      return `${before}${spec.open.repeat(spec.depth)}${spec.inner}${spec.close.repeat(spec.depth)}${after}`;
    }
    case 'brokenJson': {
      const text = JSON.stringify(spec.value) ?? 'null';
      return `${text.slice(0, spec.cut % (text.length + 1))}${spec.extra}`;
    }
  }
}

/** Bodies nobody should send: random JSON, broken JSON, deep nesting, huge, invalid UTF-8, anything. */
export const junkBody: fc.Arbitrary<BodySpec> = fc.oneof(
  fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({ kind: fc.constant('text' as const), text: fc.string({ unit: 'binary', maxLength: 200 }) }),
  fc.record({ kind: fc.constant('bytes' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 200 }) }),
  fc.record({
    kind: fc.constant('bytes' as const),
    // Invalid UTF-8 inside JSON-looking text: lone continuation bytes, overlongs, surrogates encoded.
    bytes: fc.constantFrom(
      [0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d],
      [0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d],
      [0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d],
      [0x80, 0x81, 0x82],
      [0xef, 0xbb, 0xbf, 0x7b, 0x7d],
    ),
  }),
  fc.record({
    kind: fc.constant('huge' as const),
    piece: fc.constantFrom('a', '中', '😀', '{"a":1}', '<xml>'),
    bytes: fc.integer({ min: 60 * 1024, max: 300 * 1024 }),
  }),
  fc.record({
    kind: fc.constant('deep' as const),
    depth: fc.integer({ min: 100, max: 30_000 }),
    open: fc.constantFrom('[', '{"a":', '{"text":"x","value":'),
    close: fc.constantFrom(']', '}'),
    inner: fc.constantFrom('1', '"x"', '{}', ''),
  }),
  fc.record({
    kind: fc.constant('brokenJson' as const),
    value: fc.jsonValue({ maxDepth: 2 }),
    cut: fc.nat(),
    extra: fc.constantFrom('', ',', '}', '{', '"', '\\', 'undefined', '\u0000'),
  }),
  fc.constant({ kind: 'none' as const }),
);

/** Content types: the right ones, near misses, and nonsense. */
export const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'application/json; charset=latin1',
    'application/x-www-form-urlencoded',
    'text/plain',
    'text/xml',
    'application/xml',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    'application/vnd.api+json',
    '',
    ';;;',
    'application/json, text/plain',
  ),
  fc.stringMatching(/^[a-z]{1,8}\/[a-z+.-]{1,12}$/),
);

/** Percent-encodes nothing: random path segments as a careless or hostile client writes them. */
export const rawSegment = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._~-]{1,20}$/),
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '%2F',
    '%00',
    '%',
    '%zz',
    '%E0%A4%A',
    '%C0%AF',
    '%ff',
    '%F0%9F%98%80',
    'web-%E4%BD%A0',
    '::1',
    'a;b',
    'a,b',
    '*',
    '@',
    '~root',
    "'",
    '!',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }).map((text) => encodeURIComponent(text)),
  fc.integer({ min: 200, max: 6000 }).map((n) => 'x'.repeat(n)),
);

/** The Bot Framework connector (the Emulator's) that replies to /api/messages go to, on this machine. */
export class ConnectorStandIn {
  calls = 0;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.calls += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: randomUUID() }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
