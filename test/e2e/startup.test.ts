import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testRedisUrl, uniquePrefix } from '../helpers/redis';
import { runServiceToExit, startServiceProcess, type ServiceProcess } from '../helpers/serviceProcess';
import { until } from '../helpers/until';

// Each case starts the real service in a child process: slow on a loaded 2-core machine.
jest.setTimeout(400_000);

const NO_ACCOUNT = 'no console account exists';
const COMMAND = 'npm run console:user -- add <name> --role admin';

describe('starting the service', () => {
  let service: ServiceProcess | undefined;
  afterEach(async () => {
    if (service && service.child.exitCode === null) {
      const exited = new Promise((resolve) => service?.child.once('exit', resolve));
      service.child.kill('SIGTERM');
      await exited;
    }
    service = undefined;
  });

  test('reads .env from where it is started, and the real environment wins over the file', async () => {
    const workDir = mkdtempSync(path.join(tmpdir(), 'cs-dotenv-'));
    // PORT from the file would clash; the harness sets PORT in the environment, which must win.
    writeFileSync(
      path.join(workDir, '.env'),
      `# the service's settings\nPORT=1\nREDIS_URL=${testRedisUrl()}\nREDIS_KEY_PREFIX=${uniquePrefix()}\n` +
        'CONSOLE_ADMIN_USER=envfileadmin\nCONSOLE_ADMIN_PASSWORD="from the .env # file"\n',
    );
    service = await startServiceProcess({ REDIS_URL: '', REDIS_KEY_PREFIX: '' }, workDir);
    const login = await fetch(`${service.url}/api/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: service.url },
      body: JSON.stringify({ username: 'envfileadmin', password: 'from the .env # file' }),
    });
    expect(login.status).toBe(200);
    expect(service.output()).toContain('loaded .env');
    expect(service.output()).toContain('"environmentWins":["PORT"');
  });

  test('a bad .env line stops the start with the file and the line', async () => {
    const workDir = mkdtempSync(path.join(tmpdir(), 'cs-dotenv-bad-'));
    writeFileSync(path.join(workDir, '.env'), 'PORT=3978\nREDIS_URL redis://127.0.0.1:6379\n');
    const { code, output } = await runServiceToExit({ PATH: process.env.PATH ?? '' }, workDir);
    expect(code).toBe(2);
    expect(output).toContain(`${path.join(workDir, '.env')}:2: "REDIS_URL redis://127.0.0.1:6379" is not NAME=value`);
  });

  test('on a first run without a console account the log says so and names the command that makes one', async () => {
    const env = { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: uniquePrefix(), CONSOLE_ADMIN_USER: '', CONSOLE_ADMIN_PASSWORD: '' };
    service = await startServiceProcess(env, mkdtempSync(path.join(tmpdir(), 'cs-first-run-')));
    const line = await until(
      () =>
        service
          ?.output()
          .split('\n')
          .find((text) => text.includes(NO_ACCOUNT)),
      'the no-account line',
    );
    expect(line).toContain(COMMAND);
    expect(JSON.parse(line)).toMatchObject({ level: 40, command: COMMAND });
  });

  test('with an account, the start does not warn about a missing one', async () => {
    const env = {
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: uniquePrefix(),
      CONSOLE_ADMIN_USER: 'firstadmin',
      CONSOLE_ADMIN_PASSWORD: 'a long enough password',
    };
    service = await startServiceProcess(env, mkdtempSync(path.join(tmpdir(), 'cs-has-admin-')));
    await until(() => service?.output().includes('service listening'), 'the listening line');
    expect(service.output()).toContain('console admin created');
    expect(service.output()).not.toContain(NO_ACCOUNT);
  });
});
