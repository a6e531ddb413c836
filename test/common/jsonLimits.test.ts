import fc from 'fast-check';
import { BODY_LIMITS, VALUE_LIMITS, boundedJson, jsonLimitProblem, withinJsonLimits, type JsonLimits } from '../../common/jsonLimits';
import { z } from 'zod';

const NO_LIMITS: JsonLimits = { maxDepth: Infinity, maxBytes: Infinity, maxStringLength: Infinity, maxItems: Infinity };

/** Levels of arrays and objects, the plain recursive way (fine for the small values generated here). */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i += 1) value = i % 2 ? { a: value } : [value];
  return value;
}

describe('JSON limits', () => {
  test('the size it counts is exactly the size JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(2000), (value, maxBytes) => {
        const written = Buffer.byteLength(JSON.stringify(value));
        const problem = jsonLimitProblem(value, { ...NO_LIMITS, maxBytes });
        expect(problem === undefined).toBe(written <= maxBytes);
      }),
      { numRuns: 300 },
    );
  });

  test('the depth it counts is the nesting of arrays and objects', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.nat(7), (value, maxDepth) => {
        const problem = jsonLimitProblem(value, { ...NO_LIMITS, maxDepth });
        expect(problem === undefined).toBe(depthOf(value) <= maxDepth);
      }),
      { numRuns: 300 },
    );
  });

  test('a value 8 levels deep is a button payload; 9 levels is not', () => {
    expect(jsonLimitProblem(nested(8), VALUE_LIMITS)).toBeUndefined();
    expect(jsonLimitProblem(nested(9), VALUE_LIMITS)).toBe('is nested deeper than 8 levels');
  });

  test('100,000 levels are refused without overflowing the stack, and quickly', () => {
    const started = Date.now();
    expect(jsonLimitProblem(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), BODY_LIMITS)).toBe(
      'is nested deeper than 32 levels',
    );
    expect(Date.now() - started).toBeLessThan(500);
  });

  test.each<[string, unknown, string]>([
    ['a long string', { note: 'x'.repeat(2001) }, 'holds a string longer than 2000 characters'],
    ['a long field name', { ['k'.repeat(2001)]: 1 }, 'holds a field name longer than 2000 characters'],
    ['many items', Array.from({ length: 101 }, (_, i) => i), 'holds an array or object with more than 100 items'],
    [
      'many fields',
      Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])),
      'holds an array or object with more than 100 items',
    ],
  ])('%s is refused by name', (_name, value, problem) => {
    expect(jsonLimitProblem(value, VALUE_LIMITS)).toBe(problem);
  });

  test('as zod schemas: the issue says which limit, and the schema inside never sees a deep value', () => {
    const inner = z.object({ value: boundedJson(VALUE_LIMITS).optional() });
    const body = withinJsonLimits(inner);
    expect(body.safeParse({ value: { a: 1 } }).success).toBe(true);
    expect(body.safeParse({ value: nested(9) }).error?.issues[0]).toMatchObject({
      path: ['value'],
      message: 'is nested deeper than 8 levels',
    });
    expect(body.safeParse(JSON.parse(`{"value":${'['.repeat(5000)}${']'.repeat(5000)}}`)).error?.issues[0]).toMatchObject({
      path: [],
      message: 'is nested deeper than 32 levels',
    });
  });
});
