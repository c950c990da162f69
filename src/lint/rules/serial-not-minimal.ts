import type { LintRule } from '../types.js';

/** X.690 §8.3.2: an INTEGER's first nine bits are not all zero or all one (no redundant leading octet). */
export const serialNotMinimal: LintRule = {
  id: 'e_serial_not_minimal',
  severity: 'error',
  citation: 'X.690 8.3.2; RFC 5280 4.1.2.2',
  description: 'serialNumber is minimally encoded (no redundant leading 0x00 or 0xFF octet).',
  check: ({ cert }) => {
    const s = cert.serial;
    if (s.length < 2) return [];
    const redundant = (s[0] === 0x00 && (s[1]! & 0x80) === 0) || (s[0] === 0xff && (s[1]! & 0x80) !== 0);
    return redundant ? ['serialNumber has a redundant leading octet (not DER-minimal)'] : [];
  },
};
