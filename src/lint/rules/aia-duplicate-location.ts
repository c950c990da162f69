import { OID, decodeAuthorityInfoAccess, extensionValue } from '../extension-values.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.7: with several descriptions of one accessMethod, each accessLocation MUST be unique. */
export const aiaDuplicateLocation: LintRule = {
  id: 'e_aia_duplicate_location',
  severity: 'error',
  citation: 'BR 7.1.2.7.7',
  description: 'No accessMethod lists the same accessLocation twice.',
  check: ({ cert }) => {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const ad of extensionValue(cert, OID.authorityInfoAccess, decodeAuthorityInfoAccess)?.value ?? []) {
      const key = `${ad.method} ${ad.location.tag} ${Buffer.from(ad.location.value).toString('hex')}`;
      if (seen.has(key)) problems.push(`authorityInformationAccess repeats a location for ${ad.method}`);
      seen.add(key);
    }
    return problems;
  },
};
