import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isAlive } from '../../common/redisServer';
import { killHard, runServiceToExit, startServiceProcess, type ServiceProcess } from '../helpers/serviceProcess';
import { WebClient, textsOf } from '../helpers/webClient';

// Each case starts the real service in child processes: slow on a loaded 2-core machine.
jest.setTimeout(400_000);

describe('npm start without REDIS_URL', () => {
  let service: ServiceProcess | undefined;
  afterEach(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await new Promise((resolve) => service?.child.once('exit', resolve));
    }
  });

  test('starts its own redis-server with data under ./data and AOF on, survives kill -9, stops it on exit', async () => {
    const workDir = mkdtempSync(path.join(tmpdir(), 'cs-own-redis-'));
    const env = { REDIS_URL: '', REDIS_KEY_PREFIX: '' };
    service = await startServiceProcess(env, workDir);
    const client = new WebClient(service.url);
    await client.start();
    await client.say('你好', 'first');
    const pidFile = path.join(workDir, 'data', 'redis.pid');
    const redisPid = Number(readFileSync(pidFile, 'utf8'));
    expect(isAlive(redisPid)).toBe(true);
    expect(existsSync(path.join(workDir, 'data', 'appendonlydir'))).toBe(true);

    // kill -9 never reaches the child redis-server: the next start adopts it instead of clashing.
    await killHard(service);
    service = await startServiceProcess(env, workDir);
    expect(Number(readFileSync(pidFile, 'utf8'))).toBe(redisPid);
    const again = Object.assign(new WebClient(service.url), { conversationId: client.conversationId, token: client.token });
    expect(textsOf(await again.history())).toContain('你好');

    // A clean stop (Ctrl-C / SIGTERM) stops the redis-server it started.
    const exited = new Promise<number | null>((resolve) => service?.child.once('exit', resolve));
    service.child.kill('SIGTERM');
    await expect(exited).resolves.toBe(0);
    const deadline = Date.now() + 5000;
    while (isAlive(redisPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(redisPid)).toBe(false);
  });

  test('without redis-server on PATH it says how to get one and exits non-zero', async () => {
    const workDir = mkdtempSync(path.join(tmpdir(), 'cs-no-redis-'));
    // An empty PATH: the service itself is started by absolute path.
    const emptyDir = mkdtempSync(path.join(tmpdir(), 'cs-empty-path-'));
    const { code, output } = await runServiceToExit({ PATH: emptyDir, REDIS_URL: '' }, workDir);
    expect(code).not.toBe(0);
    expect(output).toContain('apt-get install -y redis-server');
    expect(output).toContain('brew install redis');
    expect(output).toContain('REDIS_URL');
  });

  test('a bad variable stops the start with its name and the reason', async () => {
    const { code, output } = await runServiceToExit({ PATH: process.env.PATH ?? '', PORT: 'http', LOG_LEVEL: 'chatty' });
    expect(code).toBe(2);
    expect(output).toContain('PORT');
    expect(output).toContain('LOG_LEVEL');
  });
});
