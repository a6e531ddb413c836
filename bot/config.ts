import { z } from 'zod';
import type { LlmSettings } from '../knowledge/llm';
import { DEFAULT_WORKING_HOURS, parseWorkingHours, type WorkingHours } from '../desk/workingHours';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Empty strings in .env files mean "unset", not "set to nothing". */
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const redisUrl = optionalText.refine(
  (value) => value === undefined || /^(rediss?|unix):\/\//.test(value),
  'must be a redis://, rediss:// or unix:// URL',
);

const timeZone = z
  .string()
  .default('Asia/Shanghai')
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Asia/Shanghai');

/** The environment the service reads, validated in one place (DESIGN.md §4 lists the variables). */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]*$/, 'may hold only letters, digits, ":", "_" and "-"')
    .default(''),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  TZ: timeZone,
  TICKET_WEBHOOK_URL: optionalText.refine((value) => value === undefined || /^https?:\/\//.test(value), 'must be an http:// or https:// URL'),
  TICKET_WEBHOOK_SECRET: optionalText,
  WORKING_HOURS: optionalText.refine((value) => {
    if (value === undefined) return true;
    try {
      parseWorkingHours(value);
      return true;
    } catch {
      return false;
    }
  }, 'must look like "09:00-18:00 1-7" (opening hours, then ISO weekdays)'),
  LLM_BASE_URL: optionalText.refine((value) => value === undefined || /^https?:\/\//.test(value), 'must be an http:// or https:// URL'),
  LLM_API_KEY: optionalText,
  LLM_MODEL: optionalText,
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2500),
  LLM_STRUCTURED_OUTPUT: z.enum(['functionCalling', 'jsonMode', 'jsonSchema']).default('functionCalling'),
}).refine((env) => !env.TICKET_WEBHOOK_URL || env.TICKET_WEBHOOK_SECRET, {
  message: 'is required when TICKET_WEBHOOK_URL is set (the webhook body is signed with it)',
  path: ['TICKET_WEBHOOK_SECRET'],
}).refine((env) => !env.LLM_BASE_URL || env.LLM_MODEL, {
  message: 'is required when LLM_BASE_URL is set',
  path: ['LLM_MODEL'],
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  port: number;
  /** Unset: `npm start` runs its own redis-server; createApp always needs one. */
  redisUrl?: string;
  /** Lets several deployments, or several test apps, share one Redis without touching each other's keys. */
  redisKeyPrefix: string;
  logLevel: (typeof logLevels)[number];
  timeZone: string;
  /** The company's ticket receiver; unset: tickets stay in Redis and the outbox waits. */
  ticketWebhookUrl?: string;
  ticketWebhookSecret?: string;
  /** Engineers' working hours, for dispatch deadlines. */
  workingHours: WorkingHours;
  /** Optional: an OpenAI-compatible endpoint that helps when the offline path is unsure. */
  llm?: LlmSettings;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment; throws a ConfigError that names every bad variable and why. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    logLevel: e.LOG_LEVEL,
    timeZone: e.TZ,
    ticketWebhookUrl: e.TICKET_WEBHOOK_URL,
    ticketWebhookSecret: e.TICKET_WEBHOOK_SECRET,
    llm: e.LLM_BASE_URL
      ? { baseUrl: e.LLM_BASE_URL, apiKey: e.LLM_API_KEY ?? 'none', model: e.LLM_MODEL ?? '', timeoutMs: e.LLM_TIMEOUT_MS, method: e.LLM_STRUCTURED_OUTPUT }
      : undefined,
    workingHours: e.WORKING_HOURS ? parseWorkingHours(e.WORKING_HOURS, e.TZ) : { ...DEFAULT_WORKING_HOURS, timeZone: e.TZ },
  };
}
