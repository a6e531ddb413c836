import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startOwnRedis, type OwnRedis } from '../../common/redisServer';

declare global {
  // Handed from setup to teardown, which jest runs in the same process.
  var testRedisServer: OwnRedis | undefined;
}

/** One real redis-server for the whole run, on a free port; suites keep apart by key prefix. */
export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cs-test-redis-'));
  const server = await startOwnRedis({ dataDir, port: await freePort(), durable: false });
  globalThis.testRedisServer = server;
  process.env.TEST_REDIS_URL = server.url;
}
