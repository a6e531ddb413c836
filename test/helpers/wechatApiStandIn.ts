// The stand-in lives with the story runner, which tells stories over WeChat too (npm run eval -- conversations DIR --channel wechat).
export * from '../../scripts/standIns/wechatApiStandIn';
