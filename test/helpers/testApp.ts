import pino from 'pino';
import { createApp, type App, type AppOptions } from '../../app/app';
import { loadConfig, type Config } from '../../app/config';
import { parseWorkingHours } from '../../desk/workingHours';
import { testRedisUrl, uniquePrefix } from './redis';

export interface RunningApp {
  app: App;
  url: string;
  config: Config;
  stop(): Promise<void>;
}

/** A whole service on a free port, on the test Redis, under its own key prefix unless one is given. */
export async function startTestApp(overrides: Partial<Config> = {}, options: Omit<AppOptions, 'logger'> = {}): Promise<RunningApp> {
  const config: Config = {
    ...loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }),
    redisUrl: testRedisUrl(),
    redisKeyPrefix: uniquePrefix(),
    // Agents are "on duty" around the clock in tests, so no test depends on the hour it runs at.
    serviceHours: parseWorkingHours('00:00-24:00 1-7'),
    ...overrides,
  };
  const app = createApp(config, { ...options, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  const url = await app.start(0);
  return { app, url, config, stop: () => app.stop() };
}

/** "Now" for tests that use the registry's sample units (desk/data/serials.csv was made for this day). */
export const SAMPLE_DATA_NOW = (): Date => new Date('2026-11-22T10:00:00+08:00');
