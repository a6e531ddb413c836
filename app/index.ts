import path from 'node:path';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { EnvFileError, loadEnvFileIfPresent, type EnvFileLoad } from '../common/envFile';
import { createLogger } from '../common/logger';
import { maskPersonalText } from '../desk/privacy';
import { NO_REDIS_SERVER_HELP, findRedisServer, startOwnRedis, type OwnRedis } from '../common/redisServer';

/** Reads the environment, brings up Redis when none is configured, and runs the service. */
async function main(): Promise<void> {
  let config;
  let envFile: EnvFileLoad | undefined;
  try {
    envFile = loadEnvFileIfPresent();
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof EnvFileError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable and its meaning.\n`);
      process.exit(2);
    }
    throw error;
  }
  process.env.TZ = config.timeZone;
  const logger = createLogger(config.logLevel, maskPersonalText);
  if (envFile) {
    logger.info({ file: envFile.file, variables: envFile.applied.length, environmentWins: envFile.overridden }, 'loaded .env');
  }

  let ownRedis: OwnRedis | undefined;
  if (!config.redisUrl) {
    if (!findRedisServer()) {
      process.stderr.write(`${NO_REDIS_SERVER_HELP}\n`);
      process.exit(1);
    }
    ownRedis = await startOwnRedis({ dataDir: path.resolve('data'), durable: true });
    logger.info({ url: ownRedis.url, pid: ownRedis.pid }, 'started own redis-server (data under ./data, AOF on)');
    config = { ...config, redisUrl: ownRedis.url };
  }

  const app = createApp(config, { logger });
  await app.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.stop();
    await ownRedis?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`The service could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
