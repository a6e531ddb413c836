import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { connectRedis } from './redis';
import { sleep } from './timing';

/** A redis-server this process started (or adopted after a crash) and owns. */
export interface OwnRedis {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface OwnRedisOptions {
  dataDir: string;
  /** TCP port on 127.0.0.1; omitted: a Unix socket in dataDir only, so no port can clash. */
  port?: number;
  /** AOF with fsync on every write: acknowledged writes survive a crash of Redis itself. */
  durable: boolean;
}

export const NO_REDIS_SERVER_HELP =
  'No redis-server found on PATH, and REDIS_URL is not set. Install Redis ' +
  '(Debian/Ubuntu: `sudo apt-get install -y redis-server`; macOS: `brew install redis`) ' +
  'and run the command again, or point REDIS_URL at a running Redis (e.g. REDIS_URL=redis://127.0.0.1:6379).';

export function findRedisServer(envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'redis-server');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function urlFor(options: OwnRedisOptions, socketPath: string): string {
  return options.port === undefined ? `unix://${socketPath}` : `redis://127.0.0.1:${options.port}`;
}

async function answersPing(url: string, timeoutMs: number): Promise<boolean> {
  const client = connectRedis(url, '', { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(25);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function stopper(pid: number, child?: ChildProcess): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    // SIGTERM makes redis fsync the AOF and exit cleanly.
    stopping ??= (async () => {
      if (!isAlive(pid)) return;
      process.kill(pid, 'SIGTERM');
      if (child && child.exitCode === null) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      } else {
        await waitForExit(pid, 10_000);
      }
    })();
    return stopping;
  };
}

/**
 * Starts redis-server with its data under dataDir and waits until it answers. A server left running
 * by an earlier run that was killed (kill -9 does not reach our child) is adopted, not duplicated.
 */
export async function startOwnRedis(options: OwnRedisOptions): Promise<OwnRedis> {
  const binary = findRedisServer();
  if (!binary) throw new Error(NO_REDIS_SERVER_HELP);
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const socketPath = path.join(dataDir, 'redis.sock');
  const pidFile = path.join(dataDir, 'redis.pid');
  const url = urlFor(options, socketPath);

  const leftover = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : NaN;
  if (Number.isInteger(leftover) && isAlive(leftover) && (await answersPing(url, 500))) {
    return { url, pid: leftover, stop: stopper(leftover) };
  }

  const args = [
    '--port',
    String(options.port ?? 0),
    '--bind',
    '127.0.0.1',
    '--dir',
    dataDir,
    '--pidfile',
    pidFile,
    '--unixsocket',
    socketPath,
    '--unixsocketperm',
    '700',
    '--daemonize',
    'no',
    '--save',
    '',
    '--appendonly',
    options.durable ? 'yes' : 'no',
    '--appendfsync',
    options.durable ? 'always' : 'no',
    '--loglevel',
    'warning',
  ];
  // Output goes to a file, not a pipe, so nothing of redis keeps this process's event loop busy.
  const logFile = path.join(dataDir, 'redis.log');
  const log = openSync(logFile, 'a');
  const child = spawn(binary, args, { stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  const output = () => readFileSync(logFile, 'utf8').slice(-4000).trim();

  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`redis-server exited with code ${child.exitCode} before answering:\n${output()}`);
    }
    if (await answersPing(url, 500)) {
      return { url, pid: child.pid ?? 0, stop: stopper(child.pid ?? 0, child) };
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer within 15 s:\n${output()}`);
}
