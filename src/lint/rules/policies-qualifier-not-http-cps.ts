import { OID, OID_QT_CPS, decodeCertificatePolicies, extensionValue } from '../extension-values.js';
import { isHttpOrHttpsUrl } from '../http-url.js';
import type { LintRule } from '../types.js';

/** BR §7.1.2.7.9: a policy qualifier, if any, is id-qt-cps with an HTTP or HTTPS URL; no userNotice or other qualifier. */
export const policiesQualifierNotHttpCps: LintRule = {
  id: 'e_policies_qualifier_not_http_cps',
  severity: 'error',
  citation: 'BR 7.1.2.7.9',
  description: 'Every policy qualifier is id-qt-cps holding an http:// or https:// URL.',
  check: ({ cert }) =>
    (extensionValue(cert, OID.certificatePolicies, decodeCertificatePolicies)?.value ?? []).flatMap((p) =>
      p.qualifiers
        .filter((q) => q.oid !== OID_QT_CPS || q.cpsUri === undefined || !isHttpOrHttpsUrl(q.cpsUri))
        .map((q) => `policy ${p.oid} has the qualifier ${q.oid}${q.cpsUri === undefined ? '' : ` (${q.cpsUri})`}, not an HTTP(S) CPS URI`),
    ),
};
