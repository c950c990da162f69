import { InvalidArgumentError, type Command } from 'commander';
import type { OperatorContact } from '../registry/contacts.js';
import type { OperatorApiKeyView } from '../registry/operator-keys.js';
import type { DesignateOperatorInput, OperatorView } from '../registry/operators.js';
import { actorFrom, print, printJson, table, withActor, withRegistry, type ActorOptions, type CliKit } from './registry-session.js';

type Json = { json?: boolean };

export function parseBool(value: string): boolean {
  if (value === 'true' || value === 'yes') return true;
  if (value === 'false' || value === 'no') return false;
  throw new InvalidArgumentError('expected true or false');
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

function contactLine(c: OperatorContact): string {
  const extra = [c.role, c.phone].filter((x) => x !== undefined).join(', ');
  return `${c.name === undefined ? '' : `${c.name} `}<${c.email}>${extra === '' ? '' : ` (${extra})`}`;
}

function operatorText(o: OperatorView): string[] {
  return [
    `id:                ${o.id}`,
    `name:              ${o.name}`,
    `representative:    ${o.representative}`,
    `address:           ${o.address ?? '-'}`,
    `status:            ${o.status}`,
    `ACME handling:     ${yesNo(o.acmeHandling)}`,
    `domain designated: ${yesNo(o.domainDesignated)}`,
    `CA's own desk:     ${yesNo(o.caDesk)}`,
    `designated at:     ${o.designatedAt}`,
    `updated at:        ${o.updatedAt}`,
    'contacts:',
    ...o.contacts.map((c, i) => `  ${i === 0 ? '*' : '-'} ${contactLine(c)}`),
  ];
}

function keyRows(keys: OperatorApiKeyView[]): string[] {
  return table(
    ['KEY ID', 'STATUS', 'CREATED', 'ALLOWED FROM', 'CLIENT CERT', 'LABEL'],
    keys.map((k) => [
      k.id,
      k.revokedAt === null ? 'active' : `revoked ${k.revokedAt}`,
      k.createdAt,
      k.allowedCidrs.length === 0 ? 'anywhere' : k.allowedCidrs.join(','),
      k.clientCertSha256 === null ? '-' : `${k.clientCertSha256.slice(0, 16)}…`,
      k.label ?? '',
    ]),
  );
}

interface DesignateOptions extends Json, ActorOptions {
  name: string;
  representative: string;
  contactEmail: string;
  contactName?: string;
  address?: string;
  acmeHandling?: boolean;
  domainDesignated?: boolean;
  caDesk?: boolean;
}

interface UpdateOptions extends Json, ActorOptions {
  name?: string;
  representative?: string;
  address?: string;
  contactEmail?: string;
  contactName?: string;
  acmeHandling?: boolean;
  domainDesignated?: boolean;
}

interface KeyIssueOptions extends Json, ActorOptions {
  label?: string;
  allowCidr?: string[];
  clientCertSha256?: string;
}

/** `shomei operator …` and `shomei credential …`: the agency channel as CA staff see it (SPEC §3–§4). */
export function registerOperatorCommands<O extends object>(program: Command, kit: CliKit<O>): void {
  const { common } = kit;
  const cfg = (o: object) => kit.configFrom(o as O);

  const op = program.command('operator').description('operators (designated resellers, SPEC §3): designation, details, API keys');

  withActor(common(op.command('designate')))
    .description('designate an operator (AR 2); books the one-time contract fee unless --domain-designated or --ca-desk; prints the new operator id')
    .requiredOption('--name <name>', 'registered name of the operator')
    .requiredOption('--representative <name>', 'representative of the operator')
    .requiredOption('--contact-email <email>', 'e-mail of the primary contact (receives notices to relay, AR 11)')
    .option('--contact-name <name>', 'name of the primary contact')
    .option('--address <text>', 'registered address')
    .option('--acme-handling', 'the operator has filed the ACME-edition handling application (supplementary 3)')
    .option('--domain-designated', 'already designated for domain names: the contract fee is waived (supplementary 2)')
    .option('--ca-desk', "this is the CA's own reseller desk (AR 5; at most one; no contract fee)")
    .option('--json', 'print the operator as JSON')
    .action(async (o: DesignateOptions) => {
      const input: DesignateOperatorInput = {
        name: o.name,
        representative: o.representative,
        address: o.address,
        contacts: [o.contactName === undefined ? { email: o.contactEmail } : { email: o.contactEmail, name: o.contactName }],
        acmeHandling: o.acmeHandling === true,
        domainDesignated: o.domainDesignated === true,
        caDesk: o.caDesk === true,
      };
      await withRegistry(cfg(o), async ({ registry, config }) => {
        const view = await registry.designateOperator(input, actorFrom(o));
        if (o.json === true) return printJson(view);
        print(view.id);
        const waived = view.domainDesignated || view.caDesk;
        process.stderr.write(`designated ${view.name} (${view.id}); contract fee ${waived ? 'waived' : `of ${config.fees.contractFee} ${config.fees.currency} + tax booked`}\n`);
      });
    });

  common(op.command('list'))
    .description('list all operators')
    .option('--json', 'print a JSON array of operators')
    .action(async (o: Json) => {
      await withRegistry(cfg(o), async ({ registry }) => {
        const ops = await registry.listOperators();
        if (o.json === true) return printJson(ops);
        if (ops.length === 0) return print('no operators');
        print(
          table(
            ['ID', 'STATUS', 'ACME', 'DOMAIN', 'DESK', 'DESIGNATED', 'NAME'],
            ops.map((v) => [v.id, v.status, yesNo(v.acmeHandling), yesNo(v.domainDesignated), yesNo(v.caDesk), v.designatedAt.slice(0, 10), v.name]),
          ),
        );
      });
    });

  common(op.command('show'))
    .description("show one operator's registered details")
    .argument('<operatorId>', 'operator id (op_…)')
    .option('--json', 'print the operator as JSON')
    .action(async (id: string, o: Json) => {
      await withRegistry(cfg(o), async ({ registry }) => {
        const view = await registry.getOperator(id);
        if (o.json === true) return printJson(view);
        print(operatorText(view));
      });
    });

  withActor(common(op.command('update')))
    .description("record a change of an operator's registered details (AR 2); only the given fields change")
    .argument('<operatorId>', 'operator id (op_…)')
    .option('--name <name>', 'registered name')
    .option('--representative <name>', 'representative')
    .option('--address <text>', 'registered address')
    .option('--contact-email <email>', 'e-mail of the primary contact (other contacts are kept)')
    .option('--contact-name <name>', 'name of the primary contact')
    .option('--acme-handling <bool>', 'ACME-edition handling application filed: true|false', parseBool)
    .option('--domain-designated <bool>', 'designated for domain names: true|false (past fee lines do not change)', parseBool)
    .option('--json', 'print the updated operator as JSON')
    .action(async (id: string, o: UpdateOptions) => {
      const input: DesignateOperatorInput = {};
      if (o.name !== undefined) input.name = o.name;
      if (o.representative !== undefined) input.representative = o.representative;
      if (o.address !== undefined) input.address = o.address;
      if (o.acmeHandling !== undefined) input.acmeHandling = o.acmeHandling;
      if (o.domainDesignated !== undefined) input.domainDesignated = o.domainDesignated;
      const contactChange = o.contactEmail !== undefined || o.contactName !== undefined;
      if (Object.keys(input).length === 0 && !contactChange) throw new Error('nothing to update: give at least one of the options (see --help)');
      await withRegistry(cfg(o), async ({ registry }) => {
        if (contactChange) {
          const [primary, ...others] = (await registry.getOperator(id)).contacts;
          const first: OperatorContact = { ...(primary ?? { email: '' }) };
          if (o.contactEmail !== undefined) first.email = o.contactEmail;
          if (o.contactName !== undefined) first.name = o.contactName;
          input.contacts = [first, ...others];
        }
        const view = await registry.updateOperator(id, input, actorFrom(o));
        if (o.json === true) return printJson(view);
        print([`updated ${view.id}`, ...operatorText(view).slice(1)]);
      });
    });

  const key = op.command('key').description('operator API keys (AR 4): several may be active at once, so keys rotate without downtime');

  withActor(common(key.command('issue')))
    .description('issue an API key for an operator; the token is printed once and only its hash is stored')
    .argument('<operatorId>', 'operator id (op_…)')
    .option('--label <text>', 'a note stored with the key (e.g. which system uses it)')
    .option('--allow-cidr <cidr>', 'accept the key only from this address or CIDR (repeatable; default: anywhere)', collect)
    .option('--client-cert-sha256 <hex>', 'accept the key only with this TLS client certificate (SHA-256 fingerprint, hex, colons allowed)')
    .option('--json', 'print {"key": {...}, "token": "..."} on stdout (the warning goes to stderr)')
    .action(async (operatorId: string, o: KeyIssueOptions) => {
      await withRegistry(cfg(o), async ({ registry }) => {
        const { key: view, token } = await registry.issueOperatorApiKey(
          operatorId,
          { label: o.label, allowedCidrs: o.allowCidr, clientCertSha256: o.clientCertSha256 },
          actorFrom(o),
        );
        const warning = 'The token is shown only this once and is not stored (only its hash is): hand it to the operator over a secure channel now.';
        if (o.json === true) {
          printJson({ key: view, token });
          process.stderr.write(`${warning}\n`);
          return;
        }
        print([
          `API key ${view.id} issued for ${view.operatorId}${view.label === null ? '' : ` (${view.label})`}`,
          `  token:        ${token}`,
          `  allowed from: ${view.allowedCidrs.length === 0 ? 'anywhere' : view.allowedCidrs.join(', ')}`,
          `  client cert:  ${view.clientCertSha256 ?? 'any'}`,
          '',
          warning,
          'The operator sends it as: Authorization: Bearer <token>',
        ]);
      });
    });

  common(key.command('list'))
    .description("list an operator's API keys (never the secrets)")
    .argument('<operatorId>', 'operator id (op_…)')
    .option('--json', 'print a JSON array of keys')
    .action(async (operatorId: string, o: Json) => {
      await withRegistry(cfg(o), async ({ registry }) => {
        const keys = await registry.listOperatorApiKeys(operatorId);
        if (o.json === true) return printJson(keys);
        if (keys.length === 0) return print(`no API keys for ${operatorId}`);
        print(keyRows(keys));
      });
    });

  withActor(common(key.command('revoke')))
    .description("revoke one API key at once; the operator's other keys keep working")
    .argument('<operatorId>', 'operator id (op_…)')
    .argument('<keyId>', 'key id (ok_…)')
    .option('--json', 'print the revoked key as JSON')
    .action(async (operatorId: string, keyId: string, o: Json & ActorOptions) => {
      await withRegistry(cfg(o), async ({ registry }) => {
        const view = await registry.revokeOperatorApiKey(operatorId, keyId, actorFrom(o));
        if (o.json === true) return printJson(view);
        print(`revoked ${view.id} of ${view.operatorId} at ${view.revokedAt ?? '?'}`);
      });
    });

  const credential = program.command('credential').description("subscribers' ACME credentials (EAB, SPEC §4)");
  withActor(common(credential.command('compromised')))
    .description('credentials reported leaked (AT 5): revoke them and deactivate every ACME account bound with them; prints the deactivated account ids')
    .argument('<kid>', 'EAB key id')
    .option('--json', 'print {"credential": {...}, "deactivatedAccounts": [...]}')
    .action(async (kid: string, o: Json & ActorOptions) => {
      await withRegistry(cfg(o), async ({ registry }) => {
        const r = await registry.declareCompromised(kid, actorFrom(o));
        if (o.json === true) return printJson(r);
        process.stderr.write(
          `credentials ${kid} marked compromised at ${r.credential.compromisedAt ?? '?'} and revoked; ${r.deactivatedAccounts.length} account(s) deactivated` +
            (r.credential.subscriberId === null ? '\n' : ` — issue new credentials to subscriber ${r.credential.subscriberId} via its operator\n`),
        );
        for (const id of r.deactivatedAccounts) print(id);
      });
    });
}
