import { z } from 'zod';

/**
 * How large a JSON value from outside may be. Size limits on bodies alone do not stop a 30 KB
 * body nested 5,000 levels deep, and every recursive step after parsing (JSON.stringify for the
 * transcript, structured logging, zod) then overflows the stack.
 */
export interface JsonLimits {
  /** Levels of arrays and objects: `{"a":[1]}` is 2 deep, a string or number 0. */
  maxDepth: number;
  /** Bytes of the value written as JSON (UTF-8). */
  maxBytes: number;
  /** Characters of any one string, keys included. */
  maxStringLength: number;
  /** Items of any one array, and fields of any one object. */
  maxItems: number;
}

/** A web message's `value` (a button's payload): small, flat data, never a document. */
export const VALUE_LIMITS: JsonLimits = { maxDepth: 8, maxBytes: 4096, maxStringLength: 2000, maxItems: 100 };

/**
 * A whole JSON body: anything our schemas accept is far inside this, and it is far from the depth
 * at which recursion overflows (thousands), so it only ever refuses hostile input.
 */
export const BODY_LIMITS: JsonLimits = { maxDepth: 32, maxBytes: 64 * 1024, maxStringLength: 16 * 1024, maxItems: 1000 };

/**
 * The first way `value` goes past `limits`, as a phrase for a refusal ("is nested deeper than 8
 * levels"), or undefined when it is within them. It walks the value with its own stack, so it
 * cannot itself overflow, and stops at the first problem, so a huge value costs little.
 */
export function jsonLimitProblem(value: unknown, limits: JsonLimits): string | undefined {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let bytes = 0;
  const tooLong = (text: string) => text.length > limits.maxStringLength;
  while (pending.length) {
    const { value: current, depth } = pending.pop() as { value: unknown; depth: number };
    if (current === undefined || typeof current === 'function' || typeof current === 'symbol') {
      // No body at all, or what JSON.stringify leaves out: nothing to write.
    } else if (current === null || typeof current === 'boolean') {
      bytes += String(current).length;
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current)) return 'holds a number JSON cannot write';
      bytes += String(current).length;
    } else if (typeof current === 'string') {
      if (tooLong(current)) return `holds a string longer than ${limits.maxStringLength} characters`;
      bytes += writtenBytes(current);
    } else if (typeof current === 'object') {
      if (depth + 1 > limits.maxDepth) return `is nested deeper than ${limits.maxDepth} levels`;
      const isArray = Array.isArray(current);
      const entries = isArray ? current.map((item): [string, unknown] => ['', item]) : Object.entries(current);
      if (entries.length > limits.maxItems) return `holds an array or object with more than ${limits.maxItems} items`;
      // Brackets, and a comma between items.
      bytes += 2 + Math.max(0, entries.length - 1);
      for (const [key, item] of entries) {
        if (tooLong(key)) return `holds a field name longer than ${limits.maxStringLength} characters`;
        if (!isArray) bytes += writtenBytes(key) + 1;
        pending.push({ value: item, depth: depth + 1 });
      }
    } else {
      return 'is not JSON data';
    }
    if (bytes > limits.maxBytes) return `is larger than ${limits.maxBytes} bytes as JSON`;
  }
  return undefined;
}

/** A string's bytes as JSON writes it: quoted, escapes included (one string: no recursion). */
function writtenBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

/** A zod schema for any JSON value within `limits`; the issue names the limit that was passed. */
export function boundedJson(limits: JsonLimits): z.ZodType<unknown> {
  return z.unknown().superRefine((value, context) => {
    const problem = jsonLimitProblem(value, limits);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });
}

/** `schema`, checked first against `limits` as a whole: zod never walks a value that is too deep. */
export function withinJsonLimits<T extends z.ZodType>(schema: T, limits: JsonLimits = BODY_LIMITS): z.ZodPipe<z.ZodType<unknown>, T> {
  return boundedJson(limits).pipe(schema);
}
