import type { LintRule } from '../types.js';

/** RFC 5280 §4.1.2.2: at most 20 octets; with a positive value that is BR §7.1.2.7's "less than 2^159". */
export const serialTooLong: LintRule = {
  id: 'e_serial_too_long',
  severity: 'error',
  citation: 'RFC 5280 4.1.2.2; BR 7.1.2.7',
  description: 'serialNumber is at most 20 octets (less than 2^159).',
  check: ({ cert }) => (cert.serial.length <= 20 ? [] : [`serialNumber is ${cert.serial.length} octets, more than 20`]),
};
