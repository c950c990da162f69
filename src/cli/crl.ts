import type { Command } from 'commander';
import { createCertificateAuthority } from '../ca/authority.js';
import type { Config } from '../config/schema.js';
import type { CrlRunReport } from '../crl/generator.js';
import { createCrlPublisher } from '../crl/publisher.js';
import { actorFrom, print, printJson, table, withActor, withRegistry, type ActorOptions, type CliKit } from './registry-session.js';

/**
 * The URL in the CRLs must be the one the running CA puts into certificates
 * (BR §7.2.2.1: byte-identical). With port 0 the server learns its URL only
 * when it binds, so a CLI process cannot know it.
 */
function assertKnownBaseUrl(config: Config): void {
  if (!config.artefacts.explicitBaseUrl && config.artefacts.port === 0) {
    throw new Error('artefacts.port is 0, so the CRL URL is only known to the running server: set artefacts.baseUrl');
  }
}

function reportLines(r: CrlRunReport): string[] {
  const lines = [`issuer ${r.issuerKeyId}: ${r.published.length} published, ${r.current.length} already current, ${r.failed.length} failed`];
  if (r.published.length > 0) {
    lines.push(
      ...table(
        ['shard', 'crl number', 'entries', 'this update', 'next update', 'why', 'url'],
        r.published.map((p) => [String(p.shard), p.crlNumber, String(p.entries), p.thisUpdate, p.nextUpdate, p.cause, p.url]),
      ).map((l) => `  ${l}`),
    );
  }
  for (const f of r.failed) lines.push(`  shard ${f.shard} FAILED: ${f.error}`);
  return lines;
}

/** `shomei crl generate [--force]`: regenerate CRL shards now, as the scheduled job would. */
export function registerCrlCommands<O extends object>(program: Command, kit: CliKit<O>): void {
  const { common } = kit;
  const cfg = (o: object) => kit.configFrom(o as O);
  const crl = program.command('crl').description('certificate revocation lists (BR §4.9.7, §7.2)');

  withActor(common(crl.command('generate')))
    .description(
      'regenerate the CRL shards of the issuing CA that changed, are old or missing (every shard with --force), publish them and print what was published',
    )
    .option('--force', 're-sign every shard even when nothing changed')
    .option('--json', 'print the report as JSON')
    .action(async (o: ActorOptions & { force?: boolean; json?: boolean }) => {
      const config = cfg(o);
      assertKnownBaseUrl(config);
      const actor = actorFrom(o);
      await withRegistry(config, async ({ sa, clock, logger }) => {
        const ca = await createCertificateAuthority(config, { clock });
        const publisher = createCrlPublisher({ config, sa, clock, logger, issuingCa: () => ca.issuingCa });
        const report = await publisher.regenerate({ force: o.force === true, actor: `admin:${actor.name}` });
        if (o.json === true) printJson(report);
        else print(reportLines(report));
        if (report.failed.length > 0) process.exitCode = 1;
      });
    });
}
