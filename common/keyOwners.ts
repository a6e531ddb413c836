/**
 * Every key the service writes to Redis, by pattern: who owns it and how it ends. One table, read by
 * the key-retention tests (a key with no TTL must match a row that says why) and written out as the
 * README's "Data kept in Redis" section (test/common/keyOwners.test.ts keeps the two equal).
 *
 * A new key needs a row here. Patterns are Redis globs (`*`, `?`) without REDIS_KEY_PREFIX; braces
 * are literal (they are the keys' cluster hash tags). The first matching row wins, so put a narrower
 * pattern before a wider one.
 */

/**
 * - `idle`: lives config.retention.conversationIdleDays after the conversation's last turn (each turn
 *   and each write gives it that time again);
 * - `transcript`: lives config.retention.transcriptDays after the conversation's last transcript entry;
 * - `ttl`: its own short, fixed lifetime (the row says how long);
 * - `owned`: no TTL, because its owner ends it: a shared index trimmed as it goes, or live work
 *   (a chat waiting for an agent) that ends when someone finishes it;
 * - `record`: no TTL: kept as the company's record (tickets, ratings, accounts) or reference data.
 */
export type KeyEnd = 'idle' | 'transcript' | 'ttl' | 'owned' | 'record';

export interface KeyOwner {
  pattern: string;
  /** The module that writes it, and what it is. */
  owner: string;
  end: KeyEnd;
  /** How long, in the README's words. */
  howLong: string;
}

const IDLE = "idle: `CONVERSATION_IDLE_DAYS` (30) after the conversation's last turn";

export const KEY_OWNERS: readonly KeyOwner[] = [
  // One conversation (web, WeChat, Taobao, Bot Framework): `{…}` is the conversation id.
  { pattern: 'cs:state:{*/conversations/*/}', owner: 'bot/redisStorage.ts: dialog state (ConversationState)', end: 'idle', howLong: IDLE },
  {
    pattern: 'cs:conv:{*}:web',
    owner: 'adapters/web/webConversations.ts: web conversation token (hash)',
    end: 'idle',
    howLong: `${IDLE}; then the page gets 404 and starts a new conversation`,
  },
  {
    pattern: 'cs:conv:{*}:reference',
    owner: 'bot/conversationReferences.ts: where to reach the customer later',
    end: 'idle',
    howLong: IDLE,
  },
  {
    pattern: 'cs:conv:{*}:channel',
    owner: 'bot/conversationOwners.ts: the channel that owns the conversation id (checked every turn)',
    end: 'idle',
    howLong: IDLE,
  },
  { pattern: 'cs:conv:{*}:facts', owner: 'desk/conversationFacts.ts: what the bot learnt, for agents', end: 'idle', howLong: IDLE },
  {
    pattern: 'cs:conv:{*}:attachments',
    owner: 'desk/conversationAttachments.ts: images sent, for the next ticket (≤ 20)',
    end: 'idle',
    howLong: IDLE,
  },
  {
    pattern: 'cs:conv:{*}:callback',
    owner: "desk/callbacks.ts: the conversation's open call-back",
    end: 'idle',
    howLong: `${IDLE}; deleted when the call-back is done`,
  },
  {
    pattern: 'cs:conv:{*}:transcript',
    owner: 'desk/transcripts.ts: the transcript (stream)',
    end: 'transcript',
    howLong:
      '`TRANSCRIPT_RETENTION_DAYS` (365) after its last entry; at most about `TRANSCRIPT_MAX_ENTRIES` (2000) entries, oldest dropped first',
  },
  {
    pattern: 'cs:conv:{*}:draft',
    owner: 'desk/flowDrafts.ts: an unfinished 报修 the customer left, offered back',
    end: 'ttl',
    howLong: '24 hours',
  },
  { pattern: 'cs:conv:{*}:choices', owner: 'adapters/choiceMemory.ts: numbered options last shown', end: 'ttl', howLong: '24 hours' },
  {
    pattern: 'cs:conv:{*}:held',
    owner: "adapters/keptMessages.ts: messages kept for later on every channel, waiting for the customer's next message",
    end: 'ttl',
    howLong: '7 days, or until handed out; at most 100, oldest dropped first',
  },
  {
    pattern: 'cs:conv:{*}:lock',
    owner: 'common/conversationLock.ts: one turn at a time (lease)',
    end: 'ttl',
    howLong: '10 s, renewed while the turn runs',
  },
  { pattern: 'cs:conv:{*}:ratedAt', owner: 'desk/ratings.ts: no second rating within the window', end: 'ttl', howLong: '10 minutes' },
  {
    pattern: 'cs:conv:{*}:ratings',
    owner: "desk/ratings.ts: the conversation's ratings (满意度)",
    end: 'record',
    howLong: 'kept: appraisal of engineers and agents',
  },
  {
    pattern: 'cs:inbound:{*}:running',
    owner: 'common/inboundDedupe.ts: a delivery being answered (lease)',
    end: 'ttl',
    howLong: '15 s, renewed while the turn runs',
  },
  {
    pattern: 'cs:inbound:{*}:answers',
    owner: "common/inboundDedupe.ts: a delivery's answers, for its retries",
    end: 'ttl',
    howLong: '24 hours',
  },

  // The hand-off to agents.
  {
    pattern: 'cs:handoff:{q}:conv:*',
    owner: "desk/handoff.ts: a conversation's hand-off record",
    end: 'owned',
    howLong: `while waiting or with an agent: until claimed, handed back, closed or cancelled; then ${IDLE}`,
  },
  { pattern: 'cs:handoff:{q}:moves:*', owner: 'desk/handoff.ts: its state moves', end: 'owned', howLong: 'as its hand-off record' },
  {
    pattern: 'cs:handoff:{q}:queue',
    owner: 'desk/handoff.ts: the queue (shared)',
    end: 'owned',
    howLong: 'a chat leaves it when claimed or cancelled',
  },
  {
    pattern: 'cs:handoff:{q}:presence',
    owner: 'desk/handoff.ts: agents online (shared)',
    end: 'owned',
    howLong: 'heartbeats older than 90 s are dropped on every read',
  },
  {
    pattern: 'cs:handoff:{q}:agent:*',
    owner: 'desk/handoff.ts: the chats an agent holds (≤ 5)',
    end: 'owned',
    howLong: 'a chat leaves it when handed back or closed',
  },
  {
    pattern: 'cs:handoff:{q}:handled',
    owner: 'desk/waitEstimate.ts: how long the last 50 chats took, for wait estimates',
    end: 'ttl',
    howLong: '7 days after the last chat',
  },
  {
    pattern: 'cs:handoff:callbackOffered:*',
    owner: 'bot/handoffWatch.ts: a long wait was offered a call-back',
    end: 'ttl',
    howLong: '24 hours',
  },
  {
    pattern: 'cs:transcripts:byLastActivity',
    owner: 'desk/transcripts.ts: conversations by last activity (shared)',
    end: 'owned',
    howLong: 'members older than `TRANSCRIPT_RETENTION_DAYS` are dropped on append (once a minute per process)',
  },

  // The service desk's records.
  {
    pattern: 'cs:callback:{*}',
    owner: 'desk/callbacks.ts: a call-back request (登记回电)',
    end: 'owned',
    howLong: 'open: until an agent has phoned; done: `TRANSCRIPT_RETENTION_DAYS` (365) after',
  },
  {
    pattern: 'cs:callbacks:open',
    owner: 'desk/callbacks.ts: open call-backs (shared)',
    end: 'owned',
    howLong: 'a call-back leaves it when done',
  },
  { pattern: 'cs:callbacks:seq:*', owner: "desk/callbacks.ts: a day's call-back counter", end: 'ttl', howLong: '3 days' },
  { pattern: 'cs:ratings:byTime', owner: 'desk/ratings.ts: every rating by time', end: 'record', howLong: "kept: the manager's figures" },
  {
    pattern: 'cs:ticket:{*}:chased:*',
    owner: 'desk/ticketChases.ts: a ticket past its promised time was chased once',
    end: 'ttl',
    howLong: '1 day',
  },
  {
    pattern: 'cs:tickets:chased',
    owner: 'desk/ticketChases.ts: tickets past their promised time, for agents (capped)',
    end: 'ttl',
    howLong: '30 days after the last chase',
  },
  {
    pattern: 'cs:ticket:{*}:published',
    owner: 'desk/tickets.ts: the ticket version the outbox has',
    end: 'record',
    howLong: 'kept with its ticket',
  },
  {
    pattern: 'cs:ticket:{*}',
    owner: 'desk/tickets.ts: a ticket (工单) with its history',
    end: 'record',
    howLong: "kept: the company's record of the repair",
  },
  { pattern: 'cs:tickets:byPhone:*', owner: 'desk/tickets.ts: tickets by phone', end: 'record', howLong: 'kept with the tickets' },
  { pattern: 'cs:tickets:byStatus:*', owner: 'desk/tickets.ts: tickets by status', end: 'record', howLong: 'kept with the tickets' },
  {
    pattern: 'cs:tickets:byDeadline',
    owner: 'desk/tickets.ts: open tickets by dispatch deadline',
    end: 'owned',
    howLong: 'a ticket leaves it when no longer open',
  },
  {
    pattern: 'cs:tickets:bySerial:*',
    owner: "desk/tickets.ts: tickets by the unit's serial (a contract notice reaches its customer through the newest)",
    end: 'record',
    howLong: 'kept with the tickets',
  },
  {
    pattern: 'cs:tickets:atRisk:why',
    owner: 'desk/atRiskTickets.ts: why and when a ticket at risk was flagged',
    end: 'owned',
    howLong: 'a ticket leaves it once dispatched, booked in time or no longer open (trimmed as the console reads it)',
  },
  {
    pattern: 'cs:tickets:atRisk',
    owner: 'desk/atRiskTickets.ts: tickets at risk of missing their dispatch deadline, for the console',
    end: 'owned',
    howLong: 'as its reasons',
  },
  { pattern: 'cs:tickets:idem:*', owner: 'desk/tickets.ts: one ticket per confirmed 报修', end: 'ttl', howLong: '7 days' },
  { pattern: 'cs:tickets:seq:*', owner: "desk/tickets.ts: a day's ticket counter", end: 'ttl', howLong: '3 days' },
  {
    pattern: 'cs:outbox:tickets:deliverer',
    owner: 'desk/ticketOutbox.ts: the one delivering instance (lease)',
    end: 'ttl',
    howLong: 'seconds, renewed while delivering',
  },
  {
    pattern: 'cs:outbox:tickets:dead',
    owner: "desk/ticketOutbox.ts: changes the company's system refused",
    end: 'owned',
    howLong: 'until a person has looked at them',
  },
  {
    pattern: 'cs:outbox:tickets',
    owner: "desk/ticketOutbox.ts: ticket changes for the company's system (stream)",
    end: 'owned',
    howLong: 'trimmed once delivered',
  },
  {
    pattern: 'cs:visits:{v}:slot:*',
    owner: "desk/visitSlots.ts: the tickets holding places in an engineer's half-day (上午/下午)",
    end: 'ttl',
    howLong: '2 days after the half-day ends (the ticket keeps its appointment)',
  },
  {
    pattern: 'cs:visits:{v}:booking:*',
    owner: 'desk/visitSlots.ts: the place a ticket holds',
    end: 'ttl',
    howLong: 'as its slot; deleted on cancel',
  },
  {
    pattern: 'cs:jobs:{reminders}:*',
    owner: 'desk/visitReminders.ts: the reminder jobs (BullMQ: visit reminders, contract notices, dispatch-deadline alerts)',
    end: 'owned',
    howLong: "a job leaves when it has run: kept 7 days after (30 when it failed); the queue's own keys stay while the service does",
  },
  {
    pattern: 'cs:reminders:visit:{*}',
    owner: "desk/visitReminders.ts: a booked visit's reminders, as booked",
    end: 'ttl',
    howLong: '2 days after the visit window opens; deleted on cancel',
  },
  {
    pattern: 'cs:reminders:sent:*',
    owner: 'desk/visitReminders.ts: a reminder was sent (or put on the call list), so never twice',
    end: 'ttl',
    howLong: '60 days',
  },
  {
    pattern: 'cs:reminders:contract:*',
    owner: 'desk/visitReminders.ts: a contract got its 保养到期通知 (or a call-back), so never twice',
    end: 'ttl',
    howLong: '60 days after the contract ends',
  },
  {
    pattern: 'cs:units:contractsByEnd',
    owner: 'desk/serialRegistry.ts: units with a maintenance contract, by the day it ends',
    end: 'record',
    howLong: 'reference data, rebuilt from `desk/data/serials.csv` at every start',
  },
  {
    pattern: 'cs:unit:{*}',
    owner: 'desk/serialRegistry.ts: a sold unit (serial number)',
    end: 'record',
    howLong: 'reference data, loaded from `desk/data/serials.csv` at every start',
  },

  // The console.
  {
    pattern: 'cs:console:{accounts}:*',
    owner: 'console/accounts.ts: console accounts',
    end: 'record',
    howLong: 'kept until an admin removes the account',
  },
  { pattern: 'cs:console:session:*', owner: 'console/sessions.ts: a login session', end: 'ttl', howLong: '8 hours after its last use' },
  {
    pattern: 'cs:console:sessionsOf:*',
    owner: "console/sessions.ts: an agent's sessions",
    end: 'ttl',
    howLong: '8 hours after their last use',
  },
  {
    pattern: 'cs:ticketGuess:ticket:{*}:misses',
    owner: 'desk/ticketGuesses.ts: wrong phone digits for a ticket (工单进度)',
    end: 'ttl',
    howLong: '24 hours',
  },
  {
    pattern: 'cs:ticketGuess:ticket:{*}:lock',
    owner: "desk/ticketGuesses.ts: a ticket's lookup paused after 3 misses",
    end: 'ttl',
    howLong: '15 minutes',
  },
  {
    pattern: 'cs:ticketGuess:customer:{*}:misses',
    owner: "desk/ticketGuesses.ts: one customer's misses over all tickets",
    end: 'ttl',
    howLong: '24 hours',
  },
  {
    pattern: 'cs:ticketGuess:customer:{*}:lock',
    owner: 'desk/ticketGuesses.ts: a customer paused on every ticket',
    end: 'ttl',
    howLong: '15 minutes, doubling per miss, at most 24 hours',
  },
  {
    pattern: 'cs:console:failedLoginsOf:*',
    owner: 'console/failedLogins.ts: failed sign-ins on an account, shown to its owner',
    end: 'ttl',
    howLong: '30 days after the last failure',
  },
  {
    pattern: 'cs:console:loginDelay:*',
    owner: 'console/loginLimiter.ts: the wait after failures of a much-attacked name',
    end: 'ttl',
    howLong: 'up to 15 minutes',
  },
  {
    pattern: 'cs:console:loginFailures:*',
    owner: 'console/loginLimiter.ts: failed logins by name and address, by address, by name',
    end: 'ttl',
    howLong: '15 minutes (name and address) to 1 hour (address, name)',
  },
  { pattern: 'cs:console:sent:{*}', owner: "console/chatRoutes.ts: an agent's message, for its retries", end: 'ttl', howLong: '24 hours' },

  // WeChat.
  {
    pattern: 'cs:wechat:{*}:token:lock',
    owner: 'adapters/wechat/wechatApi.ts: one instance refreshing the token (lease)',
    end: 'ttl',
    howLong: 'seconds',
  },
  {
    pattern: 'cs:wechat:{*}:token',
    owner: 'adapters/wechat/wechatApi.ts: the access_token',
    end: 'ttl',
    howLong: "the token's own lifetime (2 hours)",
  },
  {
    pattern: 'cs:wechat:user:{*}:budget',
    owner: 'adapters/wechat/sendBudget.ts: customer-service messages left',
    end: 'ttl',
    howLong: 'the send window (48 hours)',
  },
  { pattern: 'cs:wechat:nonce:*', owner: "adapters/wechat: a push's nonce, against replays", end: 'ttl', howLong: 'the timestamp window' },

  // Protection against floods.
  { pattern: 'cs:rate:*', owner: 'rate limits (common/rateLimitSettings.ts)', end: 'ttl', howLong: "the limit's window" },
  {
    pattern: 'cs:security:events',
    owner: 'desk/securityEvents.ts: locks and attacks listed for agents (安全提醒, ≤ 500)',
    end: 'ttl',
    howLong: '30 days after the last event',
  },
  { pattern: 'cs:security:*', owner: 'abuse protection', end: 'ttl', howLong: 'its window' },
];

/** Kinds whose keys must carry a TTL; the others are ended by their owner. */
export function mustExpire(end: KeyEnd): boolean {
  return end === 'idle' || end === 'transcript' || end === 'ttl';
}

const matchers = KEY_OWNERS.map((row) => ({ row, regex: globToRegExp(row.pattern) }));

/** The row that owns a key (without REDIS_KEY_PREFIX), or undefined for a key nobody documented. */
export function ownerOf(key: string): KeyOwner | undefined {
  return matchers.find(({ regex }) => regex.test(key))?.row;
}

function globToRegExp(glob: string): RegExp {
  const body = [...glob].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

/** The README's table ("Data kept in Redis"): pattern, owner, how long. */
export function keyOwnersMarkdown(): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = ['| key | owner | how long |', '| --- | --- | --- |'];
  for (const row of KEY_OWNERS) lines.push(`| \`${row.pattern}\` | ${cell(row.owner)} | ${cell(row.howLong)} |`);
  return lines.join('\n');
}
