export * from './language';
export * from './commands';
export * from './intents';
export * from './purchaseDate';
export * from './contacts';
export * from './people';
export * from './facts';
export * from './productScope';
