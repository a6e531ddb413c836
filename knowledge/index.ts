export * from './language';
export * from './commands';
export * from './intents';
