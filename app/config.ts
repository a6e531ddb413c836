import { isIP } from 'node:net';
import { z } from 'zod';
import type { LlmSettings } from '../knowledge/llm';
import { DEFAULT_WORKING_HOURS, parseWorkingHours, type WorkingHours } from '../desk/workingHours';
import { TrustedProxies } from '../common/clientAddress';
import { parseRateLimits, type RateLimitSettings } from '../common/rateLimitSettings';
import type { BotFrameworkSettings, TaobaoSettings, WechatSettings } from '../adapters/channelSettings';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The service line is staffed 9:00–22:00 every day (docs/domain.md, Service hours and response). */
const DEFAULT_SERVICE_HOURS = '09:00-22:00 1-7';

/** Empty strings in .env files mean "unset", not "set to nothing". */
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const redisUrl = optionalText.refine(
  (value) => value === undefined || /^(rediss?|unix):\/\//.test(value),
  'must be a redis://, rediss:// or unix:// URL',
);

const httpUrl = optionalText.refine(
  (value) => value === undefined || /^https?:\/\/[^\s]+$/.test(value),
  'must be an http:// or https:// URL',
);

/** WeChat's EncodingAESKey: 43 characters of base64 (a 32-byte key without its "="). */
const aesKey = optionalText.refine(
  (value) => value === undefined || /^[A-Za-z0-9+/]{43}$/.test(value),
  'must be the 43-character EncodingAESKey from the WeChat admin page',
);

const workingHoursSpec = optionalText.refine((value) => {
  if (value === undefined) return true;
  try {
    parseWorkingHours(value);
    return true;
  } catch {
    return false;
  }
}, 'must look like "09:00-18:00 1-7" (opening hours, then ISO weekdays)');

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

const rateLimits = optionalText.superRefine((value, ctx) => {
  try {
    parseRateLimits(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `${(error as Error).message} ("off", "on", or name=points/seconds,…)` });
  }
});

const proxyList = optionalText
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .superRefine((entries, ctx) => {
    const problem = TrustedProxies.problemWith(entries);
    if (problem) ctx.addIssue({ code: 'custom', message: `${problem} (a comma-separated list such as 127.0.0.1,10.0.0.0/8)` });
  });

const days = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** The environment the service reads, validated in one place (docs/contracts.md §4 lists the variables). */
export const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: optionalText.refine(
      (value) => value === undefined || isIP(value) !== 0 || value === 'localhost',
      'must be an IP address to listen on (0.0.0.0, 127.0.0.1, ::) or localhost',
    ),
    RATE_LIMITS: rateLimits,
    TRUSTED_PROXIES: proxyList,
    CONVERSATION_IDLE_DAYS: days(30, 3650),
    TRANSCRIPT_RETENTION_DAYS: days(365, 3650),
    TRANSCRIPT_MAX_ENTRIES: z.coerce.number().int().min(50).max(100_000).default(2000),
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]*$/, 'may hold only letters, digits, ":", "_" and "-"')
      .default(''),
    LOG_LEVEL: z.enum(logLevels).default('info'),
    TZ: timeZone,
    TICKET_WEBHOOK_URL: httpUrl,
    TICKET_WEBHOOK_SECRET: optionalText,
    WORKING_HOURS: workingHoursSpec,
    LLM_BASE_URL: httpUrl,
    LLM_API_KEY: optionalText,
    LLM_MODEL: optionalText,
    LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2500),
    LLM_STRUCTURED_OUTPUT: z.enum(['functionCalling', 'jsonMode', 'jsonSchema']).default('functionCalling'),
    WECHAT_TOKEN: optionalText.refine(
      (value) => value === undefined || /^[A-Za-z0-9]{3,32}$/.test(value),
      'must be 3–32 letters or digits (as set in the WeChat admin page)',
    ),
    WECHAT_APPID: optionalText,
    WECHAT_APPSECRET: optionalText,
    WECHAT_ENCODING_AES_KEY: aesKey,
    WECHAT_ENCODING_AES_KEY_PREVIOUS: aesKey,
    WECHAT_API_BASE: httpUrl,
    TAOBAO_APP_KEY: optionalText,
    TAOBAO_APP_SECRET: optionalText,
    TAOBAO_RELAY_URL: httpUrl,
    TAOBAO_API_BASE: httpUrl,
    TAOBAO_SESSION: optionalText,
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppTenantId: optionalText,
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    SERVICE_HOURS: workingHoursSpec,
    CONSOLE_ADMIN_USER: optionalText.refine(
      (value) => value === undefined || /^[A-Za-z0-9_.-]{2,32}$/.test(value),
      'must be 2–32 letters, digits, ".", "_" or "-"',
    ),
    CONSOLE_ADMIN_PASSWORD: optionalText.refine((value) => value === undefined || value.length >= 10, 'must be at least 10 characters'),
    REMINDERS: z.enum(['on', 'off']).default('on'),
    CONSOLE_SECURE_COOKIES: z
      .enum(['true', 'false', ''])
      .optional()
      .transform((value) => value === 'true'),
  })
  .superRefine((env, ctx) => {
    // A channel is on with all of its secrets or off with none: never half-on (docs/contracts.md §4).
    const groups: [string, string[]][] = [
      ['WeChat', ['WECHAT_TOKEN', 'WECHAT_APPID', 'WECHAT_APPSECRET']],
      ['Taobao', ['TAOBAO_APP_KEY', 'TAOBAO_APP_SECRET']],
      ['Bot Framework', ['MicrosoftAppId', 'MicrosoftAppPassword']],
    ];
    const values = env as Record<string, unknown>;
    for (const [channel, names] of groups) {
      const set = names.filter((name) => values[name] !== undefined);
      if (set.length === 0 || set.length === names.length) continue;
      for (const name of names.filter((n) => values[n] === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `is required with ${set.join(', ')} (the ${channel} channel needs all of ${names.join(', ')}, or none to stay off)`,
        });
      }
    }
    if (env.WECHAT_ENCODING_AES_KEY_PREVIOUS && !env.WECHAT_ENCODING_AES_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['WECHAT_ENCODING_AES_KEY'],
        message: 'is required when WECHAT_ENCODING_AES_KEY_PREVIOUS is set',
      });
    }
    if (Boolean(env.CONSOLE_ADMIN_USER) !== Boolean(env.CONSOLE_ADMIN_PASSWORD)) {
      const missing = env.CONSOLE_ADMIN_USER ? 'CONSOLE_ADMIN_PASSWORD' : 'CONSOLE_ADMIN_USER';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required with the other (the first console admin needs both)' });
    }
    if (env.TAOBAO_RELAY_URL && !env.TAOBAO_APP_KEY) {
      ctx.addIssue({ code: 'custom', path: ['TAOBAO_APP_KEY'], message: 'is required when TAOBAO_RELAY_URL is set' });
    }
    if (env.TAOBAO_SESSION && !env.TAOBAO_APP_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['TAOBAO_APP_KEY'],
        message: 'is required when TAOBAO_SESSION is set (order lookups are signed with the app key and secret)',
      });
    }
  })
  .refine((env) => !env.TICKET_WEBHOOK_URL || env.TICKET_WEBHOOK_SECRET, {
    message: 'is required when TICKET_WEBHOOK_URL is set (the webhook body is signed with it)',
    path: ['TICKET_WEBHOOK_SECRET'],
  })
  .refine((env) => !env.LLM_BASE_URL || env.LLM_MODEL, {
    message: 'is required when LLM_BASE_URL is set',
    path: ['LLM_MODEL'],
  });

export type Env = z.input<typeof envSchema>;

export interface Config {
  port: number;
  /** The address to listen on (default every interface, 0.0.0.0). */
  host: string;
  /** Requests allowed per client, conversation and session; undefined: no limits (`RATE_LIMITS=off`). */
  rateLimits?: RateLimitSettings;
  /** Proxies whose X-Forwarded-For names the client (addresses or CIDR ranges); empty: the socket's peer is the client. */
  trustedProxies: string[];
  /** How long what the service keeps is kept (the owners and ends of every key: README, Data kept). */
  retention: RetentionSettings;
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
  /** When agents answer chats; outside them the bot offers a call-back instead of a wait. */
  serviceHours: WorkingHours;
  /** The console's first admin, created on the first start when no admin exists. */
  consoleAdmin?: { username: string; password: string };
  /** Visit reminders, contract notices and dispatch-deadline alerts (a job queue in Redis); off: none are scheduled or sent. */
  reminders: boolean;
  /** Mark the console's session cookie Secure (set when the console is served over HTTPS). */
  consoleSecureCookies: boolean;
  /** Optional: an OpenAI-compatible endpoint that helps when the offline path is unsure. */
  llm?: LlmSettings;
  /** The WeChat Official Account channel; unset: /api/wechat answers 404. */
  wechat?: WechatSettings;
  /** The Taobao chat relay and/or TOP order lookups; unset: /api/taobao answers 404. */
  taobao?: TaobaoSettings;
  /** Bot Framework credentials; unset: /api/messages serves only local callers (the Emulator). */
  botFramework?: BotFrameworkSettings;
}

export interface RetentionSettings {
  /** A web conversation idle this long is gone: its token, state, references and choices. */
  conversationIdleDays: number;
  /** A transcript is kept this long after its last message (complaints and tickets keep their own records). */
  transcriptDays: number;
  /** The most entries one conversation's transcript keeps; older ones are dropped first. */
  transcriptMaxEntries: number;
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
    host: e.HOST ?? '0.0.0.0',
    rateLimits: parseRateLimits(e.RATE_LIMITS),
    trustedProxies: e.TRUSTED_PROXIES,
    retention: {
      conversationIdleDays: e.CONVERSATION_IDLE_DAYS,
      transcriptDays: e.TRANSCRIPT_RETENTION_DAYS,
      transcriptMaxEntries: e.TRANSCRIPT_MAX_ENTRIES,
    },
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    logLevel: e.LOG_LEVEL,
    timeZone: e.TZ,
    ticketWebhookUrl: e.TICKET_WEBHOOK_URL,
    ticketWebhookSecret: e.TICKET_WEBHOOK_SECRET,
    llm: e.LLM_BASE_URL
      ? {
          baseUrl: e.LLM_BASE_URL,
          apiKey: e.LLM_API_KEY ?? 'none',
          model: e.LLM_MODEL ?? '',
          timeoutMs: e.LLM_TIMEOUT_MS,
          method: e.LLM_STRUCTURED_OUTPUT,
        }
      : undefined,
    wechat:
      e.WECHAT_TOKEN && e.WECHAT_APPID && e.WECHAT_APPSECRET
        ? {
            token: e.WECHAT_TOKEN,
            appId: e.WECHAT_APPID,
            appSecret: e.WECHAT_APPSECRET,
            encodingAesKey: e.WECHAT_ENCODING_AES_KEY,
            previousEncodingAesKey: e.WECHAT_ENCODING_AES_KEY_PREVIOUS,
            apiBase: (e.WECHAT_API_BASE ?? 'https://api.weixin.qq.com').replace(/\/+$/, ''),
          }
        : undefined,
    taobao:
      e.TAOBAO_APP_KEY && e.TAOBAO_APP_SECRET
        ? {
            appKey: e.TAOBAO_APP_KEY,
            appSecret: e.TAOBAO_APP_SECRET,
            relayUrl: e.TAOBAO_RELAY_URL,
            apiBase: e.TAOBAO_API_BASE ?? 'https://eco.taobao.com/router/rest',
            session: e.TAOBAO_SESSION,
          }
        : undefined,
    botFramework:
      e.MicrosoftAppId && e.MicrosoftAppPassword
        ? { appId: e.MicrosoftAppId, appPassword: e.MicrosoftAppPassword, tenantId: e.MicrosoftAppTenantId, appType: e.MicrosoftAppType }
        : undefined,
    serviceHours: parseWorkingHours(e.SERVICE_HOURS ?? DEFAULT_SERVICE_HOURS, e.TZ),
    consoleAdmin:
      e.CONSOLE_ADMIN_USER && e.CONSOLE_ADMIN_PASSWORD ? { username: e.CONSOLE_ADMIN_USER, password: e.CONSOLE_ADMIN_PASSWORD } : undefined,
    consoleSecureCookies: e.CONSOLE_SECURE_COOKIES,
    reminders: e.REMINDERS === 'on',
    workingHours: e.WORKING_HOURS ? parseWorkingHours(e.WORKING_HOURS, e.TZ) : { ...DEFAULT_WORKING_HOURS, timeZone: e.TZ },
  };
}
