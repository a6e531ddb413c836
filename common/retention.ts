/**
 * How long what a conversation leaves in Redis lives when a store is built without settings (tests,
 * scripts). The service passes its own (config.retention, app/config.ts) through createApp.
 */
export const DAY_SECONDS = 24 * 3600;
export const DEFAULT_CONVERSATION_IDLE_SECONDS = 30 * DAY_SECONDS;
export const DEFAULT_TRANSCRIPT_KEEP_SECONDS = 365 * DAY_SECONDS;
export const DEFAULT_TRANSCRIPT_MAX_ENTRIES = 2000;

/** A lifetime in whole seconds, refused at construction rather than becoming a key that never expires. */
export function lifetimeSeconds(name: string, value: number): number {
  return positiveWhole(name, value, ' of seconds');
}

export function positiveWhole(name: string, value: number, unit = ''): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive whole number${unit}, got ${value}`);
  return value;
}
