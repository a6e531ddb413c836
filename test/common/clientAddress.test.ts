import { TrustedProxies } from '../../common/clientAddress';

describe('TrustedProxies.clientOf', () => {
  const cases: [string, string[], string | undefined, string | undefined, string][] = [
    ['no trusted proxy: the socket peer, whatever the header says', [], '203.0.113.9', '1.2.3.4', '203.0.113.9'],
    ['dual-stack notation counts as the IPv4 address', [], '::ffff:203.0.113.9', undefined, '203.0.113.9'],
    ['a trusted proxy: the address it forwarded for', ['127.0.0.1'], '127.0.0.1', '198.51.100.7', '198.51.100.7'],
    ['a client cannot prepend its own choice', ['127.0.0.1'], '127.0.0.1', '1.2.3.4, 198.51.100.7', '198.51.100.7'],
    ['a chain of trusted proxies is walked', ['10.0.0.0/8', '127.0.0.1'], '127.0.0.1', '198.51.100.7, 10.1.2.3', '198.51.100.7'],
    ['an untrusted peer with a header: the peer', ['10.0.0.0/8'], '203.0.113.9', '198.51.100.7', '203.0.113.9'],
    ['a trusted proxy with no header: the proxy', ['127.0.0.1'], '127.0.0.1', undefined, '127.0.0.1'],
    ['garbage in the header stops the walk at the last good hop', ['127.0.0.1'], '127.0.0.1', 'not-an-ip', '127.0.0.1'],
    ['IPv6 ranges', ['::1', 'fd00::/8'], '::1', '2001:db8::5, fd00::1', '2001:db8::5'],
  ];
  test.each(cases)('%s', (_name, proxies, socketAddress, forwardedFor, expected) => {
    expect(new TrustedProxies(proxies).clientOf({ socketAddress, forwardedFor })).toBe(expected);
  });

  test('bad entries are named', () => {
    expect(TrustedProxies.problemWith(['127.0.0.1', '10.0.0.0/8'])).toBeUndefined();
    expect(TrustedProxies.problemWith(['proxy.local'])).toMatch(/proxy\.local/);
    expect(TrustedProxies.problemWith(['10.0.0.0/40'])).toMatch(/prefix/);
  });
});
