import { closeSync, openSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { HandoverDemandView, TerminationView } from '../registry/terminations.js';
import { actorFrom, print, printJson, table, withActor, withRegistry, type ActorOptions, type CliKit } from './registry-session.js';

type Json = { json?: boolean };

function terminationText(t: TerminationView): string[] {
  const s = t.transferSummary;
  return [
    `termination:   ${t.id} (${t.status})`,
    `operator:      ${t.operatorName} (${t.operatorId})`,
    `effective at:  ${t.effectiveAt} (${t.effectiveDate} local)`,
    `reason:        ${t.reason}`,
    `hand-over to:  ${t.handoverTo === null ? '-' : `${t.handoverTo.name} (${t.handoverTo.id})`}${t.successorOperatorId === null ? " — the CA's own reseller desk" : ' — successor'}`,
    ...(s === null
      ? []
      : [`transferred:   ${t.transferredAt ?? '-'} → ${s.transferredToName}: ${s.usageFqdns} usage FQDNs, ${s.subscribers} subscribers, ${s.certificates} certificates in use${s.fellBackToCaDesk ? ' (successor unavailable: CA desk took over)' : ''}`]),
    `recorded by:   ${t.createdBy} at ${t.createdAt}`,
  ];
}

function demandRows(ds: HandoverDemandView[]): string[] {
  return table(
    ['DEMAND', 'STATUS', 'DEMANDED', 'DEADLINE', 'FULFILLED'],
    ds.map((d) => [d.id, d.status, d.demandedAt, d.deadline, d.fulfilledAt ?? '-']),
  );
}

/** The `operator` command made by operator.ts (registered before this file in main.ts), or a new one. */
function operatorCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'operator') ?? program.command('operator').description('operators (designated resellers, SPEC §3)');
}

/**
 * `shomei operator terminate | termination | handover-demand | handover-demands |
 * handover-fulfilled | handover-package`: contract termination and hand-over
 * (AR 19, AT 7), the command-line twin of the admin API (docs/handover.md).
 */
export function registerTerminationCommands<O extends object>(program: Command, kit: CliKit<O>): void {
  const { common } = kit;
  const cfg = (o: object) => kit.configFrom(o as O);
  const op = operatorCommand(program);

  withActor(common(op.command('terminate')))
    .description("terminate an operator's contract (AR 19): its access ends at the effective instant and its live usage FQDNs, subscribers and certificates pass to the successor or the CA's own reseller desk (AT 7)")
    .argument('<operatorId>', 'operator id (op_…)')
    .requiredOption('--effective <when>', 'YYYY-MM-DD (start of that day in the CA time zone) or an instant with its zone, e.g. 2027-01-01T00:00:00+09:00')
    .requiredOption('--reason <text>', 'why the contract ends')
    .option('--successor <operatorId>', "operator that takes over (default: the CA's own reseller desk)")
    .option('--json', 'print the termination as JSON')
    .action(async (operatorId: string, o: { effective: string; reason: string; successor?: string } & Json & ActorOptions) => {
      await withRegistry(cfg(o), async ({ registry }) => {
        const t = await registry.terminateOperator(operatorId, { effectiveAt: o.effective, reason: o.reason, successorOperatorId: o.successor }, actorFrom(o));
        if (o.json === true) return printJson(t);
        print(terminationText(t));
      });
    });

  common(op.command('termination'))
    .description("show an operator's contract termination and what was transferred")
    .argument('<operatorId>', 'operator id (op_…)')
    .option('--json', 'print the termination as JSON')
    .action(async (operatorId: string, o: Json) => {
      await withRegistry(cfg(o), async ({ registry }) => {
        const t = await registry.getTermination(operatorId);
        if (o.json === true) return printJson(t);
        print(terminationText(t));
      });
    });

  withActor(common(op.command('handover-demand')))
    .description('demand the information needed to take over the brokering (AR 19), due on a date at least governance.handoverMinDays (10) days ahead')
    .argument('<operatorId>', 'operator id (op_…)')
    .requiredOption('--deadline <date>', 'YYYY-MM-DD, local date in the CA time zone')
    .option('--item <text>', 'an item demanded (repeatable; default: the standard list)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--json', 'print the demand as JSON')
    .action(async (operatorId: string, o: { deadline: string; item?: string[] } & Json & ActorOptions) => {
      await withRegistry(cfg(o), async ({ registry }) => {
        const d = await registry.createHandoverDemand(operatorId, { deadline: o.deadline, items: o.item }, actorFrom(o));
        if (o.json === true) return printJson(d);
        print([`hand-over demand ${d.id}: due ${d.deadline}`, ...d.items.map((i) => `  - ${i}`)]);
      });
    });

  common(op.command('handover-demands'))
    .description("list an operator's hand-over demands")
    .argument('<operatorId>', 'operator id (op_…)')
    .option('--json', 'print JSON')
    .action(async (operatorId: string, o: Json) => {
      await withRegistry(cfg(o), async ({ registry }) => {
        const ds = await registry.listHandoverDemands(operatorId);
        if (o.json === true) return printJson(ds);
        print(ds.length === 0 ? 'no hand-over demands' : demandRows(ds));
      });
    });

  withActor(common(op.command('handover-fulfilled')))
    .description('record that the operator handed the demanded information over')
    .argument('<operatorId>', 'operator id (op_…)')
    .argument('<demandId>', 'demand id (hod_…)')
    .option('--json', 'print the demand as JSON')
    .action(async (operatorId: string, demandId: string, o: Json & ActorOptions) => {
      await withRegistry(cfg(o), async ({ registry }) => {
        const d = await registry.markHandoverDemandFulfilled(operatorId, demandId, actorFrom(o));
        if (o.json === true) return printJson(d);
        print(`hand-over demand ${d.id}: fulfilled at ${d.fulfilledAt ?? '-'}`);
      });
    });

  withActor(common(op.command('handover-package')))
    .description("write the operator's hand-over package (.tar.gz: JSON + CSV, manifest.json, SHA256SUMS; AR 19, AR 10); the export is audited")
    .argument('<operatorId>', 'operator id (op_…)')
    .requiredOption('--out <file>', 'where to write the archive, e.g. handover.tar.gz')
    .option('--json', 'print the manifest as JSON')
    .action(async (operatorId: string, o: { out: string } & Json & ActorOptions) => {
      // Personal data: created owner-only, never over an existing file — and opened before the (audited) export.
      const fd = openSync(o.out, 'wx', 0o600);
      let written = false;
      try {
        await withRegistry(cfg(o), async ({ registry }) => {
          const p = await registry.buildHandoverPackage(operatorId, actorFrom(o));
          writeFileSync(fd, p.archive);
          written = true;
          if (o.json === true) return printJson({ file: o.out, manifestSha256: p.manifestSha256, manifest: p.manifest });
          print([
            `wrote ${o.out} (${p.archive.length} bytes) for ${p.manifest.operator.name} (${p.manifest.operator.id})`,
            ...Object.entries(p.rowCounts).map(([k, n]) => `  ${k.padEnd(16)} ${n}`),
            `manifest sha256 ${p.manifestSha256}`,
          ]);
        });
      } finally {
        closeSync(fd);
        if (!written) unlinkSync(o.out);
      }
    });
}
