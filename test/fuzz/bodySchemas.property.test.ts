import fc from 'fast-check';
import type { z } from 'zod';
import { createBody, messageBody as webMessageBody } from '../../adapters/web/webChannel';
import { messageBody as agentMessageBody, moveBody, ticketBody } from '../../console/chatRoutes';
import { newUserBody } from '../../console/userRoutes';
import { TICKET_STATUSES } from '../../desk/tickets';
import { deeplyNested, jsonWithKeys, mixedText } from './arbitraries';
import { VALUE_LIMITS } from '../../common/jsonLimits';

/*
 * The zod schemas every JSON body at the edge goes through (web chat, agents' console). Whatever
 * a client sends, parsing answers success or a ZodError; what passes keeps the documented limits.
 */

/** Parses like the routes do; a throw (instead of a failed result) is a bug. */
function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> | undefined {
  const result = schema.safeParse(body);
  if (!result.success) {
    expect(result.error.issues.length).toBeGreaterThan(0);
    return undefined;
  }
  return result.data;
}

/** Random bodies: JSON of any shape, also objects with the schema's own keys holding anything. */
const bodyFor = (keys: readonly string[]) =>
  fc.oneof(
    jsonWithKeys(keys),
    fc.dictionary(fc.constantFrom(...keys), jsonWithKeys(keys), { maxKeys: keys.length }),
    // What JSON.parse gives a client's text: the round trip drops undefined and turns -0 into 0.
    fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown),
  );

const RUNS = { numRuns: 300 };

/** zod 4 measures strings in code points (an emoji or a rare Han character is one), and so do these checks. */
const length = (text: string): number => [...text].length;

describe('web chat bodies', () => {
  const keys = ['id', 'text', 'value', 'locale'] as const;

  test('a message body that passes has a safe id, text of at most 4000 characters, a short locale, and says something', () => {
    fc.assert(
      fc.property(bodyFor(keys), (body) => {
        const data = parse(webMessageBody, body);
        if (data === undefined) return;
        if (data.id !== undefined) expect(data.id).toMatch(/^[\w.:-]{1,128}$/);
        if (data.text !== undefined) expect(length(data.text)).toBeLessThanOrEqual(4000);
        if (data.locale !== undefined) expect(length(data.locale)).toBeLessThanOrEqual(20);
        expect((data.text ?? '').trim() !== '' || data.value !== undefined).toBe(true);
      }),
      RUNS,
    );
  });

  test('a button value nested up to the limit passes as sent; deeper is refused, never a crash', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            id: fc.stringMatching(/^[\w.:-]{1,128}$/),
            text: fc.string({ unit: 'grapheme', maxLength: 200 }).filter((text) => text.trim() !== ''),
            locale: fc.constantFrom('zh-CN', 'en-US', 'en'),
          },
          { requiredKeys: ['text'] },
        ),
        fc.oneof(fc.integer({ min: 0, max: VALUE_LIMITS.maxDepth + 2 }), fc.integer({ min: 0, max: 50_000 })),
        (body, depth) => {
          const value = deeplyNested(depth, depth % 2 === 0 ? 'array' : 'object');
          const data = parse(webMessageBody, { ...body, value });
          if (depth > VALUE_LIMITS.maxDepth) {
            expect(data).toBeUndefined();
            return;
          }
          expect(data).toEqual({ ...body, value });
          expect(data?.value).toBe(value);
        },
      ),
      { numRuns: 30 },
    );
  });

  test('blank text without a value, or a bad id, is refused', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', ' ', '\n\t', '\u3000'),
        fc.oneof(fc.constant(undefined), fc.stringMatching(/^[\w.:-]*[ /?#%\u4e00][\w.:-]*$/), fc.constant('x'.repeat(129))),
        (text, id) => {
          expect(webMessageBody.safeParse({ text }).success).toBe(false);
          if (id !== undefined) expect(webMessageBody.safeParse({ text: '你好', id }).success).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  test('a create body that passes is nothing or a short locale', () => {
    fc.assert(
      fc.property(fc.oneof(bodyFor(['locale']), fc.constant(undefined)), (body) => {
        const data = parse(createBody, body);
        if (data?.locale !== undefined) expect(length(data.locale)).toBeLessThanOrEqual(20);
      }),
      RUNS,
    );
  });
});

describe('console bodies', () => {
  test('an agent message that passes is trimmed text of 1–2000 characters and a safe id', () => {
    fc.assert(
      fc.property(bodyFor(['text', 'id']), mixedText(), (body, text) => {
        for (const candidate of [body, { text }]) {
          const data = parse(agentMessageBody, candidate);
          if (data === undefined) continue;
          expect(data.text).toBe(data.text.trim());
          expect(length(data.text)).toBeGreaterThanOrEqual(1);
          expect(length(data.text)).toBeLessThanOrEqual(2000);
          if (data.id !== undefined) expect(data.id).toMatch(/^[\w.:-]{1,128}$/);
        }
      }),
      RUNS,
    );
  });

  const ticketKeys = ['customerName', 'phone', 'modelId', 'symptom', 'serviceMode', 'area', 'address'] as const;
  const validTicket = fc.record(
    {
      customerName: fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 10 })
        .filter((name) => name.trim() !== '' && length(name.trim()) <= 40),
      phone: fc.stringMatching(/^1[3-9]\d{9}$/),
      modelId: fc.string({ minLength: 1, maxLength: 20 }),
      symptom: fc
        .string({ unit: 'grapheme', minLength: 2, maxLength: 60 })
        .filter((text) => length(text.trim()) >= 2 && length(text.trim()) <= 500),
      serviceMode: fc.constantFrom('onsite', 'carryIn', 'mailIn'),
      area: fc.constantFrom('city', 'suburb'),
      address: fc.string({ unit: 'grapheme', maxLength: 40 }).filter((text) => length(text.trim()) <= 200),
    },
    { requiredKeys: ['customerName', 'phone', 'modelId', 'symptom', 'serviceMode'] },
  );

  test('a ticket that passes has a mainland mobile, trimmed names within their lengths and known modes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          bodyFor(ticketKeys),
          fc
            .tuple(validTicket, fc.constantFrom(...ticketKeys), jsonWithKeys(ticketKeys))
            .map(([ticket, key, value]) => ({ ...ticket, [key]: value })),
        ),
        (body) => {
          const data = parse(ticketBody, body);
          if (data === undefined) return;
          expect(data.phone).toMatch(/^1[3-9]\d{9}$/);
          expect(data.customerName).toBe(data.customerName.trim());
          expect(length(data.customerName)).toBeGreaterThanOrEqual(1);
          expect(length(data.customerName)).toBeLessThanOrEqual(40);
          expect(length(data.modelId)).toBeGreaterThanOrEqual(1);
          expect(data.symptom).toBe(data.symptom.trim());
          expect(length(data.symptom)).toBeGreaterThanOrEqual(2);
          expect(length(data.symptom)).toBeLessThanOrEqual(500);
          expect(['onsite', 'carryIn', 'mailIn']).toContain(data.serviceMode);
          expect(['city', 'suburb']).toContain(data.area);
          if (data.address !== undefined) expect(length(data.address)).toBeLessThanOrEqual(200);
        },
      ),
      RUNS,
    );
  });

  test('every ticket within the rules passes; the area defaults to the city', () => {
    fc.assert(
      fc.property(validTicket, (ticket) => {
        const data = parse(ticketBody, ticket);
        expect(data).toBeDefined();
        expect(data?.area).toBe(ticket.area ?? 'city');
        expect(data?.phone).toBe(ticket.phone);
      }),
      { numRuns: 200 },
    );
  });

  test('a ticket move that passes names a known status and a note of at most 500', () => {
    fc.assert(
      fc.property(
        fc.oneof(bodyFor(['to', 'note']), fc.record({ to: fc.constantFrom(...TICKET_STATUSES, 'done', ''), note: mixedText() })),
        (body) => {
          const data = parse(moveBody, body);
          if (data === undefined) return;
          expect(TICKET_STATUSES).toContain(data.to);
          if (data.note !== undefined) expect(length(data.note)).toBeLessThanOrEqual(500);
        },
      ),
      RUNS,
    );
  });

  test('a new console user that passes has a known role and strings for the rest', () => {
    fc.assert(
      fc.property(bodyFor(['username', 'displayName', 'role', 'password']), (body) => {
        const data = parse(newUserBody, body);
        if (data === undefined) return;
        expect(['agent', 'manager', 'admin']).toContain(data.role);
        expect(data.username).toBe(data.username.trim());
        expect(typeof data.password).toBe('string');
        if (data.displayName !== undefined) expect(length(data.displayName)).toBeLessThanOrEqual(32);
      }),
      RUNS,
    );
  });
});
