/**
 * `npm run console:user -- add <username> --role agent|manager|admin [--name 显示名]`,
 * `npm run console:user -- list`, `npm run console:user -- passwd <username>`.
 * Manages the agent console's accounts in the service's Redis. A password comes from
 * CONSOLE_USER_PASSWORD or, when that is unset, from one line on stdin (not echoed on a terminal), so it
 * never appears in the shell history or the process list.
 * Exit codes: 0 done, 1 refused or failed (duplicate, unknown user, weak password, Redis unreachable),
 * 2 wrong command line.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { envSchema } from '../app/config';
import { EnvFileError, loadEnvFileIfPresent } from '../common/envFile';
import { connectRedis } from '../common/redis';
import { AccountError, CONSOLE_ROLES, ConsoleAccounts, type ConsoleRole } from '../console/accounts';
import { ConsoleSessions } from '../console/sessions';

const USAGE = `用法 / usage:
  npm run console:user -- add <username> --role agent|manager|admin [--name 显示名]
  npm run console:user -- list
  npm run console:user -- passwd <username>
密码取自环境变量 CONSOLE_USER_PASSWORD，未设置时从标准输入读一行。
The password comes from CONSOLE_USER_PASSWORD or, when unset, one line on stdin.
`;

const ROLE_NAMES: Record<ConsoleRole, string> = { agent: '客服', manager: '主管', admin: '管理员' };

class UsageError extends Error {}
class Cancelled extends Error {}

type Command =
  { name: 'add'; username: string; role: ConsoleRole; displayName?: string } | { name: 'list' } | { name: 'passwd'; username: string };

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

function fail(text: string): void {
  process.stderr.write(`${text}\n`);
}

function parseArgs(args: string[]): Command {
  const [name, ...rest] = args;
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const inline = /^--(role|name)=(.*)$/.exec(arg);
    if (inline) options.set(inline[1], inline[2]);
    else if (arg === '--role' || arg === '--name') {
      const value = rest[++i];
      if (value === undefined) throw new UsageError(`${arg} 缺少取值 / needs a value`);
      options.set(arg.slice(2), value);
    } else if (arg.startsWith('--')) throw new UsageError(`未知选项 / unknown option ${arg}`);
    else positional.push(arg);
  }
  const expect = (count: number, allowed: string[]): void => {
    if (positional.length !== count) throw new UsageError(`${name}: 参数个数不对 / wrong number of arguments`);
    for (const key of options.keys()) {
      if (!allowed.includes(key)) throw new UsageError(`${name}: 不接受 / does not take --${key}`);
    }
  };
  switch (name) {
    case 'add': {
      expect(1, ['role', 'name']);
      const role = options.get('role');
      if (!role || !(CONSOLE_ROLES as readonly string[]).includes(role)) {
        throw new UsageError('add: --role 必须是 / must be agent, manager or admin');
      }
      return { name, username: positional[0], role: role as ConsoleRole, displayName: options.get('name') };
    }
    case 'list':
      expect(0, []);
      return { name };
    case 'passwd':
      expect(1, []);
      return { name, username: positional[0] };
    default:
      throw new UsageError(name ? `未知命令 / unknown command ${name}` : '缺少命令 / no command given');
  }
}

/** One line from stdin; on a terminal read without echo, so nobody looking over a shoulder sees it. */
async function readPassword(): Promise<string> {
  const fromEnv = process.env.CONSOLE_USER_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const stdin = process.stdin;
  if (stdin.isTTY) {
    process.stderr.write('密码 / password: ');
    stdin.setRawMode(true);
  }
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let line = '';
    const finish = (error?: Error): void => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      if (stdin.isTTY) {
        stdin.setRawMode(false);
        process.stderr.write('\n');
      }
      stdin.pause();
      if (error) reject(error);
      else resolve(line);
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\n' || char === '\r') return finish();
        if (char === '\u0003') return finish(new Cancelled('已取消 / cancelled'));
        if (char === '\u007f' || char === '\b') line = line.slice(0, -1);
        else line += char;
      }
    };
    const onEnd = (): void => finish();
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
  });
}

function redisSettings(): { url: string; prefix: string } {
  // The same rules the service applies (app/config.ts), without the rest of its settings.
  const schema = z.object({ REDIS_URL: envSchema.shape.REDIS_URL, REDIS_KEY_PREFIX: envSchema.shape.REDIS_KEY_PREFIX });
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new AccountError('invalid', `环境变量有误 / bad environment: ${problems}`);
  }
  const prefix = parsed.data.REDIS_KEY_PREFIX;
  if (parsed.data.REDIS_URL) return { url: parsed.data.REDIS_URL, prefix };
  // The socket of the redis-server `npm start` runs when REDIS_URL is unset (app/index.ts, common/redisServer.ts).
  const socket = path.resolve('data', 'redis.sock');
  if (!existsSync(socket)) {
    throw new AccountError(
      'notFound',
      `找不到服务自带的 Redis（${socket}）：请先 npm start，或设置 REDIS_URL。\n` +
        `The service's own Redis is not running (${socket}): start the service with npm start first, or set REDIS_URL.`,
    );
  }
  return { url: `unix://${socket}`, prefix };
}

async function run(command: Command, redis: Redis): Promise<void> {
  const accounts = new ConsoleAccounts(redis);
  switch (command.name) {
    case 'add': {
      const password = await readPassword();
      const user = await accounts.create({ username: command.username, displayName: command.displayName, role: command.role, password });
      out(`已添加 / added: ${user.username} (${user.displayName}), ${ROLE_NAMES[user.role]} / ${user.role}`);
      return;
    }
    case 'list': {
      const users = await accounts.list();
      if (users.length === 0) {
        out('还没有控制台用户 / no console users yet');
        return;
      }
      for (const user of users) out(`${user.username}\t${user.role}\t${ROLE_NAMES[user.role]}\t${user.displayName}`);
      out(`共 ${users.length} 个 / ${users.length} user(s)`);
      return;
    }
    case 'passwd': {
      if (!(await accounts.get(command.username)))
        throw new AccountError('notFound', `没有这个用户 / no console user named ${command.username}`);
      const password = await readPassword();
      await accounts.setPassword(command.username, password);
      // Whoever knew the old password must not stay signed in with it.
      await new ConsoleSessions(redis).destroyAllOf(command.username);
      out(`已修改密码，旧会话已退出 / password changed for ${command.username}; their sessions were signed out`);
      return;
    }
  }
}

async function main(): Promise<number> {
  let command: Command;
  try {
    command = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    fail(`${error.message}\n\n${USAGE}`);
    return 2;
  }

  let redis: Redis | undefined;
  try {
    // The same .env as the service, so that the command finds the service's Redis.
    try {
      loadEnvFileIfPresent();
    } catch (error) {
      if (!(error instanceof EnvFileError)) throw error;
      fail(error.message);
      return 2;
    }
    const { url, prefix } = redisSettings();
    // Fail at once rather than retry forever: a person is waiting at the terminal.
    redis = connectRedis(url, prefix, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000, retryStrategy: () => null });
    // ioredis reports the cause (ECONNREFUSED, ENOENT…) as an event and rejects connect() with a vaguer one.
    let cause: Error | undefined;
    redis.on('error', (error: Error) => (cause ??= error));
    try {
      await redis.connect();
    } catch (error) {
      fail(`连不上 Redis / cannot reach Redis at ${url}: ${(cause ?? (error as Error)).message}`);
      return 1;
    }
    await run(command, redis);
    return 0;
  } catch (error) {
    if (error instanceof Cancelled) {
      fail(error.message);
      return 1;
    }
    if (!(error instanceof AccountError)) throw error;
    fail(
      error.code === 'invalid'
        ? `无效 / invalid: ${error.message}`
        : error.code === 'exists'
          ? `已存在 / exists: ${error.message}`
          : error.message,
    );
    return 1;
  } finally {
    redis?.disconnect();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    fail(`失败 / failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
