import type { Redis } from 'ioredis';
import { ConversationLock, LockTimeoutError } from '../../common/conversationLock';
import { sleep } from '../../common/timing';
import { testRedis, uniquePrefix } from '../helpers/redis';
import { until } from '../helpers/until';

describe('ConversationLock', () => {
  let clients: Redis[];
  // Two clients on one prefix stand for two processes of the service.
  let processA: ConversationLock;
  let processB: ConversationLock;

  beforeEach(() => {
    const prefix = uniquePrefix();
    clients = [testRedis(prefix), testRedis(prefix)];
    processA = new ConversationLock(clients[0], { leaseMs: 300 });
    processB = new ConversationLock(clients[1], { leaseMs: 300 });
  });
  afterEach(async () => {
    await Promise.all(clients.map((c) => c.quit()));
  });

  test('turns of one conversation never overlap, across processes, and none is dropped', async () => {
    const events: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const turn = (name: string) => async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      events.push(`start ${name}`);
      await sleep(30);
      events.push(`end ${name}`);
      running -= 1;
      return name;
    };
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? processA : processB).withLock('conv-1', turn(`t${i}`))));
    expect(results).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7']);
    expect(maxRunning).toBe(1);
    expect(events).toHaveLength(16);
  });

  test('different conversations run side by side', async () => {
    let running = 0;
    let maxRunning = 0;
    const turn = async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await sleep(50);
      running -= 1;
    };
    await Promise.all([processA.withLock('a', turn), processB.withLock('b', turn)]);
    expect(maxRunning).toBe(2);
  });

  test('a turn longer than the lease keeps the lock (the lease is renewed)', async () => {
    let secondStartedEarly = false;
    let firstDone = false;
    let holding: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const leaseStarted = Date.now();
    const first = processA.withLock('long', async () => {
      holding();
      // Held until the lease has been renewed past three of its lengths, seen on the key itself.
      await until(
        async () => Date.now() - leaseStarted > 900 && (await clients[0].pttl('cs:conv:{long}:lock')) > 0,
        'the lock renewed past three leases',
        5000,
      );
      firstDone = true;
    });
    await held;
    const second = processB.withLock('long', async () => {
      secondStartedEarly = !firstDone;
    });
    await Promise.all([first, second]);
    expect(secondStartedEarly).toBe(false);
  });

  test('a lock whose holder died is free again after one lease', async () => {
    await clients[0].set('cs:conv:{dead}:lock', 'someone-who-crashed', 'PX', 200);
    const started = Date.now();
    await processB.withLock('dead', async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  test('a waiter gives up with a clear error when the conversation stays busy', async () => {
    const impatient = new ConversationLock(clients[1], { leaseMs: 300, maxWaitMs: 100 });
    let holding: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const holder = processA.withLock('busy', async () => {
      holding();
      await sleep(400);
    });
    // The waiter starts only once the holder is inside its turn, however slow the machine is.
    await held;
    await expect(impatient.withLock('busy', async () => 'never')).rejects.toBeInstanceOf(LockTimeoutError);
    await holder;
  });

  test('an error in the turn releases the lock', async () => {
    await expect(processA.withLock('err', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(processB.withLock('err', async () => 'next')).resolves.toBe('next');
  });
});
