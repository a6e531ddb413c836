import type { Redis } from '../../common/redis';

export interface SendBudgetOptions {
  now?: () => number;
}

/** WeChat's limits on customer-service messages (docs/protocols.md §2). */
export const SEND_WINDOWS = {
  /** After the customer sent a message: 5 sends within 48 h. */
  message: { limit: 5, ms: 48 * 3600 * 1000 },
  /** After a menu click, a follow or a QR scan: 3 sends within 1 min. */
  event: { limit: 3, ms: 60 * 1000 },
} as const;

export type WindowKind = keyof typeof SEND_WINDOWS;

/*
 * The budget is one hash per user with a window per kind (`<kind>:left`, `<kind>:until`), because a
 * menu click after a message must not shrink the 48 h window to one minute. Window ends are compared
 * with the caller's clock (so tests can move time); the key's TTL only makes Redis forget it.
 */

/** KEYS[1] budget; ARGV: kind, limit, until, windowMs. */
const OPEN_WINDOW = `
redis.call('HSET', KEYS[1], ARGV[1] .. ':left', ARGV[2], ARGV[1] .. ':until', ARGV[3])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return 1
`;

/** KEYS[1] budget; ARGV[1] now. Takes from the open window that closes first: use it or lose it. */
const TAKE = `
local now = tonumber(ARGV[1])
local best, bestUntil
for _, kind in ipairs({'event', 'message'}) do
  local left = tonumber(redis.call('HGET', KEYS[1], kind .. ':left') or '0')
  local untilAt = tonumber(redis.call('HGET', KEYS[1], kind .. ':until') or '0')
  if left > 0 and untilAt > now and (best == nil or untilAt < bestUntil) then
    best = kind
    bestUntil = untilAt
  end
end
if best == nil then return 0 end
redis.call('HINCRBY', KEYS[1], best .. ':left', -1)
redis.call('HSET', KEYS[1], 'last', best)
return 1
`;

/**
 * KEYS[1] budget; ARGV: now, event limit, message limit. Credits the window last taken from, else the
 * other; never above a window's limit and never into a closed window.
 */
const GIVE_BACK = `
local now = tonumber(ARGV[1])
local limits = { event = tonumber(ARGV[2]), message = tonumber(ARGV[3]) }
local order = { 'event', 'message' }
if redis.call('HGET', KEYS[1], 'last') == 'message' then order = { 'message', 'event' } end
for _, kind in ipairs(order) do
  local left = tonumber(redis.call('HGET', KEYS[1], kind .. ':left') or '0')
  local untilAt = tonumber(redis.call('HGET', KEYS[1], kind .. ':until') or '0')
  if untilAt > now and left < limits[kind] then
    redis.call('HINCRBY', KEYS[1], kind .. ':left', 1)
    return 1
  end
end
return 0
`;

/**
 * How many customer-service messages WeChat still lets us send to each user, shared by all instances
 * through Redis. What the budget does not allow waits in the channels' one store (adapters/keptMessages.ts).
 */
export class WechatSendBudget {
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    options: SendBudgetOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The customer wrote (kind 'message': 5 sends within 48 h) or clicked a menu / followed (kind 'event': 3 sends within 1 min). Opens a fresh window. */
  async customerWrote(openId: string, kind: WindowKind = 'message'): Promise<void> {
    const window = SEND_WINDOWS[kind];
    await this.redis.eval(OPEN_WINDOW, 1, budgetKey(openId), kind, window.limit, this.now() + window.ms, window.ms);
  }

  /** Atomically takes one send from the open window; false when spent or closed (Lua script). */
  async tryTake(openId: string): Promise<boolean> {
    return (await this.redis.eval(TAKE, 1, budgetKey(openId), this.now())) === 1;
  }

  /** Gives a send back (the API refused it after all). */
  async giveBack(openId: string): Promise<void> {
    await this.redis.eval(GIVE_BACK, 1, budgetKey(openId), this.now(), SEND_WINDOWS.event.limit, SEND_WINDOWS.message.limit);
  }

  async remaining(openId: string): Promise<number> {
    const fields = await this.redis.hgetall(budgetKey(openId));
    const now = this.now();
    let total = 0;
    for (const kind of Object.keys(SEND_WINDOWS) as WindowKind[]) {
      if (Number(fields[`${kind}:until`] ?? 0) > now) total += Math.max(0, Number(fields[`${kind}:left`] ?? 0));
    }
    return total;
  }

  /** Everything this module keeps about a user (unsubscribe deletes the user's data). */
  async forget(openId: string): Promise<void> {
    await this.redis.del(budgetKey(openId));
  }
}

function budgetKey(openId: string): string {
  return `cs:wechat:user:{${openId}}:budget`;
}
