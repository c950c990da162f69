import type { LintRule } from '../types.js';

/** RFC 5280 §4.1.2.2, BR §7.1.2.7: the serial number is a positive integer (> 0). */
export const serialNotPositive: LintRule = {
  id: 'e_serial_not_positive',
  severity: 'error',
  citation: 'RFC 5280 4.1.2.2; BR 7.1.2.7',
  description: 'serialNumber is greater than zero.',
  check: ({ cert }) => {
    const s = cert.serial;
    if (s.length === 0) return ['serialNumber has no content octets'];
    if ((s[0]! & 0x80) !== 0) return ['serialNumber is negative'];
    if (s.every((b) => b === 0)) return ['serialNumber is zero'];
    return [];
  },
};
