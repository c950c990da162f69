import { Option, type Command } from 'commander';
import { statementCsv, type Statement } from '../registry/statements.js';
import { actorFrom, money, print, printJson, table, withActor, withRegistry, type ActorOptions, type CliKit } from './registry-session.js';

function statementText(s: Statement): string[] {
  const m = (n: number) => money(n, s.currency);
  const lines =
    s.lines.length === 0
      ? ['  (no fee lines this month)']
      : table(
          ['DATE', 'KIND', 'FQDN', 'PERIOD', 'UNIT PRICE', 'TAX', 'TOTAL'],
          s.lines.map((l) => [
            l.date,
            l.kind,
            l.fqdn ?? '-',
            l.period === null ? '-' : `${l.period} ${l.periodStart ?? ''}…${l.periodEnd ?? ''}`,
            m(l.unitPrice),
            `${m(l.tax)} (${l.taxRatePercent}%)`,
            m(l.total),
          ]),
        ).map((r) => `  ${r}`);
  return [
    `Statement ${s.month} — ${s.operatorName} (${s.operatorId})`,
    '',
    ...lines,
    '',
    `  subtotal         ${m(s.subtotal)}`,
    `  tax              ${m(s.tax)}`,
    `  total            ${m(s.total)}`,
    '',
    `  opening balance  ${m(s.openingBalance)}`,
    `  + fees           ${m(s.total)}`,
    `  − payments       ${m(s.paymentsTotal)}`,
    ...s.payments.map((p) => `      ${p.receivedOn}  ${m(p.amount)}${p.reference === null ? '' : `  ${p.reference}`}`),
    `  closing balance  ${m(s.closingBalance)}${s.closingBalance > 0 ? ' owed' : s.closingBalance < 0 ? ' in credit' : ''}`,
  ];
}

/** `shomei statement` and `shomei payment record`: fees owed by operators and what they paid (SPEC §9). */
export function registerStatementCommands<O extends object>(program: Command, kit: CliKit<O>): void {
  const { common } = kit;
  const cfg = (o: object) => kit.configFrom(o as O);

  common(program.command('statement'))
    .description("an operator's monthly statement (SPEC §9): fee lines accrued in the month, tax, payments, opening and closing balance")
    .argument('<operatorId>', 'operator id (op_…)')
    .argument('<month>', 'month in the CA time zone, YYYY-MM')
    .addOption(new Option('--csv', 'print the statement as CSV (RFC 4180)').conflicts('json'))
    .addOption(new Option('--json', 'print the statement as JSON').conflicts('csv'))
    .action(async (operatorId: string, month: string, o: { csv?: boolean; json?: boolean }) => {
      await withRegistry(cfg(o), async ({ registry }) => {
        const s = await registry.statement(operatorId, month);
        if (o.json === true) return printJson(s);
        if (o.csv === true) return void process.stdout.write(statementCsv(s));
        print(statementText(s));
      });
    });

  const payment = program.command('payment').description('payments received from operators (SPEC §9, AR 12)');
  withActor(common(payment.command('record')))
    .description('record a bank transfer received from an operator; it reduces the balance from the month it was received')
    .argument('<operatorId>', 'operator id (op_…)')
    .requiredOption('--amount <n>', 'amount received, in whole currency units (e.g. 275000)')
    .requiredOption('--received-on <date>', 'date the money arrived, YYYY-MM-DD')
    .option('--reference <text>', 'bank reference or note')
    .option('--json', 'print the recorded payment as JSON')
    .action(async (operatorId: string, o: { amount: string; receivedOn: string; reference?: string; json?: boolean } & ActorOptions) => {
      // A non-number is passed on as is, so the registry's own message explains what is wrong.
      const amount: unknown = /^\s*\d+\s*$/.test(o.amount) ? Number(o.amount) : o.amount;
      await withRegistry(cfg(o), async ({ registry }) => {
        const p = await registry.recordPayment(operatorId, { amount, receivedOn: o.receivedOn, reference: o.reference }, actorFrom(o));
        if (o.json === true) return printJson({ operatorId, ...p });
        print(`recorded payment ${p.id}: ${money(p.amount, p.currency)} from ${operatorId} received on ${p.receivedOn}${p.reference === null ? '' : ` (${p.reference})`}`);
      });
    });
}
