import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { describeZodError } from '../common/zodIssues';

export type ConsoleRole = 'agent' | 'manager' | 'admin';
export const CONSOLE_ROLES: readonly ConsoleRole[] = ['agent', 'manager', 'admin'];

export interface ConsoleUser {
  username: string;
  displayName: string;
  role: ConsoleRole;
}

/** The one command that makes the console's first account, named in the start log while there is none. */
export const FIRST_ADMIN_COMMAND = 'npm run console:user -- add <name> --role admin';

export class AccountError extends Error {
  constructor(
    readonly code: 'invalid' | 'exists' | 'notFound',
    message: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}

export const usernameSchema = z
  .string()
  .min(2, 'username must have at least 2 characters')
  .max(32, 'username must have at most 32 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, 'username may hold only letters, digits, "_", "." and "-"');

export const MIN_PASSWORD_LENGTH = 10;
// Above this scrypt's cost is dominated by hashing the input itself; a cap keeps a login body from
// buying CPU time.
export const MAX_PASSWORD_LENGTH = 1024;
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `password must have at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `password must have at most ${MAX_PASSWORD_LENGTH} characters`);

const roleSchema = z.enum(['agent', 'manager', 'admin']);

const createInput = z.object({
  username: usernameSchema,
  displayName: z.string().trim().min(1).max(64).optional(),
  role: roleSchema,
  password: passwordSchema,
});

/** What Redis holds for one account; the hash never leaves this module. */
const storedAccount = z.object({
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  passwordHash: z.string(),
  createdAt: z.string(),
  passwordChangedAt: z.string().optional(),
});
type StoredAccount = z.infer<typeof storedAccount>;

// One hash tag for every account key, so creating an account and indexing it is one script on Redis
// Cluster too; the console has tens of accounts, not millions, so one slot is no hot spot.
const INDEX_KEY = 'cs:console:{accounts}:all';
const accountKey = (username: string): string => `cs:console:{accounts}:user:${username.toLowerCase()}`;

// Writes the account only if the name is free and indexes it in the same step, so two admins adding
// the same name at once cannot both succeed and the index never misses an account.
const CREATE_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  redis.call('SADD', KEYS[2], ARGV[2])
  return 1
end
return 0`;

// Changes the hash inside Redis, so an account deleted while we hashed is not brought back and a
// concurrent edit of other fields is not overwritten with what we read before hashing.
const SET_PASSWORD_SCRIPT = `
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
local account = cjson.decode(value)
account.passwordHash = ARGV[1]
account.passwordChangedAt = ARGV[2]
redis.call('SET', KEYS[1], cjson.encode(account))
return 1`;

// OWASP's recommended scrypt cost; the parameters are stored with each hash, so raising them later
// leaves existing hashes verifiable.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 64, saltLength: 16 };
// scrypt needs 128·N·r bytes (32 MiB here), which is exactly Node's default ceiling; double it so the
// ceiling is never the reason a hash fails.
const MAX_MEM = 2 * 128 * SCRYPT.N * SCRYPT.r;
// A stored hash is trusted data, but a corrupted or hand-edited one must not be able to make one login
// allocate gigabytes.
const MAX_N = 2 ** 20;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$saltB64$hashB64`: self-describing, so verification never depends on today's constants. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltLength);
  const { N, r, p } = SCRYPT;
  const key = await scryptAsync(password, salt, SCRYPT.keyLength, { N, r, p, maxmem: MAX_MEM });
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every(Number.isSafeInteger) || N < 2 || N > MAX_N || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) {
    return false;
  }
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (salt.length === 0 || expected.length < 16) return false;
  const actual = await scryptAsync(password, salt, expected.length, { N, r, p, maxmem: Math.max(MAX_MEM, 2 * 128 * N * r) });
  return timingSafeEqual(actual, expected);
}

function publicUser(account: StoredAccount): ConsoleUser {
  return { username: account.username, displayName: account.displayName, role: account.role };
}

/** The people who may sign in to the agent console, with their roles and scrypt-hashed passwords. */
export class ConsoleAccounts {
  // Hashed once, lazily: verifying against it makes a login for an unknown name cost what a real one does.
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly redis: Redis) {}

  async create(input: { username: string; displayName?: string; role: ConsoleRole; password: string }): Promise<ConsoleUser> {
    const parsed = createInput.safeParse(input);
    if (!parsed.success) throw new AccountError('invalid', describeZodError(parsed.error, { root: '' }));
    const { username, role, password } = parsed.data;
    const now = new Date().toISOString();
    const account: StoredAccount = {
      username,
      displayName: parsed.data.displayName ?? username,
      role,
      passwordHash: await hashPassword(password),
      createdAt: now,
    };
    const created = await this.redis.eval(
      CREATE_SCRIPT,
      2,
      accountKey(username),
      INDEX_KEY,
      JSON.stringify(account),
      username.toLowerCase(),
    );
    if (created !== 1) throw new AccountError('exists', `a console user named ${username} already exists`);
    return publicUser(account);
  }

  /** The user when the password is right; undefined for a wrong password and an unknown name alike. */
  async verify(username: string, password: string): Promise<ConsoleUser | undefined> {
    const account = usernameSchema.safeParse(username).success ? await this.load(username) : undefined;
    if (!account) {
      // Same scrypt work as a real check, so the response time does not tell who has an account.
      await verifyPassword(password, await this.dummy());
      return undefined;
    }
    return (await verifyPassword(password, account.passwordHash)) ? publicUser(account) : undefined;
  }

  async get(username: string): Promise<ConsoleUser | undefined> {
    if (!usernameSchema.safeParse(username).success) return undefined;
    const account = await this.load(username);
    return account && publicUser(account);
  }

  async list(): Promise<ConsoleUser[]> {
    const names = (await this.redis.smembers(INDEX_KEY)).sort();
    if (names.length === 0) return [];
    const values = await this.redis.mget(names.map(accountKey));
    return values.flatMap((value) => {
      const account = value === null ? undefined : parseStored(value);
      return account ? [publicUser(account)] : [];
    });
  }

  /** Changes the password only; the caller ends the user's sessions (ConsoleSessions.destroyAllOf). */
  async setPassword(username: string, password: string): Promise<void> {
    if (!usernameSchema.safeParse(username).success) throw new AccountError('notFound', `no console user named ${username}`);
    const parsed = passwordSchema.safeParse(password);
    if (!parsed.success) throw new AccountError('invalid', describeZodError(parsed.error, { root: '' }));
    const passwordHash = await hashPassword(parsed.data);
    const changed = await this.redis.eval(SET_PASSWORD_SCRIPT, 1, accountKey(username), passwordHash, new Date().toISOString());
    if (changed !== 1) throw new AccountError('notFound', `no console user named ${username}`);
  }

  /**
   * On start: creates the admin from CONSOLE_ADMIN_USER / CONSOLE_ADMIN_PASSWORD when no admin exists
   * yet; never overwrites. Throws an AccountError when the settings cannot be used (a password that is
   * too short, or a name that an agent or manager already has), so a misconfiguration stops the start
   * instead of leaving a console nobody can administer.
   */
  async ensureFirstAdmin(username: string | undefined, password: string | undefined): Promise<'created' | 'exists' | 'notConfigured'> {
    if (await this.hasAdmin()) return 'exists';
    if (!username || !password) return 'notConfigured';
    try {
      await this.create({ username, password, role: 'admin' });
      return 'created';
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      // Another instance starting at the same moment may have created the same admin first.
      if (error.code === 'exists' && (await this.get(username))?.role === 'admin') return 'exists';
      const why =
        error.code === 'exists' ? `${username} is already a console user without the admin role; choose another name` : error.message;
      throw new AccountError(error.code, `CONSOLE_ADMIN_USER / CONSOLE_ADMIN_PASSWORD: ${why}`);
    }
  }

  private async hasAdmin(): Promise<boolean> {
    return (await this.list()).some((user) => user.role === 'admin');
  }

  private async load(username: string): Promise<StoredAccount | undefined> {
    const value = await this.redis.get(accountKey(username));
    return value === null ? undefined : parseStored(value);
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(16).toString('base64'));
    return this.dummyHash;
  }
}

function parseStored(value: string): StoredAccount | undefined {
  try {
    const parsed = storedAccount.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
