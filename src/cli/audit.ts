import { Option, type Command } from 'commander';
import { openStorage } from '../app.js';
import { operatorReportCsv, type OperatorReport } from '../registry/operator-report.js';
import { verifyAuditChain, type AuditVerification } from '../records/audit-verify.js';
import { money, print, printJson, withRegistry, type CliKit } from './registry-session.js';

function verificationText(v: AuditVerification): string[] {
  const range = v.firstSeq === null ? 'no events after the anchor' : `events ${v.firstSeq}–${v.lastSeq ?? v.firstSeq}`;
  const lines = [
    `${v.ok ? 'OK' : 'BROKEN'}: ${v.events} audit events checked (${range}; anchor ${v.anchorSeq}, head ${v.headSeq})`,
    `head hash: ${v.headHash}`,
  ];
  for (const p of v.problems) lines.push(`  seq ${p.seq}: ${p.problem}`);
  if (v.truncated) lines.push('  … more problems not listed');
  return lines;
}

function reportText(r: OperatorReport): string[] {
  const m = (n: number) => money(n, r.currency);
  return [
    `Report ${r.from} … ${r.to} (${r.timeZone}) — ${r.operatorName} (${r.operatorId})`,
    '',
    ...Object.entries(r.counts).map(([k, n]) => `  ${k.padEnd(28)} ${n}`),
    '',
    `  fees subtotal                ${m(r.fees.subtotal)}`,
    `  fees tax                     ${m(r.fees.tax)}`,
    `  fees total                   ${m(r.fees.total)}`,
    '',
    '  (--json or --csv for the lists)',
  ];
}

/**
 * `shomei audit verify` (SPEC §11, BR 5.4.4): exit code 0 when the chain is
 * intact, 1 when it is broken. `shomei operator report` (AR 15).
 */
export function registerAuditCommands<O extends object>(program: Command, kit: CliKit<O>): void {
  const { common } = kit;
  const cfg = (o: object) => kit.configFrom(o as O);

  const audit = program.command('audit').description('the hash-chained audit trail (SPEC §11)');
  common(audit.command('verify'))
    .description('walk the audit chain from its anchor to its head and check every hash and link; exit code 1 when broken')
    .option('--json', 'print the result as JSON')
    .action(async (o: { json?: boolean }) => {
      const sa = await openStorage(cfg(o));
      try {
        const v = await verifyAuditChain(sa.repos);
        if (o.json === true) printJson(v);
        else print(verificationText(v));
        if (!v.ok) process.exitCode = 1;
      } finally {
        await sa.close();
      }
    });

  // `operator report` joins the `operator` verbs when they are registered first.
  const operator = program.commands.find((c) => c.name() === 'operator') ?? program.command('operator').description('operators (designated resellers, SPEC §3)');
  common(operator.command('report'))
    .description("an operator's activity report for a period (AR 15): applications, usage starts, continuations, terminations, issuances, revocations, fees, open notices")
    .argument('<operatorId>', 'operator id (op_…)')
    .requiredOption('--from <date>', 'first local date of the period, YYYY-MM-DD (inclusive)')
    .requiredOption('--to <date>', 'last local date of the period, YYYY-MM-DD (inclusive)')
    .addOption(new Option('--csv', 'print the report as CSV (RFC 4180, one `section` column)').conflicts('json'))
    .addOption(new Option('--json', 'print the report as JSON').conflicts('csv'))
    .action(async (operatorId: string, o: { from: string; to: string; csv?: boolean; json?: boolean }) => {
      await withRegistry(cfg(o), async ({ registry }) => {
        const r = await registry.operatorReport(operatorId, o.from, o.to);
        if (o.json === true) return printJson(r);
        if (o.csv === true) return void process.stdout.write(operatorReportCsv(r));
        print(reportText(r));
      });
    });
}
