import { WebStoryChannel, type StoryChannel } from './storyChannels';
import type { StoryChannelName } from './storyFile';
import { WechatStoryChannel, type WechatStoryEnvironment } from './wechatStoryChannel';

/**
 * The channel a story is told on. On a text channel (WeChat) the buttons are the numbered options
 * of the reply (`1. 报修`), pressed by sending the number.
 */
export function channelFor(name: StoryChannelName, baseUrl: string, wechat?: WechatStoryEnvironment): StoryChannel {
  switch (name) {
    case 'web':
      return new WebStoryChannel(baseUrl);
    case 'wechat':
      if (!wechat) throw new Error('a WeChat story needs the service started with WeChat on (--channel wechat)');
      return new WechatStoryChannel(baseUrl, wechat);
  }
}
