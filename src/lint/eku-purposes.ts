/** Key purpose OIDs the EKU rules name (RFC 5280 §4.2.1.12, RFC 6962 §3.1). */
export const KP = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** BR §7.1.2.7.10: purposes a subscriber certificate MUST NOT assert. */
export const FORBIDDEN_PURPOSES: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
  '1.3.6.1.4.1.11129.2.4.4': 'Precertificate Signing Certificate',
};
