import type { LintRule } from '../types.js';

/**
 * BR §7.1.2.7 (serialNumber, ≥ 64 bits of CSPRNG output) and MRSP §5.2: the
 * value must be at least 8 octets long once a leading 0x00 sign octet is set
 * aside (a serial carrying 64 random bits cannot be shorter, save for a
 * 2^-8 chance that Shomei's 128-bit serials make irrelevant).
 */
export const MIN_SERIAL_VALUE_OCTETS = 8;

export const serialLowEntropy: LintRule = {
  id: 'e_serial_low_entropy',
  severity: 'error',
  citation: 'BR 7.1.2.7; MRSP 5.2',
  description: `serialNumber has at least ${MIN_SERIAL_VALUE_OCTETS} value octets (besides a 0x00 sign octet), room for 64 bits of CSPRNG output.`,
  check: ({ cert }) => {
    const s = cert.serial;
    if (s.length === 0 || (s[0]! & 0x80) !== 0 || s.every((b) => b === 0)) return []; // not positive: e_serial_not_positive
    const valueOctets = s[0] === 0 ? s.length - 1 : s.length;
    return valueOctets >= MIN_SERIAL_VALUE_OCTETS
      ? []
      : [`serialNumber has ${valueOctets} value octets, fewer than ${MIN_SERIAL_VALUE_OCTETS} (64 bits of CSPRNG output)`];
  },
};
