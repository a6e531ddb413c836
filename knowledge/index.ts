export * from './language';
export * from './commands';
export * from './intents';
export * from './purchaseDate';
export * from './contacts';
