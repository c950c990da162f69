/**
 * Plain-language text for socket errors, so a failed validation tells the
 * ACME user what happened ("connection refused") rather than an errno.
 */

const MESSAGES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed by peer',
  ERR_STREAM_PREMATURE_CLOSE: 'connection closed before the response was complete',
};

export function errorCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') return e.code;
  return undefined;
}

export function describeNetworkError(e: unknown): string {
  const code = errorCode(e);
  if (code !== undefined) {
    const known = MESSAGES[code];
    if (known !== undefined) return known;
    // llhttp parse errors (HPE_INVALID_CONSTANT, HPE_HEADER_OVERFLOW, …).
    if (code.startsWith('HPE_')) return `malformed HTTP response (${code})`;
  }
  const message = e instanceof Error ? e.message : String(e);
  return code !== undefined && !message.includes(code) ? `${message} (${code})` : message;
}

/** OpenSSL-originated failures: handshake, alerts, protocol version. */
export function isTlsError(e: unknown): boolean {
  const code = errorCode(e) ?? '';
  return code.startsWith('ERR_SSL') || code === 'EPROTO' || code.startsWith('ERR_TLS');
}
