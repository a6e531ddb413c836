/**
 * What each channel needs from the environment. app/config.ts reads and checks the variables into
 * these; they live here so that a channel never imports the composition root.
 */

export interface WechatSettings {
  token: string;
  appId: string;
  appSecret: string;
  /** Unset: only plaintext mode; encrypted pushes are refused. */
  encodingAesKey?: string;
  previousEncodingAesKey?: string;
  apiBase: string;
}

export interface TaobaoSettings {
  appKey: string;
  appSecret: string;
  /** Where later messages (agents, reminders) are pushed; unset: only replies within a turn. */
  relayUrl?: string;
  apiBase: string;
  /** The seller's TOP session; unset: no order lookups. */
  session?: string;
}

export interface BotFrameworkSettings {
  appId: string;
  appPassword: string;
  tenantId?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
}
