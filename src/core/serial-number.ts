/**
 * Canonical text of a certificate serial: lower-case hex of the integer value
 * without leading zero bytes, so `00ab…` (DER with a sign byte) and `ab…` name
 * the same certificate.
 */
export function canonicalSerialHex(hex: string): string {
  const s = hex.toLowerCase().replace(/[^0-9a-f]/g, '').replace(/^(00)+(?=..)/, '');
  return s.length % 2 === 1 ? `0${s}` : s;
}
