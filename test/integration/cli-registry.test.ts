import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main.js';
import { localDateOf } from '../../src/core/calendar.js';
import { freshDatabaseUrl, type FreshDatabase } from '../support/database.js';
import { cliJson, cliOk, envWithoutShomei, runShomeiCli, type CliRun } from '../support/cli-runner.js';

const OPERATOR_TOKEN = /\bok_[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}\b/;
const ADMIN_TOKEN = /^at_[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/;

type Run = CliRun;

interface StatementJson {
  operatorId: string;
  month: string;
  currency: string;
  lines: { kind: string; unitPrice: number; tax: number; total: number; taxRatePercent: number }[];
  subtotal: number;
  tax: number;
  total: number;
  openingBalance: number;
  payments: { receivedOn: string; amount: number; reference: string | null }[];
  paymentsTotal: number;
  closingBalance: number;
}

/**
 * The CA-staff verbs as staff run them: the real `shomei` command in child
 * processes against one throwaway database (SQLite, or PostgreSQL with
 * SHOMEI_TEST_DB=postgres). Independent invocations run in parallel.
 */
describe('shomei CA-staff command line (operators, keys, fees, tokens, jobs)', () => {
  let db: FreshDatabase;
  let data: string;
  let env: NodeJS.ProcessEnv;
  let opA: string; // ACME handling, pays the contract fee
  let opB: string; // already designated for domain names: fee waived
  const month = () => localDateOf(new Date(), 'Asia/Tokyo').slice(0, 7);
  const today = () => localDateOf(new Date(), 'Asia/Tokyo');

  const shomei = (...args: string[]): Promise<Run> => runShomeiCli(env, args);

  const ok = cliOk;

  const json = cliJson;

  before(async () => {
    db = await freshDatabaseUrl();
    data = mkdtempSync(join(tmpdir(), 'shomei-cli-registry-'));
    // Only this test's settings: no SHOMEI_* from the caller's shell.
    const inherited = envWithoutShomei();
    env = {
      ...inherited,
      SHOMEI_DATA_DIR: data,
      SHOMEI_DATABASE_URL: db.url,
      SHOMEI_TIME_ZONE: 'Asia/Tokyo',
      SHOMEI_LOG_LEVEL: 'warn',
      USER: 'test-staff',
    };
    // The first run creates the schema alone; later ones may run side by side.
    const a = json<{ id: string; acmeHandling: boolean; contacts: { email: string; name?: string }[] }>(
      await shomei('operator', 'designate', '--name', 'Alpha Reseller K.K.', '--representative', 'Taro Alpha', '--contact-email', 'ops@alpha.example', '--contact-name', 'Hanako', '--acme-handling', '--json'),
    );
    assert.match(a.id, /^op_/);
    assert.equal(a.acmeHandling, true);
    assert.deepEqual(a.contacts, [{ email: 'ops@alpha.example', name: 'Hanako' }]);
    opA = a.id;
  });

  after(async () => {
    rmSync(data, { recursive: true, force: true });
    await db?.cleanup();
  });

  test('every verb has a description, and every leaf verb the --config/--data options', () => {
    const walk = (c: Command, path: string[]): void => {
      const name = [...path, c.name()].join(' ');
      assert.notEqual(c.description(), '', `${name} has no description`);
      if (c.commands.length === 0) {
        const flags = c.options.map((o) => o.long);
        assert.ok(flags.includes('--config') && flags.includes('--data'), `${name} lacks --config/--data`);
      }
      for (const sub of c.commands) walk(sub, [...path, c.name()]);
    };
    const program = buildProgram();
    walk(program, []);
    const verbs = new Set(program.commands.map((c) => c.name()));
    for (const v of ['start', 'eab', 'operator', 'statement', 'payment', 'credential', 'admin-token', 'jobs']) assert.ok(verbs.has(v), `no ${v} verb`);
    const op = program.commands.find((c) => c.name() === 'operator') as Command;
    // Other verb files add governance and termination verbs to `operator` (src/cli/governance.ts, termination.ts).
    for (const v of ['designate', 'key', 'list', 'show', 'update', 'suspend', 'suspend-now', 'lift', 'standing']) assert.ok(op.commands.some((c) => c.name() === v), `no operator ${v} verb`);
  });

  test('designation books the contract fee (250,000 + 10 % tax) unless domain-designated; keys are issued once, listed without secrets, revoked; payments move the balance', async () => {
    const [designatedB, before, issued, shown, badMonth, unknownOp, badBool] = await Promise.all([
      shomei('operator', 'designate', '--name', 'Beta Domains', '--representative', 'Jiro Beta', '--contact-email', 'desk@beta.example', '--domain-designated'),
      shomei('statement', opA, month(), '--json'),
      shomei('operator', 'key', 'issue', opA, '--label', 'primary', '--allow-cidr', '192.0.2.0/24', '--allow-cidr', '2001:db8::/32'),
      shomei('operator', 'show', opA),
      shomei('statement', opA, '2026-13'),
      shomei('statement', 'op_doesnotexist', month()),
      shomei('operator', 'update', opA, '--acme-handling', 'maybe'),
    ]);

    // Text mode prints the bare id on stdout (scriptable), the summary on stderr.
    opB = ok(designatedB).stdout.trim();
    assert.match(opB, /^op_[A-Za-z0-9_-]{12}$/);
    assert.match(designatedB.stderr, /fee waived/);

    const s0 = json<StatementJson>(before);
    assert.equal(s0.operatorId, opA);
    assert.equal(s0.month, month());
    assert.equal(s0.currency, 'JPY');
    assert.deepEqual(
      s0.lines.map((l) => [l.kind, l.unitPrice, l.tax, l.total, l.taxRatePercent]),
      [['contract', 250000, 25000, 275000, 10]],
    );
    assert.equal(s0.total, 275000);
    assert.equal(s0.openingBalance, 0);
    assert.equal(s0.closingBalance, 275000);

    ok(issued);
    const token = OPERATOR_TOKEN.exec(issued.stdout)?.[0];
    assert.ok(token, issued.stdout);
    assert.equal(issued.stdout.split(token).length, 2, 'the token is printed exactly once');
    assert.match(issued.stdout, /shown only this once and is not stored/);
    const [keyId, secret] = token.split('.') as [string, string];

    assert.match(ok(shown).stdout, new RegExp(`id:\\s+${opA}`));
    assert.match(shown.stdout, /ACME handling:\s+yes/);
    assert.match(shown.stdout, /Hanako <ops@alpha\.example>/);

    assert.equal(badMonth.status, 1);
    assert.match(badMonth.stderr, /^shomei: month must be YYYY-MM, got "2026-13"$/m);
    assert.equal(badMonth.stdout, '');
    assert.equal(unknownOp.status, 1);
    assert.match(unknownOp.stderr, /^shomei: No such operator$/m);
    assert.equal(badBool.status, 1);
    assert.match(badBool.stderr, /--acme-handling.*expected true or false/);

    const [statementB, revoked, paid, updated] = await Promise.all([
      shomei('statement', opB, month(), '--json'),
      shomei('operator', 'key', 'revoke', opA, keyId, '--json', '--actor', 'keymaster'),
      shomei('payment', 'record', opA, '--amount', '100000', '--received-on', today(), '--reference', 'transfer 0001', '--json'),
      shomei('operator', 'update', opA, '--domain-designated', 'true', '--contact-email', 'new@alpha.example', '--json'),
    ]);
    const sB = json<StatementJson>(statementB);
    assert.deepEqual(sB.lines, [], 'no contract fee for an operator already designated for domain names');
    assert.equal(sB.closingBalance, 0);

    const rv = json<{ id: string; revokedAt: string | null }>(revoked);
    assert.equal(rv.id, keyId);
    assert.ok(rv.revokedAt !== null && !Number.isNaN(Date.parse(rv.revokedAt)));

    const p = json<{ id: string; amount: number; receivedOn: string; reference: string; operatorId: string }>(paid);
    assert.deepEqual([p.operatorId, p.amount, p.receivedOn, p.reference], [opA, 100000, today(), 'transfer 0001']);
    assert.match(p.id, /^pay_/);

    const u = json<{ domainDesignated: boolean; acmeHandling: boolean; contacts: { email: string; name?: string }[] }>(updated);
    assert.equal(u.domainDesignated, true);
    assert.equal(u.acmeHandling, true, 'fields not given are unchanged');
    assert.deepEqual(u.contacts, [{ email: 'new@alpha.example', name: 'Hanako' }], 'the primary contact keeps its name');

    const [keys, after, text, csv, badAmount] = await Promise.all([
      shomei('operator', 'key', 'list', opA, '--json'),
      shomei('statement', opA, month(), '--json'),
      shomei('statement', opA, month()),
      shomei('statement', opA, month(), '--csv'),
      shomei('payment', 'record', opA, '--amount', '12abc', '--received-on', today()),
    ]);
    assert.ok(!keys.stdout.includes(secret), 'the secret is never listed');
    const listed = json<{ id: string; label: string; allowedCidrs: string[]; revokedAt: string | null; createdBy: string }[]>(keys);
    assert.equal(listed.length, 1);
    assert.deepEqual([listed[0]?.id, listed[0]?.label, listed[0]?.allowedCidrs, listed[0]?.revokedAt], [keyId, 'primary', ['192.0.2.0/24', '2001:db8::/32'], rv.revokedAt]);
    assert.equal(listed[0]?.createdBy, 'admin:test-staff', 'the actor defaults to $USER');

    const s1 = json<StatementJson>(after);
    assert.equal(s1.total, 275000, 'the contract fee is never refunded or changed by a later flag');
    assert.equal(s1.paymentsTotal, 100000);
    assert.deepEqual(s1.payments, [{ receivedOn: today(), amount: 100000, reference: 'transfer 0001' }]);
    assert.equal(s1.closingBalance, 175000);

    assert.match(ok(text).stdout, /contract .*250,000 JPY .*25,000 JPY .*275,000 JPY/);
    assert.match(text.stdout, /closing balance\s+175,000 JPY owed/);
    assert.match(ok(csv).stdout, /^date,kind,fqdn,/);
    assert.match(csv.stdout, new RegExp(`${month()},closing_balance,,,,,,,,,,175000,JPY\r\n`));

    assert.equal(badAmount.status, 1);
    assert.match(badAmount.stderr, /^shomei: amount must be a positive whole number$/m);
  });

  test('admin tokens: created once, listed without secrets, revoked; compromised credentials; jobs run under the lease', async () => {
    const [created, eab, jobs, list0] = await Promise.all([
      shomei('admin-token', 'create', 'alice@ca', '--json', '--actor', 'root-admin'),
      shomei('eab', 'create', '--json', '--label', 'leaked'),
      shomei('jobs', 'run', 'usage-lifecycle', '--json'),
      shomei('operator', 'list', '--json'),
    ]);
    const at = json<{ token: string; view: { id: string; name: string; createdBy: string } }>(created);
    assert.match(at.token, ADMIN_TOKEN);
    assert.ok(at.token.startsWith(`${at.view.id}.`));
    assert.equal(at.view.createdBy, 'admin:root-admin');
    assert.match(created.stderr, /shown only this once/);

    const outcomes = json<{ job: string; ran: boolean; result: { day: string }[] }[]>(jobs);
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]?.job, 'usage-lifecycle');
    assert.equal(outcomes[0]?.ran, true);
    assert.deepEqual(outcomes[0]?.result.map((r) => r.day), [today()]);

    const ops = json<{ id: string }[]>(list0);
    assert.deepEqual(ops.map((o) => o.id).sort(), [opA, opB].sort());

    const { kid } = json<{ kid: string }>(eab);
    const [list, compromised] = await Promise.all([shomei('admin-token', 'list', '--json'), shomei('credential', 'compromised', kid, '--json')]);
    const secret = at.token.split('.')[1] as string;
    assert.ok(!list.stdout.includes(secret), 'the admin token secret is never listed');
    assert.deepEqual(
      json<{ id: string; name: string; revokedAt: string | null }[]>(list).map((t) => [t.id, t.name, t.revokedAt]),
      [[at.view.id, 'alice@ca', null]],
    );
    const c = json<{ credential: { kid: string; revokedAt: string | null; compromisedAt: string | null }; deactivatedAccounts: string[] }>(compromised);
    assert.equal(c.credential.kid, kid);
    assert.ok(c.credential.revokedAt !== null && c.credential.compromisedAt !== null);
    assert.deepEqual(c.deactivatedAccounts, []);

    const [revoked, again] = await Promise.all([shomei('admin-token', 'revoke', at.view.id), shomei('credential', 'compromised', kid)]);
    assert.match(ok(revoked).stdout, new RegExp(`revoked ${at.view.id}`));
    assert.equal(again.status, 1);
    assert.match(again.stderr, /^shomei: The credentials are already marked compromised$/m);

    assert.match(ok(await shomei('admin-token', 'list')).stdout, new RegExp(`${at.view.id}\\s+alice@ca\\s+revoked `));
  });
});
