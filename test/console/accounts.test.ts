import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { AccountError, ConsoleAccounts, hashPassword, verifyPassword } from '../../console/accounts';
import { ConsoleSessions } from '../../console/sessions';
import { testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis';

const ROOT = path.resolve(__dirname, '..', '..');
const PASSWORD = 'correct horse 电池';

async function rejection(promise: Promise<unknown>): Promise<AccountError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AccountError) return error;
    throw error;
  }
  throw new Error('expected an AccountError, but the call succeeded');
}

let redis: Redis;
let accounts: ConsoleAccounts;

beforeEach(() => {
  redis = testRedis();
  accounts = new ConsoleAccounts(redis);
});

afterEach(async () => {
  await redis.quit();
});

describe('password hashing', () => {
  test('scrypt$N$r$p$salt$hash with N=2^15, r=8, p=1, a 16-byte salt and a 64-byte key', async () => {
    const hash = await hashPassword(PASSWORD);
    const parts = hash.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(parts[4], 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[5], 'base64')).toHaveLength(64);
    expect(hash).not.toContain(PASSWORD);
  });

  test('a fresh salt every time, and only the right password verifies', async () => {
    const [first, second] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
    expect(first).not.toBe(second);
    expect(await verifyPassword(PASSWORD, first)).toBe(true);
    expect(await verifyPassword(PASSWORD, second)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}!`, first)).toBe(false);
    expect(await verifyPassword(PASSWORD, 'plain text')).toBe(false);
    expect(await verifyPassword(PASSWORD, first.replace('$32768$', '$1073741824$'))).toBe(false);
  });

  test('Redis holds the hash, never the password', async () => {
    await accounts.create({ username: 'alice', role: 'agent', password: PASSWORD });
    const stored = (await redis.get('cs:console:{accounts}:user:alice')) ?? '';
    expect(stored).not.toContain(PASSWORD);
    expect(JSON.parse(stored).passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
  });
});

describe('ConsoleAccounts', () => {
  test('creates a user, who can then sign in with the right password only', async () => {
    const created = await accounts.create({ username: 'alice', displayName: '王小丽', role: 'agent', password: PASSWORD });
    expect(created).toEqual({ username: 'alice', displayName: '王小丽', role: 'agent' });
    expect(await accounts.verify('alice', PASSWORD)).toEqual(created);
    expect(await accounts.verify('alice', 'wrong password!')).toBeUndefined();
    expect(await accounts.verify('alice', '')).toBeUndefined();
    expect(await accounts.get('alice')).toEqual(created);
  });

  test('an unknown user is refused like a wrong password', async () => {
    expect(await accounts.verify('nobody', PASSWORD)).toBeUndefined();
    expect(await accounts.verify('not a valid name!', PASSWORD)).toBeUndefined();
    expect(await accounts.get('nobody')).toBeUndefined();
  });

  test('an unknown user costs the same scrypt work as a wrong password, so timing does not tell who exists', async () => {
    await accounts.create({ username: 'alice', role: 'agent', password: PASSWORD });
    await accounts.verify('warm-up', PASSWORD);
    const time = async (username: string): Promise<number> => {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const start = process.hrtime.bigint();
        await accounts.verify(username, 'wrong password!');
        runs.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      return runs.sort((a, b) => a - b)[1];
    };
    const known = await time('alice');
    const unknown = await time('nobody');
    // Without the dummy hash an unknown name answers in about a millisecond against tens for scrypt.
    expect(unknown).toBeGreaterThan(known * 0.3);
  });

  test('the display name defaults to the username; list is sorted', async () => {
    await accounts.create({ username: 'zhao', role: 'manager', password: PASSWORD });
    await accounts.create({ username: 'alice', role: 'agent', password: PASSWORD });
    expect(await accounts.list()).toEqual([
      { username: 'alice', displayName: 'alice', role: 'agent' },
      { username: 'zhao', displayName: 'zhao', role: 'manager' },
    ]);
  });

  test('a duplicate name is refused, also in other letter case, and the first account is untouched', async () => {
    await accounts.create({ username: 'alice', role: 'agent', password: PASSWORD });
    expect((await rejection(accounts.create({ username: 'alice', role: 'admin', password: 'another password' }))).code).toBe('exists');
    expect((await rejection(accounts.create({ username: 'Alice', role: 'admin', password: 'another password' }))).code).toBe('exists');
    expect(await accounts.verify('alice', PASSWORD)).toMatchObject({ role: 'agent' });
    expect(await accounts.verify('alice', 'another password')).toBeUndefined();
    expect(await accounts.list()).toHaveLength(1);
  });

  test('concurrent creations of one name: exactly one wins', async () => {
    const results = await Promise.allSettled(
      [1, 2, 3].map((n) => accounts.create({ username: 'bob', role: 'agent', password: `password number ${n}` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await accounts.list()).toHaveLength(1);
  });

  test.each([
    [{ username: 'a', role: 'agent', password: PASSWORD }, 'at least 2'],
    [{ username: 'x'.repeat(33), role: 'agent', password: PASSWORD }, 'at most 32'],
    [{ username: 'has space', role: 'agent', password: PASSWORD }, 'may hold only'],
    [{ username: '王小丽', role: 'agent', password: PASSWORD }, 'may hold only'],
    [{ username: 'alice', role: 'agent', password: 'nine char' }, 'at least 10'],
    [{ username: 'alice', role: 'root', password: PASSWORD }, 'role'],
  ])('invalid input %j is refused (%s) and stores nothing', async (input, reason) => {
    const error = await rejection(accounts.create(input as Parameters<ConsoleAccounts['create']>[0]));
    expect(error.code).toBe('invalid');
    expect(error.message).toContain(reason);
    expect(await accounts.list()).toEqual([]);
  });

  test('setPassword replaces the password; unknown users and short passwords are refused', async () => {
    await accounts.create({ username: 'alice', role: 'agent', password: PASSWORD });
    await accounts.setPassword('alice', 'a brand new password');
    expect(await accounts.verify('alice', PASSWORD)).toBeUndefined();
    expect(await accounts.verify('alice', 'a brand new password')).toMatchObject({ username: 'alice', role: 'agent' });
    expect((await rejection(accounts.setPassword('nobody', 'a brand new password'))).code).toBe('notFound');
    expect((await rejection(accounts.setPassword('alice', 'short'))).code).toBe('invalid');
    expect(await accounts.get('nobody')).toBeUndefined();
  });
});

describe('ensureFirstAdmin', () => {
  test('notConfigured without both settings, and then creates nothing', async () => {
    expect(await accounts.ensureFirstAdmin(undefined, undefined)).toBe('notConfigured');
    expect(await accounts.ensureFirstAdmin('root', undefined)).toBe('notConfigured');
    expect(await accounts.ensureFirstAdmin(undefined, PASSWORD)).toBe('notConfigured');
    expect(await accounts.list()).toEqual([]);
  });

  test('creates the admin once; a later start with another password never overwrites it', async () => {
    expect(await accounts.ensureFirstAdmin('root', PASSWORD)).toBe('created');
    expect(await accounts.verify('root', PASSWORD)).toEqual({ username: 'root', displayName: 'root', role: 'admin' });
    expect(await accounts.ensureFirstAdmin('root', 'a changed env password')).toBe('exists');
    expect(await accounts.verify('root', PASSWORD)).toMatchObject({ role: 'admin' });
    expect(await accounts.verify('root', 'a changed env password')).toBeUndefined();
  });

  test('exists when any admin exists, whatever name the settings give', async () => {
    await accounts.create({ username: 'boss', role: 'admin', password: PASSWORD });
    expect(await accounts.ensureFirstAdmin('root', PASSWORD)).toBe('exists');
    expect(await accounts.get('root')).toBeUndefined();
  });

  test('refuses a short password and a name an agent already has, without promoting the agent', async () => {
    expect((await rejection(accounts.ensureFirstAdmin('root', 'short'))).message).toContain('CONSOLE_ADMIN');
    await accounts.create({ username: 'alice', role: 'agent', password: PASSWORD });
    const error = await rejection(accounts.ensureFirstAdmin('alice', 'an admin password'));
    expect(error.code).toBe('exists');
    expect(await accounts.get('alice')).toMatchObject({ role: 'agent' });
    expect(await accounts.verify('alice', PASSWORD)).toBeDefined();
  });
});

describe('npm run console:user', () => {
  interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
  }

  function cli(prefix: string, args: string[], options: { password?: string; stdin?: string } = {}): Promise<Run> {
    return new Promise((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix };
      delete env.CONSOLE_USER_PASSWORD;
      if (options.password !== undefined) env.CONSOLE_USER_PASSWORD = options.password;
      const child = spawn(process.execPath, ['-r', './scripts/tsRegister.js', 'scripts/consoleUser.ts', ...args], {
        cwd: ROOT,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdin.end(options.stdin ?? '');
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  test('add takes the password from CONSOLE_USER_PASSWORD, list shows the user, a duplicate exits 1', async () => {
    const prefix = uniquePrefix();
    const added = await cli(prefix, ['add', 'xiaowang', '--role', 'agent', '--name', '小王'], { password: PASSWORD });
    expect(added).toMatchObject({ code: 0 });
    expect(added.stdout).toContain('xiaowang');
    const cliRedis = testRedis(prefix);
    try {
      expect(await new ConsoleAccounts(cliRedis).verify('xiaowang', PASSWORD)).toEqual({
        username: 'xiaowang',
        displayName: '小王',
        role: 'agent',
      });
    } finally {
      await cliRedis.quit();
    }
    const listed = await cli(prefix, ['list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/xiaowang\tagent\t客服\t小王/);
    const again = await cli(prefix, ['add', 'xiaowang', '--role', 'admin'], { password: PASSWORD });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists');
  }, 60_000);

  test('reads the password from stdin; passwd changes it and signs the user out everywhere', async () => {
    const prefix = uniquePrefix();
    expect((await cli(prefix, ['add', 'lead', '--role=manager'], { stdin: `${PASSWORD}\n` })).code).toBe(0);
    const cliRedis = testRedis(prefix);
    try {
      const cliAccounts = new ConsoleAccounts(cliRedis);
      const sessions = new ConsoleSessions(cliRedis);
      const user = await cliAccounts.verify('lead', PASSWORD);
      expect(user).toMatchObject({ role: 'manager' });
      const session = await sessions.create(user!);
      const changed = await cli(prefix, ['passwd', 'lead'], { stdin: 'the next password\n' });
      expect(changed.code).toBe(0);
      expect(await cliAccounts.verify('lead', 'the next password')).toBeDefined();
      expect(await cliAccounts.verify('lead', PASSWORD)).toBeUndefined();
      expect(await sessions.get(session.id)).toBeUndefined();
    } finally {
      await cliRedis.quit();
    }
  }, 60_000);

  test('refusals: weak password and unknown user exit 1, a bad command line exits 2', async () => {
    const prefix = uniquePrefix();
    const weak = await cli(prefix, ['add', 'alice', '--role', 'agent'], { password: 'short' });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('at least 10');
    expect((await cli(prefix, ['passwd', 'nobody'], { password: PASSWORD })).code).toBe(1);
    expect((await cli(prefix, ['add', 'alice', '--role', 'root'], { password: PASSWORD })).code).toBe(2);
    expect((await cli(prefix, ['add'], { password: PASSWORD })).code).toBe(2);
    expect((await cli(prefix, ['remove', 'alice'])).code).toBe(2);
    const cliRedis = testRedis(prefix);
    try {
      expect(await new ConsoleAccounts(cliRedis).list()).toEqual([]);
    } finally {
      await cliRedis.quit();
    }
  }, 60_000);
});
