/**
 * Parser for the value of CAA `issue` / `issuewild` properties, RFC 8659 §4.2:
 *
 *   issue-value = *WSP [issuer-domain-name *WSP]
 *                 [";" *WSP [parameters *WSP]]
 *   issuer-domain-name = label *("." label)
 *   label = (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT))
 *   parameters = (parameter *WSP ";" *WSP parameters) / parameter
 *   parameter = tag *WSP "=" *WSP value
 *   tag = (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT))
 *   value = *(%x21-3A / %x3C-7E)
 *
 * A value that does not match returns null; the caller treats such a
 * property as granting nothing (fail closed). Two deliberate leniencies: one
 * trailing ";" after the parameters is accepted (a common typo that changes
 * no meaning), and the issuer domain name is compared case-insensitively
 * (DNS names are, RFC 4343). A repeated parameter tag makes the value
 * malformed: RFC 8657 leaves its meaning undefined, so it authorizes nothing.
 */

export interface IssueValue {
  /** Lower-case issuer domain name; null for the "nobody" form (`;`). */
  issuerDomainName: string | null;
  /** Parameter tag → value, as written (tags are matched exactly). */
  parameters: Map<string, string>;
}

const LABEL = '[A-Za-z0-9](?:-*[A-Za-z0-9])*';
const DOMAIN_RE = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const PARAMETER_RE = new RegExp(`^(${LABEL})[ \\t]*=[ \\t]*([\\x21-\\x3A\\x3C-\\x7E]*)$`);

/** RFC 5234 WSP is space and horizontal tab only. */
function trimWsp(s: string): string {
  return s.replace(/^[ \t]+|[ \t]+$/g, '');
}

export function parseIssueValue(value: string): IssueValue | null {
  const semi = value.indexOf(';');
  const head = trimWsp(semi < 0 ? value : value.slice(0, semi));
  if (head !== '' && !DOMAIN_RE.test(head)) return null;
  const parameters = new Map<string, string>();
  if (semi >= 0) {
    const parts = value.slice(semi + 1).split(';').map(trimWsp);
    if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    if (!(parts.length === 1 && parts[0] === '')) {
      for (const part of parts) {
        const m = PARAMETER_RE.exec(part);
        if (m === null) return null;
        const tag = m[1]!;
        if (parameters.has(tag)) return null;
        parameters.set(tag, m[2] ?? '');
      }
    }
  }
  return { issuerDomainName: head === '' ? null : head.toLowerCase(), parameters };
}

/**
 * RFC 8657 §4: `validationmethods` = [*(label ",") label], label =
 * 1*(ALPHA / DIGIT / "-"). Returns the method names, or null if malformed.
 */
export function parseValidationMethods(value: string): string[] | null {
  if (value === '') return [];
  const labels = value.split(',');
  return labels.every((l) => /^[A-Za-z0-9-]+$/.test(l)) ? labels : null;
}
