import pino, { type Logger } from 'pino';

export type { Logger };

/** Hides a customer's personal data in a text (desk/privacy.ts's maskPersonalText, given by the app). */
export type MaskText = (text: string) => string;

/**
 * Errors are the one place customer words reach a log line: a JSON parser quotes the body it could
 * not read, an LLM error its output. Their texts are masked like the console masks them (DESIGN §3).
 */
function maskedError(mask: MaskText): (error: unknown) => unknown {
  return (error) => maskStrings(pino.stdSerializers.err(error as Error) as unknown, mask, 0);
}

function maskStrings(value: unknown, mask: MaskText, depth: number): unknown {
  if (typeof value === 'string') return mask(value);
  // An error's own fields and causes are shallow; a deeper object is not worth walking in a log call.
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskStrings(item, mask, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskStrings(item, mask, depth + 1)]));
}

/** The masking is the desk's (privacy is its rule), so the caller passes it in: common/ sits below desk/. */
export function createLogger(level: string, mask: MaskText, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'aftersales-bot' }, serializers: { err: maskedError(mask) } }, destination);
}
