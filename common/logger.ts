import pino, { type Logger } from 'pino';
import { maskPersonalText } from '../desk/privacy';

export type { Logger };

/**
 * Errors are the one place customer words reach a log line: a JSON parser quotes the body it could
 * not read, an LLM error its output. Their texts are masked like the console masks them (DESIGN §3).
 */
function maskedError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown;
  return maskStrings(serialized, 0);
}

function maskStrings(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskPersonalText(value);
  // An error's own fields and causes are shallow; a deeper object is not worth walking in a log call.
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskStrings(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskStrings(item, depth + 1)]));
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'aftersales-bot' }, serializers: { err: maskedError } }, destination);
}
