#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ConfigError, listEnvNames, loadConfig } from '../config/load.js';
import { runStart } from './start.js';
import { runEabCreate, runEabList, runEabRevoke } from './eab.js';
import { ShomeiError } from '../core/errors.js';
import { registerAdminTokenCommands } from './admin-token.js';
import { registerCrlCommands } from './crl.js';
import { registerAuditCommands } from './audit.js';
import { registerJobsCommands } from './jobs.js';
import { registerMaintenanceCommands } from './maintenance.js';
import { registerNotificationCommands } from './notifications.js';
import { registerOperatorCommands } from './operator.js';
import { registerGovernanceCommands } from './governance.js';
import { registerRevokeCommands } from './revoke.js';
import { registerTerminationCommands } from './termination.js';
import type { CliKit } from './registry-session.js';
import { registerStatementCommands } from './statement.js';

export interface CommonOptions {
  config?: string;
  data?: string;
}

function common(cmd: Command): Command {
  return cmd
    .addOption(new Option('-c, --config <file>', 'JSON configuration file (see docs/configuration.md)').env('SHOMEI_CONFIG'))
    .addOption(new Option('-d, --data <dir>', 'data directory (database, keys, generated files)').env('SHOMEI_DATA_DIR'));
}

export function configFrom(opts: CommonOptions) {
  return loadConfig({ file: opts.config, dataDir: opts.data });
}

function packageVersion(): string {
  // src/cli and dist/cli both sit two levels below the package root.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command('shomei')
    .version(packageVersion())
    // Root options (--version) only before a verb, so verbs may have their own --version (`policy publish`).
    .enablePositionalOptions()
    .description('Shomei (証明): an ACME certificate authority selling DV certificates through resellers')
    .showHelpAfterError()
    .addHelpText(
      'after',
      `\nConfiguration: defaults ← --config file ← environment (${listEnvNames().length} SHOMEI_* variables) ← flags.\nSee docs/configuration.md.`,
    );

  common(program.command('start'))
    .description('run the CA: ACME over HTTPS, CA artefacts over HTTP; stops cleanly on SIGTERM/SIGINT')
    .action(async (o: CommonOptions) => runStart(configFrom(o)));

  const eab = program.command('eab').description('External Account Binding credentials (RFC 8555 §7.3.4)');
  common(eab.command('create'))
    .description('mint EAB credentials (key id + HMAC key); the HMAC key is shown once and stored only sealed')
    .option('--json', 'print {"kid": "...", "hmacKey": "..."} and nothing else on stdout')
    .option('--label <text>', 'a note stored with the credentials (e.g. who they are for)')
    .action(async (o: CommonOptions & { json?: boolean; label?: string }) => runEabCreate(configFrom(o), o));
  common(eab.command('list'))
    .description('list EAB key ids with creation/revocation time (never the keys)')
    .option('--json', 'print JSON')
    .action(async (o: CommonOptions & { json?: boolean }) => runEabList(configFrom(o), o));
  common(eab.command('revoke'))
    .description('revoke EAB credentials: no new ACME account can be bound with them')
    .argument('<kid>', 'key id to revoke')
    .action(async (kid: string, o: CommonOptions) => runEabRevoke(configFrom(o), kid));

  // CA-staff verbs: the command-line twin of the admin API, each a thin layer over the Registry.
  const kit: CliKit<CommonOptions> = { common, configFrom };
  registerOperatorCommands(program, kit);
  registerGovernanceCommands(program, kit); // adds verbs to `operator`: keep after registerOperatorCommands
  registerTerminationCommands(program, kit);
  registerStatementCommands(program, kit);
  registerAdminTokenCommands(program, kit);
  registerJobsCommands(program, kit);
  registerRevokeCommands(program, kit);
  registerCrlCommands(program, kit);
  registerMaintenanceCommands(program, kit);
  registerAuditCommands(program, kit);
  registerNotificationCommands(program, kit);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`shomei: ${e.message}\n`);
      process.exit(2);
    }
    if (e instanceof ShomeiError) {
      process.stderr.write(`shomei: ${e.detail}\n`);
      process.exit(1);
    }
    process.stderr.write(`shomei: ${(e as Error).message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  await main(process.argv);
}
