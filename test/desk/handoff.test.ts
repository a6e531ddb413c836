import type { Redis } from 'ioredis';
import {
  ESCALATION_PRIORITY,
  HandoffError,
  HandoffQueue,
  type EscalationReason,
  type HandoffQueueOptions,
  type HandoffRecord,
  type HandoffSummary,
} from '../../desk/handoff';
import type { WaitEstimate } from '../../desk/waitEstimate';
import { testRedis, uniquePrefix } from '../helpers/redis';

const START = new Date('2025-01-06T10:00:00+08:00');
const MINUTE = 60_000;

const summary = (words = '我要转人工'): HandoffSummary => ({
  intent: 'human',
  product: 'X20 Pro',
  stepsTried: [],
  lastMessages: [words],
  phoneMasked: '138****5678',
});

describe('HandoffQueue', () => {
  let redis: Redis;
  let clock: Date;
  let queue: HandoffQueue;
  const now = (): Date => clock;
  const advance = (ms: number): void => {
    clock = new Date(clock.getTime() + ms);
  };
  const makeQueue = (options: HandoffQueueOptions = {}, client: Redis = redis): HandoffQueue =>
    new HandoffQueue(client, { now, ...options });
  const escalate = (conversationId: string, reason: EscalationReason = 'asked', words?: string) =>
    queue.escalate({ conversationId, channel: 'web', reason, summary: summary(words) });
  /** Everything the store holds for a chat, to show that a refused move changed nothing. */
  const everything = async (id: string, agents: string[] = ['a1', 'a2']) => ({
    record: await queue.get(id),
    queue: await redis.zrange('cs:handoff:{q}:queue', 0, -1, 'WITHSCORES'),
    agents: await Promise.all(agents.map((a) => redis.smembers(`cs:handoff:{q}:agent:${a}`))),
  });

  beforeEach(() => {
    redis = testRedis();
    clock = START;
    queue = makeQueue();
  });

  afterEach(async () => {
    await redis.quit();
  });

  describe('escalate and the order of the queue', () => {
    it('priorities: safety 3, complaint 2, everything else 1', () => {
      expect(ESCALATION_PRIORITY).toEqual({ safety: 3, complaint: 2, asked: 1, misunderstood: 1, troubleshootFailed: 1 });
    });

    const orders: { name: string; arrivals: [string, EscalationReason][]; expected: string[] }[] = [
      {
        name: 'same priority: who has waited longest',
        arrivals: [
          ['c1', 'asked'],
          ['c2', 'misunderstood'],
          ['c3', 'troubleshootFailed'],
        ],
        expected: ['c1', 'c2', 'c3'],
      },
      {
        name: 'safety first, then complaint, then others',
        arrivals: [
          ['c1', 'asked'],
          ['c2', 'complaint'],
          ['c3', 'safety'],
          ['c4', 'misunderstood'],
        ],
        expected: ['c3', 'c2', 'c1', 'c4'],
      },
      {
        name: 'within a band, by waiting time',
        arrivals: [
          ['c1', 'complaint'],
          ['c2', 'safety'],
          ['c3', 'complaint'],
          ['c4', 'safety'],
          ['c5', 'asked'],
        ],
        expected: ['c2', 'c4', 'c1', 'c3', 'c5'],
      },
    ];
    it.each(orders)('$name', async ({ arrivals, expected }) => {
      for (const [id, reason] of arrivals) {
        await escalate(id, reason);
        advance(1000);
      }
      expect((await queue.waiting()).map((r) => r.conversationId)).toEqual(expected);
      for (const [i, id] of expected.entries()) expect(await queue.position(id)).toBe(i + 1);
    });

    it('creates a waiting record with the summary, the time and the first move', async () => {
      const result = await queue.escalate({
        conversationId: 'c1',
        channel: 'wechat',
        reason: 'complaint',
        summary: summary(),
        by: 'customer',
      });
      // Nobody online yet: no minutes are promised.
      expect(result).toEqual({ record: expect.any(Object), position: 1, wait: { kind: 'noAgents', ahead: 0 }, already: false });
      expect(result.record).toEqual<HandoffRecord>({
        conversationId: 'c1',
        channel: 'wechat',
        state: 'waiting',
        reason: 'complaint',
        priority: 2,
        summary: summary(),
        waitingSince: START.toISOString(),
        moves: [{ at: START.toISOString(), by: 'customer', from: 'bot', to: 'waiting' }],
      });
      expect(await queue.get('c1')).toEqual(result.record);
      expect(await queue.stateOf('c1')).toBe('waiting');
    });

    it('a safety escalation of a waiting chat moves it to the front, keeps its wait and refreshes the summary', async () => {
      await escalate('c1', 'complaint');
      advance(1000);
      await escalate('c2', 'asked', '第一次');
      advance(1000);
      await escalate('c3', 'safety');
      advance(1000);
      const raised = await escalate('c2', 'safety', '冒烟了');
      expect(raised.already).toBe(true);
      expect(raised.position).toBe(1);
      expect(raised.record).toMatchObject({ reason: 'safety', priority: 3, waitingSince: new Date(START.getTime() + 1000).toISOString() });
      expect(raised.record.summary.lastMessages).toEqual(['冒烟了']);
      expect(raised.record.moves).toHaveLength(1);
      expect((await queue.waiting()).map((r) => r.conversationId)).toEqual(['c2', 'c3', 'c1']);
    });

    it('a lower-priority re-escalation keeps the place and priority but refreshes the summary', async () => {
      await escalate('c1', 'complaint', '投诉');
      advance(1000);
      await escalate('c2', 'complaint');
      advance(1000);
      const again = await escalate('c1', 'asked', '还在吗');
      expect(again).toMatchObject({ already: true, position: 1, record: { reason: 'complaint', priority: 2 } });
      expect(again.record.summary.lastMessages).toEqual(['还在吗']);
      expect((await queue.waiting()).map((r) => r.conversationId)).toEqual(['c1', 'c2']);
    });

    it('escalating twice is idempotent: same place, one move, already=true', async () => {
      await escalate('c0');
      const first = await escalate('c1');
      advance(5 * MINUTE);
      const second = await escalate('c1');
      expect(first.already).toBe(false);
      expect(second.already).toBe(true);
      expect(second.position).toBe(first.position);
      expect(second.record).toEqual(first.record);
      expect(await redis.zcard('cs:handoff:{q}:queue')).toBe(2);
    });

    it('a retry heals a queue entry that was lost', async () => {
      await escalate('c1');
      await redis.zrem('cs:handoff:{q}:queue', 'c1');
      expect((await escalate('c1')).position).toBe(1);
    });

    it('escalating a chat that is with an agent changes nothing: already, position 0', async () => {
      await escalate('c1');
      await queue.claim('c1', 'a1');
      const before = await everything('c1');
      const result = await escalate('c1', 'safety', '又来了');
      expect(result).toMatchObject({ already: true, position: 0, record: { state: 'withAgent', reason: 'asked' } });
      expect(result.wait).toBeUndefined();
      expect(await everything('c1')).toEqual(before);
    });

    it('rejects invalid input and stores nothing', async () => {
      const bad = [
        { conversationId: '', channel: 'web', reason: 'asked', summary: summary() },
        { conversationId: 'c1', channel: 'web', reason: 'bored', summary: summary() },
        { conversationId: 'c1', channel: 'web', reason: 'asked', summary: { intent: 'x' } },
      ];
      for (const input of bad) {
        // Deliberately ill-typed: this is what an unchecked caller could pass.
        await expect(queue.escalate(input as unknown as Parameters<HandoffQueue['escalate']>[0])).rejects.toMatchObject({
          code: 'invalid',
        });
      }
      expect(await queue.get('c1')).toBeUndefined();
      expect(await queue.waiting()).toEqual([]);
    });
  });

  describe('positions and expected wait', () => {
    const cases: { agents: number; waits: WaitEstimate[] }[] = [
      { agents: 0, waits: [0, 1, 2, 3].map((ahead) => ({ kind: 'noAgents', ahead })) },
      {
        agents: 1,
        waits: [
          { kind: 'shortly' },
          { kind: 'minutes', ahead: 1, minutes: 6 },
          { kind: 'minutes', ahead: 2, minutes: 15 },
          { kind: 'minutes', ahead: 3, minutes: 20 },
        ],
      },
      {
        agents: 3,
        waits: [
          { kind: 'shortly' },
          { kind: 'minutes', ahead: 1, minutes: 2 },
          { kind: 'minutes', ahead: 2, minutes: 4 },
          { kind: 'minutes', ahead: 3, minutes: 6 },
        ],
      },
    ];
    it.each(cases)('with $agents online agents (no history: 6 minutes a chat)', async ({ agents, waits }) => {
      for (let a = 0; a < agents; a++) await queue.heartbeat(`agent-${a}`);
      const results = [];
      for (let i = 0; i < waits.length; i++) {
        results.push(await escalate(`c${i}`));
        advance(1000);
      }
      expect(results.map((r) => r.position)).toEqual([1, 2, 3, 4]);
      expect(results.map((r) => r.wait)).toEqual(waits);
      expect(await Promise.all([1, 2, 3, 4].map((p) => queue.waitFor(p)))).toEqual(waits);
    });

    it('uses averageHandleMinutes until chats have ended', async () => {
      await queue.heartbeat('a1');
      expect(await makeQueue({ averageHandleMinutes: 10 }).waitFor(4)).toEqual({ kind: 'minutes', ahead: 3, minutes: 30 });
    });

    it('learns from how long chats were with an agent: the median of recent hand-backs and closes', async () => {
      await queue.heartbeat('a1');
      await queue.heartbeat('a2');
      for (const [i, minutes] of [12, 12, 3, 12, 300].entries()) {
        await escalate(`done${i}`);
        await queue.claim(`done${i}`, 'a1');
        advance(minutes * MINUTE);
        await (i % 2 === 0 ? queue.handBack(`done${i}`, 'a1') : queue.close(`done${i}`, 'a1'));
        await queue.heartbeat('a1');
        await queue.heartbeat('a2');
      }
      // Samples 12, 12, 3, 12 (five hours is not a handling time): median 12; 3 ahead ÷ 2 agents → 18 → 20.
      expect(await redis.lrange('cs:handoff:{q}:handled', 0, -1)).toEqual(['720', '180', '720', '720']);
      expect(await queue.waitFor(4)).toEqual({ kind: 'minutes', ahead: 3, minutes: 20 });
      expect(await redis.ttl('cs:handoff:{q}:handled')).toBeGreaterThan(0);
    });

    it('nobody ahead but every online agent at capacity: minutes, not "shortly"', async () => {
      queue = makeQueue({ maxChatsPerAgent: 1 });
      await queue.heartbeat('a1');
      await escalate('held');
      await queue.claim('held', 'a1');
      await escalate('next');
      expect(await queue.waitFor(1)).toEqual({ kind: 'minutes', ahead: 0, minutes: 6 });
      await queue.heartbeat('a2');
      expect(await queue.waitFor(1)).toEqual({ kind: 'shortly' });
    });

    it('moves up as others are claimed or cancel; 0 with an agent; undefined otherwise', async () => {
      for (const id of ['c1', 'c2', 'c3']) {
        await escalate(id);
        advance(1000);
      }
      expect(await queue.position('c3')).toBe(3);
      await queue.claim('c1', 'a1');
      await queue.cancel('c2');
      expect(await queue.position('c3')).toBe(1);
      expect(await queue.position('c1')).toBe(0);
      expect(await queue.position('c2')).toBeUndefined();
      expect(await queue.position('unknown')).toBeUndefined();
    });
  });

  describe('claim', () => {
    it('two agents claiming at once on two connections: exactly one wins, 100 times', async () => {
      const prefix = uniquePrefix();
      const clients = [testRedis(prefix), testRedis(prefix)];
      try {
        const [desk1, desk2] = clients.map((c) => makeQueue({ maxChatsPerAgent: 1000 }, c));
        const wins = { a1: 0, a2: 0 };
        for (let i = 0; i < 100; i++) {
          const id = `race-${i}`;
          await desk1.escalate({ conversationId: id, channel: 'web', reason: 'asked', summary: summary() });
          // Alternate who starts first so neither connection is always ahead.
          const [r1, r2] =
            i % 2
              ? await Promise.all([desk1.claim(id, 'a1'), desk2.claim(id, 'a2')])
              : (await Promise.all([desk2.claim(id, 'a2'), desk1.claim(id, 'a1')])).reverse();
          const winners = [r1, r2].filter((r) => r.ok);
          expect(winners).toHaveLength(1);
          const winner = r1.ok ? 'a1' : 'a2';
          const loser = r1.ok ? r2 : r1;
          expect(loser).toEqual({ ok: false, reason: 'takenBy', agentId: winner });
          expect(await desk2.get(id)).toMatchObject({ state: 'withAgent', agentId: winner });
          wins[winner] += 1;
        }
        const [held1, held2] = await Promise.all([desk1.chatsOf('a1'), desk2.chatsOf('a2')]);
        expect(held1.length).toBe(wins.a1);
        expect(held2.length).toBe(wins.a2);
        expect(wins.a1 + wins.a2).toBe(100);
        expect(await desk1.waiting()).toEqual([]);
      } finally {
        await Promise.all(clients.map((c) => c.quit()));
      }
    });

    it('moves waiting → withAgent: out of the queue, into the agent’s chats, move recorded', async () => {
      await escalate('c1');
      advance(MINUTE);
      const result = await queue.claim('c1', 'a1');
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.record).toMatchObject({
        state: 'withAgent',
        agentId: 'a1',
        claimedAt: clock.toISOString(),
        waitingSince: START.toISOString(),
      });
      expect(result.record.moves[1]).toEqual({ at: clock.toISOString(), by: 'a1', from: 'waiting', to: 'withAgent' });
      expect(await queue.waiting()).toEqual([]);
      expect((await queue.chatsOf('a1')).map((r) => r.conversationId)).toEqual(['c1']);
      expect(await queue.stateOf('c1')).toBe('withAgent');
    });

    it('claiming a chat you already hold returns ok and records nothing new', async () => {
      await escalate('c1');
      const first = await queue.claim('c1', 'a1');
      advance(MINUTE);
      const again = await queue.claim('c1', 'a1');
      expect(again).toEqual(first);
    });

    it('refuses an agent at capacity and changes nothing; a freed slot can be used', async () => {
      queue = makeQueue({ maxChatsPerAgent: 2 });
      for (const id of ['c1', 'c2', 'c3']) {
        await escalate(id);
        advance(1000);
      }
      expect((await queue.claim('c1', 'a1')).ok).toBe(true);
      expect((await queue.claim('c2', 'a1')).ok).toBe(true);
      const before = await everything('c3');
      expect(await queue.claim('c3', 'a1')).toEqual({ ok: false, reason: 'atCapacity' });
      expect(await everything('c3')).toEqual(before);
      // Holding two does not stop a retry of a claim already won.
      expect((await queue.claim('c2', 'a1')).ok).toBe(true);
      expect((await queue.claim('c3', 'a2')).ok).toBe(true);
      await queue.handBack('c1', 'a1');
      await escalate('c4');
      expect((await queue.claim('c4', 'a1')).ok).toBe(true);
    });
  });

  describe('illegal moves are refused and change nothing', () => {
    type Op = 'claim' | 'handBack' | 'close' | 'cancel';
    const run = (op: Op, id: string, agentId: string) => (op === 'cancel' ? queue.cancel(id, agentId) : queue[op](id, agentId));
    /** Brings c1 into a state: `bot` after a hand-back, `closed` after a close. */
    const setUp: Record<'never' | 'bot' | 'waiting' | 'withAgent' | 'closed', () => Promise<void>> = {
      never: async () => undefined,
      waiting: async () => void (await escalate('c1')),
      withAgent: async () => {
        await escalate('c1');
        await queue.claim('c1', 'a1');
      },
      bot: async () => {
        await setUp.withAgent();
        await queue.handBack('c1', 'a1');
      },
      closed: async () => {
        await setUp.withAgent();
        await queue.close('c1', 'a1');
      },
    };
    const cases: { from: keyof typeof setUp; op: Op; by: string; reason: string }[] = [
      { from: 'never', op: 'claim', by: 'a2', reason: 'notWaiting' },
      { from: 'never', op: 'handBack', by: 'a1', reason: 'notWithAgent' },
      { from: 'never', op: 'close', by: 'a1', reason: 'notWithAgent' },
      { from: 'never', op: 'cancel', by: 'customer', reason: 'notWaiting' },
      { from: 'bot', op: 'claim', by: 'a2', reason: 'notWaiting' },
      { from: 'bot', op: 'handBack', by: 'a1', reason: 'notWithAgent' },
      { from: 'bot', op: 'close', by: 'a1', reason: 'notWithAgent' },
      { from: 'bot', op: 'cancel', by: 'customer', reason: 'notWaiting' },
      { from: 'waiting', op: 'handBack', by: 'a1', reason: 'notWithAgent' },
      { from: 'waiting', op: 'close', by: 'a1', reason: 'notWithAgent' },
      { from: 'withAgent', op: 'claim', by: 'a2', reason: 'takenBy' },
      { from: 'withAgent', op: 'handBack', by: 'a2', reason: 'notYours' },
      { from: 'withAgent', op: 'close', by: 'a2', reason: 'notYours' },
      { from: 'withAgent', op: 'cancel', by: 'customer', reason: 'notWaiting' },
      { from: 'closed', op: 'claim', by: 'a2', reason: 'notWaiting' },
      { from: 'closed', op: 'handBack', by: 'a1', reason: 'notWithAgent' },
      { from: 'closed', op: 'close', by: 'a1', reason: 'notWithAgent' },
      { from: 'closed', op: 'cancel', by: 'customer', reason: 'notWaiting' },
    ];
    it.each(cases)('$from: $op by $by → $reason', async ({ from, op, by, reason }) => {
      await setUp[from]();
      advance(MINUTE);
      const before = await everything('c1');
      const result = await run(op, 'c1', by);
      expect(result).toMatchObject({ ok: false, reason });
      expect(await everything('c1')).toEqual(before);
    });
  });

  describe('hand back, close, cancel', () => {
    const releases = [
      { op: 'handBack' as const, to: 'bot' as const },
      { op: 'close' as const, to: 'closed' as const },
    ];
    it.each(releases)('$op by the holder: withAgent → $to, out of the agent’s chats', async ({ op, to }) => {
      await escalate('c1');
      await queue.claim('c1', 'a1');
      advance(MINUTE);
      const result = await queue[op]('c1', 'a1');
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.record.state).toBe(to);
      expect(result.record.agentId).toBeUndefined();
      expect(result.record.moves.at(-1)).toEqual({ at: clock.toISOString(), by: 'a1', from: 'withAgent', to });
      expect(await queue.chatsOf('a1')).toEqual([]);
      expect(await queue.stateOf('c1')).toBe(to);
    });

    it('cancel: waiting → bot, out of the queue, by whom', async () => {
      await escalate('c1');
      await escalate('c2');
      advance(MINUTE);
      const result = await queue.cancel('c1', 'customer:callback');
      expect(result).toMatchObject({ ok: true, record: { state: 'bot' } });
      if (!result.ok) return;
      expect(result.record.waitingSince).toBeUndefined();
      expect(result.record.moves.at(-1)).toEqual({ at: clock.toISOString(), by: 'customer:callback', from: 'waiting', to: 'bot' });
      expect((await queue.waiting()).map((r) => r.conversationId)).toEqual(['c2']);
      expect(await queue.position('c2')).toBe(1);
    });

    it('escalate → claim → handBack → escalate again → claim → close → escalate: every move kept', async () => {
      const t = (minutes: number): string => new Date(START.getTime() + minutes * MINUTE).toISOString();
      await queue.escalate({ conversationId: 'c1', channel: 'web', reason: 'asked', summary: summary(), by: 'customer' });
      advance(MINUTE);
      await queue.claim('c1', 'a1');
      advance(MINUTE);
      await queue.handBack('c1', 'a1');
      advance(MINUTE);
      const again = await escalate('c1', 'troubleshootFailed');
      expect(again).toMatchObject({
        already: false,
        position: 1,
        record: { state: 'waiting', reason: 'troubleshootFailed', waitingSince: t(3) },
      });
      expect(again.record.agentId).toBeUndefined();
      advance(MINUTE);
      expect(await queue.claim('c1', 'a2')).toMatchObject({ ok: true, record: { agentId: 'a2' } });
      advance(MINUTE);
      await queue.close('c1', 'a2');
      advance(MINUTE);
      const reopened = await escalate('c1', 'complaint');
      expect(reopened).toMatchObject({ already: false, position: 1, record: { state: 'waiting', priority: 2 } });
      expect(reopened.record.moves).toEqual([
        { at: t(0), by: 'customer', from: 'bot', to: 'waiting' },
        { at: t(1), by: 'a1', from: 'waiting', to: 'withAgent' },
        { at: t(2), by: 'a1', from: 'withAgent', to: 'bot' },
        { at: t(3), by: 'bot', from: 'bot', to: 'waiting' },
        { at: t(4), by: 'a2', from: 'waiting', to: 'withAgent' },
        { at: t(5), by: 'a2', from: 'withAgent', to: 'closed' },
        { at: t(6), by: 'bot', from: 'closed', to: 'waiting' },
      ]);
    });
  });

  describe('overdue and markAlerted', () => {
    it('lists chats waiting longer than the limit, not alerted within it, in queue order', async () => {
      await escalate('old');
      advance(3 * MINUTE);
      await escalate('urgent', 'safety');
      advance(3 * MINUTE);
      await escalate('fresh');
      await escalate('taken');
      await queue.claim('taken', 'a1');
      advance(3 * MINUTE);
      // Now: old waited 9 min, urgent 6, fresh 3 (taken is with an agent).
      expect((await queue.overdue(5 * MINUTE)).map((r) => r.conversationId)).toEqual(['urgent', 'old']);
      expect((await queue.overdue(3 * MINUTE)).map((r) => r.conversationId)).toEqual(['urgent', 'old']);
      expect((await queue.overdue(3 * MINUTE - 1)).map((r) => r.conversationId)).toEqual(['urgent', 'old', 'fresh']);

      await queue.markAlerted('old');
      expect((await queue.get('old'))?.alertedAt).toBe(clock.toISOString());
      expect((await queue.overdue(5 * MINUTE)).map((r) => r.conversationId)).toEqual(['urgent']);
      // By now fresh has waited long enough too; old is held back only until its alert is 5 min old.
      advance(5 * MINUTE - 1);
      expect((await queue.overdue(5 * MINUTE)).map((r) => r.conversationId)).toEqual(['urgent', 'fresh']);
      advance(1);
      expect((await queue.overdue(5 * MINUTE)).map((r) => r.conversationId)).toEqual(['urgent', 'old', 'fresh']);
    });

    it('does not mark a chat that is not waiting; a claim clears the mark', async () => {
      await queue.markAlerted('nobody');
      expect(await queue.get('nobody')).toBeUndefined();
      await escalate('c1');
      await queue.markAlerted('c1');
      const claimed = await queue.claim('c1', 'a1');
      expect(claimed.ok && claimed.record.alertedAt).toBeUndefined();
      await queue.markAlerted('c1');
      expect((await queue.get('c1'))?.alertedAt).toBeUndefined();
    });
  });

  describe('presence', () => {
    it('an agent is online until presenceTtlSeconds after the last heartbeat', async () => {
      queue = makeQueue({ presenceTtlSeconds: 90 });
      await queue.heartbeat('a1');
      advance(60_000);
      await queue.heartbeat('a2');
      expect((await queue.onlineAgents()).sort()).toEqual(['a1', 'a2']);
      advance(29_999);
      expect((await queue.onlineAgents()).sort()).toEqual(['a1', 'a2']);
      advance(1);
      expect(await queue.onlineAgents()).toEqual(['a2']);
      await queue.heartbeat('a1');
      expect((await queue.onlineAgents()).sort()).toEqual(['a1', 'a2']);
      advance(90_000);
      expect(await queue.onlineAgents()).toEqual([]);
    });

    it('goOffline takes an agent out at once, and the expected wait follows', async () => {
      await queue.heartbeat('a1');
      await queue.heartbeat('a2');
      expect(await queue.waitFor(3)).toEqual({ kind: 'minutes', ahead: 2, minutes: 6 });
      await queue.goOffline('a1');
      expect(await queue.onlineAgents()).toEqual(['a2']);
      expect(await queue.waitFor(3)).toEqual({ kind: 'minutes', ahead: 2, minutes: 15 });
      await queue.goOffline('a2');
      expect(await queue.waitFor(3)).toEqual({ kind: 'noAgents', ahead: 2 });
    });
  });

  describe('forget', () => {
    it.each(['waiting', 'withAgent'] as const)('deletes a %s chat everywhere', async (state) => {
      await escalate('c1');
      await escalate('c2');
      if (state === 'withAgent') await queue.claim('c1', 'a1');
      await queue.forget('c1');
      expect(await queue.get('c1')).toBeUndefined();
      expect(await queue.stateOf('c1')).toBe('bot');
      expect(await queue.position('c1')).toBeUndefined();
      expect(await redis.exists('cs:handoff:{q}:conv:c1', 'cs:handoff:{q}:moves:c1')).toBe(0);
      expect(await redis.sismember('cs:handoff:{q}:agent:a1', 'c1')).toBe(0);
      expect((await queue.waiting()).map((r) => r.conversationId)).toEqual(['c2']);
    });

    it('forgetting an unknown chat is harmless, and the chat can escalate afresh', async () => {
      await queue.forget('nobody');
      const result = await escalate('nobody');
      expect(result.record.moves).toHaveLength(1);
    });
  });

  describe('stored data', () => {
    it('keeps every key under one hash tag', async () => {
      await escalate('c1');
      await queue.claim('c1', 'a1');
      await escalate('c2', 'safety');
      await queue.heartbeat('a1');
      const keys = ['queue', 'presence', 'conv:c1', 'moves:c1', 'agent:a1', 'conv:c2'].map((k) => `cs:handoff:{q}:${k}`);
      expect(await redis.exists(...keys)).toBe(keys.length);
      // The score puts the priority band before the waiting time.
      const score = Number(await redis.zscore('cs:handoff:{q}:queue', 'c2'));
      expect(score).toBe(START.getTime());
    });

    it('an unknown conversation is "bot" with no record', async () => {
      expect(await queue.get('nobody')).toBeUndefined();
      expect(await queue.stateOf('nobody')).toBe('bot');
      expect(await queue.chatsOf('nobody')).toEqual([]);
    });

    it('refuses to read a record that fails validation', async () => {
      await escalate('c1');
      await redis.hset('cs:handoff:{q}:conv:c1', 'state', 'lost');
      await expect(queue.get('c1')).rejects.toBeInstanceOf(HandoffError);
      await redis.hset('cs:handoff:{q}:conv:c1', 'state', 'waiting', 'summary', '{not json');
      await expect(queue.get('c1')).rejects.toMatchObject({ code: 'corrupt' });
    });
  });

  describe('how long a record lives', () => {
    const ttlOf = async (id: string) => ({
      conv: await redis.ttl(`cs:handoff:{q}:conv:${id}`),
      moves: await redis.ttl(`cs:handoff:{q}:moves:${id}`),
    });

    test('waiting and with an agent it never expires; back with the bot it lives the idle time', async () => {
      queue = makeQueue({ idleSeconds: 3600 });
      await escalate('c1');
      expect(await ttlOf('c1')).toEqual({ conv: -1, moves: -1 });
      expect((await queue.claim('c1', 'a1')).ok).toBe(true);
      expect(await ttlOf('c1')).toEqual({ conv: -1, moves: -1 });
      expect((await queue.handBack('c1', 'a1')).ok).toBe(true);
      const backWithBot = await ttlOf('c1');
      expect(backWithBot.conv).toBeGreaterThan(3500);
      expect(backWithBot.moves).toBeGreaterThan(3500);
      // Asking again: the queue owns it once more, however little time it had left.
      await escalate('c1');
      expect(await ttlOf('c1')).toEqual({ conv: -1, moves: -1 });
      expect((await queue.cancel('c1')).ok).toBe(true);
      expect((await ttlOf('c1')).conv).toBeGreaterThan(3500);
      expect(() => makeQueue({ idleSeconds: -1 })).toThrow(RangeError);
    });
  });
});
