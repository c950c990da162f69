/** RFC 5280 §4.2.1.3 KeyUsage named bits. */
export const KU = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
} as const;

export const KU_NAMES: readonly string[] = Object.keys(KU);
