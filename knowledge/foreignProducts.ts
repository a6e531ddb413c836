/** Words that make a question about another device a question about our router. */
export const ABOUT_THE_NETWORK = /wi-?fi|wlan|无线|网络|路由|连网|联网|上网|信号|网速|断网|掉线|连不上|配网|热点/;

/**
 * Whether a question is about a product we neither make nor service (`notOurs` in synonyms.yaml,
 * lower-cased). Not when it is about that device's connection: our routers serve every device in
 * the home (扫地机器人连不上wifi is a router question).
 */
export function namesForeignProduct(notOurs: readonly string[], text: string): boolean {
  const folded = text.normalize('NFKC').toLowerCase();
  return notOurs.some((word) => folded.includes(word)) && !ABOUT_THE_NETWORK.test(folded);
}
