import type { Command } from 'commander';
import { actorFrom, print, printJson, table, withActor, withRegistry, type ActorOptions, type CliKit } from './registry-session.js';

type Json = { json?: boolean };

/** `shomei admin-token …`: bearer tokens for the CA staff API. */
export function registerAdminTokenCommands<O extends object>(program: Command, kit: CliKit<O>): void {
  const { common } = kit;
  const cfg = (o: object) => kit.configFrom(o as O);
  const at = program.command('admin-token').description('tokens for the CA staff (admin) API; each names the staff member recorded in the audit trail');

  withActor(common(at.command('create')))
    .description('mint an admin API token for a staff member; the token is printed once and only its hash is stored')
    .argument('<name>', 'staff member (letters, digits and . _ @ -); recorded as admin:<name> for what the token does')
    .option('--json', 'print {"token": "...", "view": {...}} on stdout (the warning goes to stderr)')
    .action(async (name: string, o: Json & ActorOptions) => {
      await withRegistry(cfg(o), async ({ registry }) => {
        const { token, view } = await registry.createAdminToken({ name }, actorFrom(o));
        const warning = 'The token is shown only this once and is not stored (only its hash is): keep it in a password manager.';
        if (o.json === true) {
          printJson({ token, view });
          process.stderr.write(`${warning}\n`);
          return;
        }
        print([`admin token ${view.id} created for ${view.name}`, `  token: ${token}`, '', warning, 'Use it as: Authorization: Bearer <token>']);
      });
    });

  common(at.command('list'))
    .description('list admin tokens with creation/revocation time (never the secrets)')
    .option('--json', 'print a JSON array')
    .action(async (o: Json) => {
      await withRegistry(cfg(o), async ({ registry }) => {
        const rows = await registry.listAdminTokens();
        if (o.json === true) return printJson(rows);
        if (rows.length === 0) return print('no admin tokens');
        print(
          table(
            ['TOKEN ID', 'NAME', 'STATUS', 'CREATED', 'CREATED BY'],
            rows.map((r) => [r.id, r.name, r.revokedAt === null ? 'active' : `revoked ${r.revokedAt}`, r.createdAt, r.createdBy]),
          ),
        );
      });
    });

  withActor(common(at.command('revoke')))
    .description('revoke an admin token at once')
    .argument('<id>', 'token id (at_…)')
    .action(async (id: string, o: ActorOptions) => {
      await withRegistry(cfg(o), async ({ registry }) => {
        await registry.revokeAdminToken(id, actorFrom(o));
        print(`revoked ${id}`);
      });
    });
}
