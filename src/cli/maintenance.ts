import type { Command } from 'commander';
import type { MaintenanceWindowView } from '../registry/maintenance.js';
import type { PolicyDocumentView } from '../registry/policy-documents.js';
import { actorFrom, print, printJson, table, withActor, withRegistry, type ActorOptions, type CliKit } from './registry-session.js';

function windowLines(w: MaintenanceWindowView): string[] {
  return [
    `maintenance window ${w.id} (${w.kind}): ${w.state}`,
    `  ${w.startsAt} → ${w.endsAt ?? 'until resumed'}${w.endedAt !== null ? `, ended at ${w.endedAt}` : ''}${w.cancelledAt !== null ? `, cancelled at ${w.cancelledAt}` : ''}`,
    `  reason: ${w.reason}`,
    `  created by ${w.createdBy} at ${w.createdAt}`,
  ];
}

function windowTable(ws: MaintenanceWindowView[]): string[] {
  return table(['WINDOW', 'KIND', 'STATE', 'STARTS', 'ENDS', 'REASON'], ws.map((w) => [w.id, w.kind, w.state, w.startsAt, w.endsAt ?? '-', w.reason]));
}

function docLine(d: PolicyDocumentView): string {
  return `${d.kind} ${d.version} (${d.state}) effective ${d.effectiveAt}: ${d.url}${d.sha256 === null ? '' : ` sha256=${d.sha256}`}`;
}

/**
 * `shomei maintenance …`, `shomei emergency-stop`, `shomei resume` (AT 18) and
 * `shomei policy …` (AT 21): the command-line twin of the admin API's
 * maintenance and policy-document routes. A running `shomei start` sees a
 * change within `maintenance.cacheMs`.
 */
export function registerMaintenanceCommands<O extends object>(program: Command, kit: CliKit<O>): void {
  const { common } = kit;
  const cfg = (o: object) => kit.configFrom(o as O);
  const maintenance = program.command('maintenance').description('planned maintenance windows: ACME answers 503 with Retry-After while one runs (AT 18)');

  withActor(common(maintenance.command('schedule')))
    .description('schedule a window and announce it to every active operator (notification maintenance.announced)')
    .requiredOption('--start <time>', 'start, RFC 3339 (e.g. 2026-12-01T01:00:00+09:00); must lie in the future')
    .requiredOption('--end <time>', 'end, RFC 3339; after --start')
    .requiredOption('--reason <text>', 'why (sent to operators and shown to ACME clients)')
    .option('--json', 'print the window as JSON')
    .action(async (o: ActorOptions & { start: string; end: string; reason: string; json?: boolean }) => {
      await withRegistry(cfg(o), async (s) => {
        const w = await s.registry.scheduleMaintenance({ reason: o.reason, startsAt: o.start, endsAt: o.end }, actorFrom(o));
        if (o.json === true) return printJson(w);
        print(windowLines(w));
      });
    });

  common(maintenance.command('list'))
    .description('list windows and emergency stops, oldest start first')
    .option('--state <state>', 'only scheduled, running, finished or cancelled')
    .option('--json', 'print the list as JSON')
    .action(async (o: { state?: string; json?: boolean }) => {
      await withRegistry(cfg(o), async (s) => {
        const ws = await s.registry.listMaintenance({ state: o.state });
        if (o.json === true) return printJson(ws);
        print(windowTable(ws));
      });
    });

  withActor(common(maintenance.command('cancel')))
    .description('cancel a window that has not started (notification maintenance.cancelled)')
    .argument('<id>', 'window id (mw_…)')
    .option('--json', 'print the window as JSON')
    .action(async (id: string, o: ActorOptions & { json?: boolean }) => {
      await withRegistry(cfg(o), async (s) => {
        const w = await s.registry.cancelMaintenance(id, actorFrom(o));
        if (o.json === true) return printJson(w);
        print(windowLines(w));
      });
    });

  withActor(common(maintenance.command('end')))
    .description('end a running window now')
    .argument('<id>', 'window id (mw_…)')
    .option('--json', 'print the window as JSON')
    .action(async (id: string, o: ActorOptions & { json?: boolean }) => {
      await withRegistry(cfg(o), async (s) => {
        const w = await s.registry.endMaintenance(id, actorFrom(o));
        if (o.json === true) return printJson(w);
        print(windowLines(w));
      });
    });

  withActor(common(program.command('emergency-stop')))
    .description('stop the ACME service now, without notice (system failure, force majeure); `shomei resume` ends it')
    .requiredOption('--reason <text>', 'why (shown to ACME clients)')
    .option('--until <time>', 'expected end, RFC 3339 (Retry-After counts down to it); left out = until resumed')
    .option('--json', 'print the stop as JSON')
    .action(async (o: ActorOptions & { reason: string; until?: string; json?: boolean }) => {
      await withRegistry(cfg(o), async (s) => {
        const w = await s.registry.emergencyStop({ reason: o.reason, ...(o.until !== undefined ? { endsAt: o.until } : {}) }, actorFrom(o));
        if (o.json === true) return printJson(w);
        print(windowLines(w));
      });
    });

  withActor(common(program.command('resume')))
    .description('end the emergency stop in force')
    .option('--json', 'print the ended stops as JSON')
    .action(async (o: ActorOptions & { json?: boolean }) => {
      await withRegistry(cfg(o), async (s) => {
        const ws = await s.registry.resumeService(actorFrom(o));
        if (o.json === true) return printJson(ws);
        print(ws.flatMap(windowLines));
      });
    });

  const policy = program.command('policy').description('versions of the terms, the CP/CPS and the CT-disclosure document (AT 21)');

  withActor(common(policy.command('publish')))
    .description('publish a version; the current terms URL becomes the ACME directory termsOfService (notification policy-document.published)')
    .requiredOption('--kind <kind>', 'terms, cps or ct-disclosure')
    .requiredOption('--version <version>', 'version label consent records name (e.g. acme-terms-2027-01)')
    .requiredOption('--url <url>', 'where the text is published')
    .option('--sha256 <hex>', 'SHA-256 of the document text')
    .option('--effective <time>', 'when it takes effect, RFC 3339 (default now; later = an announced change)')
    .option('--json', 'print the version as JSON')
    .action(async (o: ActorOptions & { kind: string; version: string; url: string; sha256?: string; effective?: string; json?: boolean }) => {
      await withRegistry(cfg(o), async (s) => {
        const d = await s.registry.publishPolicyDocument(
          { kind: o.kind, version: o.version, url: o.url, ...(o.sha256 !== undefined ? { sha256: o.sha256 } : {}), ...(o.effective !== undefined ? { effectiveAt: o.effective } : {}) },
          actorFrom(o),
        );
        if (o.json === true) return printJson(d);
        print(docLine(d));
      });
    });

  common(policy.command('list'))
    .description('list published versions by kind and effective time')
    .option('--kind <kind>', 'only terms, cps or ct-disclosure')
    .option('--json', 'print the list as JSON')
    .action(async (o: { kind?: string; json?: boolean }) => {
      await withRegistry(cfg(o), async (s) => {
        const ds = await s.registry.listPolicyDocuments({ kind: o.kind });
        if (o.json === true) return printJson(ds);
        print(table(['KIND', 'VERSION', 'STATE', 'EFFECTIVE', 'URL'], ds.map((d) => [d.kind, d.version, d.state, d.effectiveAt, d.url])));
      });
    });
}
