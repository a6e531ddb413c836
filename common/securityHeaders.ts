/**
 * The headers every response of ours carries: the browser takes the declared type as it is (no
 * guessing a script out of a JSON reply) and tells other sites nothing of our URLs (tokens are in
 * some). `same-origin` rather than `no-referrer`: with `no-referrer` a browser sends `Origin: null`
 * on our own POSTs, and the console checks that Origin.
 */
export const RESPONSE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};

/**
 * The headers of a page or one of its static files: the above, the page's Content-Security-Policy
 * (only our own files: no inline code, no CDN) and no framing, so no other site can overlay it.
 */
export function pageHeaders(contentType: string, contentSecurityPolicy: string): Record<string, string> {
  return {
    ...RESPONSE_SECURITY_HEADERS,
    'Content-Type': contentType,
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Frame-Options': 'DENY',
  };
}

/** The directives both our pages share; each adds where it may connect to. */
export function strictCsp(connectSrc: string): string {
  return [
    "default-src 'self'",
    `connect-src ${connectSrc}`,
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
