import type { LintRule } from '../types.js';
import { commonNames } from '../views.js';

export const MAX_COMMON_NAME_CHARACTERS = 64;

/** BR §7.1.4.2, RFC 5280 Appendix A (ub-common-name): a commonName has at most 64 characters. */
export const subjectCnTooLong: LintRule = {
  id: 'e_subject_cn_too_long',
  severity: 'error',
  citation: 'BR 7.1.4.2; RFC 5280 A.1',
  description: `commonName has at most ${MAX_COMMON_NAME_CHARACTERS} characters.`,
  check: ({ cert }) =>
    commonNames(cert)
      .map((cn) => [...Buffer.from(cn.value).toString(cn.valueTag === 0x0c ? 'utf8' : 'latin1')].length)
      .filter((n) => n > MAX_COMMON_NAME_CHARACTERS)
      .map((n) => `commonName has ${n} characters, more than ${MAX_COMMON_NAME_CHARACTERS}`),
};
