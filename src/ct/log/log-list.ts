/**
 * A log list in the shape of Google's v3 log list
 * (https://www.gstatic.com/ct/log_list/v3/log_list_schema.json) describing
 * the built-in logs, for monitors such as certspotter (`-logs <file|url>`)
 * and for clients that take their logs from a list.
 */
import { toBase64 } from '../rfc6962.js';
import type { CtLogDescriptor } from '../types.js';

/** Contact put in the list; the built-in logs are a private/dev facility of this CA. */
export const LOG_LIST_CONTACT = 'ct-log@shomei.test';

export interface LogListV3 {
  version: string;
  log_list_timestamp: string;
  operators: Array<{
    name: string;
    email: string[];
    logs: Array<{
      description: string;
      log_id: string;
      key: string;
      url: string;
      mmd: number;
      state: { usable: { timestamp: string } };
    }>;
    tiled_logs: never[];
  }>;
}

/** One operator entry per distinct operator, logs in the given order. */
export function buildLogList(logs: readonly CtLogDescriptor[], now: Date, usableSince: Date): LogListV3 {
  const operators: LogListV3['operators'] = [];
  for (const l of logs) {
    let op = operators.find((o) => o.name === l.operator);
    if (op === undefined) {
      op = { name: l.operator, email: [LOG_LIST_CONTACT], logs: [], tiled_logs: [] };
      operators.push(op);
    }
    op.logs.push({
      description: `Shomei built-in log ${l.name}`,
      log_id: toBase64(l.logId),
      key: toBase64(l.publicKeySpki),
      url: l.url,
      mmd: l.mmdSeconds,
      state: { usable: { timestamp: usableSince.toISOString() } },
    });
  }
  return { version: '1', log_list_timestamp: now.toISOString(), operators };
}
