/**
 * CSV (RFC 4180) for exports people open in spreadsheets: statements
 * (SPEC §9), the hand-over package (AR 19) and operator reports (AR 15).
 * Fields with a comma, quote or line break are quoted (quotes doubled);
 * lines end in CRLF. Text starting with = + - @ tab or CR is prefixed with
 * a `'` so a spreadsheet never runs it as a formula (CSV injection).
 */

export type CsvValue = string | number | null;

/** One RFC 4180 field; null is empty; a leading = + - @ is defused so spreadsheets never run it as a formula. */
export function csvField(v: CsvValue): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows (the first usually the header) as one CSV document, CRLF after every row. */
export function csvText(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
