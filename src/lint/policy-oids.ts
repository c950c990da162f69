/** Policy identifiers the certificatePolicies rules name (BR §7.1.6.1, RFC 5280 §4.2.1.4). */
export const POLICY_DV = '2.23.140.1.2.1';
export const ANY_POLICY = '2.5.29.32.0';
/** The CA/Browser Forum reserved policy arc (BR §7.1.6.1). */
export const CABF_POLICY_ARC = '2.23.140.1.';

export function isReservedPolicy(oid: string): boolean {
  return oid.startsWith(CABF_POLICY_ARC);
}
