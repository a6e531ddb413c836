import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../common/redisServer';

const ROOT = path.resolve(__dirname, '..', '..');
const START_CEILING_MS = 180_000;

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** The real service entry point (app/index.ts) in its own process, as `npm start` runs it. */
export async function startServiceProcess(env: Record<string, string>, cwd = ROOT): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'scripts/tsRegister.js'), path.join(ROOT, 'app/index.ts')], {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  // A ceiling, not a wait: on a loaded 2-core machine transpiling the sources on require alone takes ~30 s.
  const deadline = Date.now() + START_CEILING_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, child, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`service did not become healthy within ${START_CEILING_MS / 1000} s:\n${output}`);
}

/** Runs the service until it exits by itself (for start-up refusals). */
export function runServiceToExit(env: Record<string, string>, cwd = ROOT): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', path.join(ROOT, 'scripts/tsRegister.js'), path.join(ROOT, 'app/index.ts')], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

export async function killHard(service: ServiceProcess): Promise<void> {
  const exited = new Promise((resolve) => service.child.once('exit', resolve));
  service.child.kill('SIGKILL');
  await exited;
}
