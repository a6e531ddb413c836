import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createApp } from '../../app/app';
import { loadConfig, type Config } from '../../app/config';
import { connectRedis } from '../../common/redis';
import { startOwnRedis, type OwnRedis } from '../../common/redisServer';
import { parseWorkingHours } from '../../desk/workingHours';
import { WechatApiStandIn } from '../standIns/wechatApiStandIn';
import { randomWechatAccount } from '../standIns/wechatUser';
import { storyClock, type StoryService } from './storyRunner';

export interface RunningStoryService extends StoryService {
  stop(): Promise<void>;
}

/** Deletes what the run wrote under its prefix in a Redis that is not ours. */
async function dropPrefix(url: string, prefix: string): Promise<void> {
  const redis = connectRedis(url, '');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * The whole service, as `npm start` builds it, on a port of its own: on REDIS_URL when it is set
 * (under a prefix of its own, deleted afterwards), else on a redis-server of its own in a temporary
 * folder (a Unix socket, nothing kept). Agents are on duty around the clock, so asking for a person
 * always queues whatever the hour of the run; rate limits are off (every story comes from
 * 127.0.0.1); the clock starts on the sample data's day.
 */
export interface StoryServiceOptions {
  /** WeChat on, against a local stand-in of WeChat's API (the one the tests use): for `--channel wechat`. */
  wechat?: boolean;
}

export async function startStoryService(
  env: NodeJS.ProcessEnv = process.env,
  options: StoryServiceOptions = {},
): Promise<RunningStoryService> {
  const base = loadConfig({ ...env, PORT: '0', LOG_LEVEL: 'silent' });
  let ownRedis: OwnRedis | undefined;
  let dataDir: string | undefined;
  let redisUrl = base.redisUrl;
  const redisKeyPrefix = `${base.redisKeyPrefix}stories-${randomUUID().slice(0, 8)}:`;
  if (!redisUrl) {
    dataDir = mkdtempSync(path.join(tmpdir(), 'cs-stories-'));
    ownRedis = await startOwnRedis({ dataDir, durable: false });
    redisUrl = ownRedis.url;
  }
  const account = randomWechatAccount();
  const wechatApi = options.wechat ? new WechatApiStandIn({ appId: account.appId, appSecret: 'story-secret' }) : undefined;
  const wechatBase = await wechatApi?.start();
  const config: Config = {
    ...base,
    ...(wechatBase
      ? {
          wechat: {
            token: account.token,
            appId: account.appId,
            appSecret: 'story-secret',
            encodingAesKey: account.encodingAesKey,
            apiBase: wechatBase,
          },
        }
      : {}),
    redisUrl,
    redisKeyPrefix,
    serviceHours: parseWorkingHours('00:00-24:00 1-7'),
    rateLimits: undefined,
  };
  const app = createApp(config, { logger: pino({ level: 'silent' }), now: storyClock() });
  try {
    const url = await app.start(0);
    return {
      app,
      url,
      ...(wechatApi ? { wechat: { account, api: wechatApi, redis: app.redis } } : {}),
      async stop() {
        await app.stop();
        await wechatApi?.stop();
        if (ownRedis) await ownRedis.stop();
        else await dropPrefix(redisUrl ?? '', redisKeyPrefix);
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await app.stop().catch(() => undefined);
    await wechatApi?.stop();
    await ownRedis?.stop();
    throw error;
  }
}
