import { InvalidArgumentError, type Command } from 'commander';
import type { CorrectionNoticeView } from '../registry/correction-notices.js';
import type { OperatorStanding, SuspensionView } from '../registry/suspensions.js';
import { actorFrom, print, printJson, table, withActor, withRegistry, type ActorOptions, type CliKit } from './registry-session.js';

type Json = { json?: boolean };

function wholeDays(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number of days');
  return Number(value);
}

function suspensionText(s: SuspensionView): string[] {
  return [
    `suspension ${s.id} (${s.kind}) — ${s.state}`,
    `  from ${s.startsAt} ${s.endsAt === null ? 'until corrected' : `until ${s.endsAt}`}`,
    `  reason: ${s.reason}`,
    ...(s.noticeId === null ? [] : [`  for correction notice ${s.noticeId}`]),
    ...(s.liftedAt === null ? [] : [`  lifted at ${s.liftedAt} by ${s.liftedBy ?? '-'}${s.liftNote === null ? '' : `: ${s.liftNote}`}`]),
  ];
}

function noticeText(n: CorrectionNoticeView): string[] {
  return [
    `correction notice ${n.id} — ${n.status}`,
    `  ground: ${n.ground}; issued ${n.issuedAt}; ${n.correctionDays} days, through ${n.lastDay} (deadline ${n.deadline})`,
    `  detail: ${n.detail}`,
    ...(n.resolvedAt === null ? [] : [`  resolved at ${n.resolvedAt} by ${n.resolvedBy ?? '-'}${n.resolutionNote === null ? '' : `: ${n.resolutionNote}`}`]),
  ];
}

function standingText(s: OperatorStanding): string[] {
  const u = s.unreachable;
  return [
    `operator ${s.operatorId} (${s.operatorName}) at ${s.at}`,
    `  suspended: ${s.suspension === null ? 'no' : `yes — ${s.suspension.id} (${s.suspension.kind}) since ${s.suspension.startsAt} ${s.suspension.endsAt === null ? 'until corrected' : `until ${s.suspension.endsAt}`}`}`,
    ...s.scheduled.map((x) => `  scheduled: ${x.id} from ${x.startsAt} ${x.endsAt === null ? 'until corrected' : `until ${x.endsAt}`}`),
    `  unreachable: ${u.unreachableSince === null ? 'no' : `since ${u.unreachableSince} (${u.unreachableDays} days${u.flagged ? `, FLAGGED: ≥ ${u.thresholdDays} days` : ''})`}`,
    `  open correction notices: ${s.openNotices.length === 0 ? 'none' : s.openNotices.map((n) => `${n.id} (${n.ground}, ${n.status}, deadline ${n.deadline})`).join('; ')}`,
    ...(s.accessRefused === null ? [] : [`  operator API access refused: ${s.accessRefused}`]),
  ];
}

/**
 * `shomei operator contact-attempt | correction-notice … | suspend | suspend-now | lift | suspensions | standing`:
 * operator governance (SPEC §8; AR 16–17), the command-line twin of the admin API's governance routes.
 */
export function registerGovernanceCommands<O extends object>(program: Command, kit: CliKit<O>): void {
  const { common } = kit;
  const cfg = (o: object) => kit.configFrom(o as O);
  const op = program.commands.find((c) => c.name() === 'operator') ?? program.command('operator').description('operators (designated resellers, SPEC §3)');

  withActor(common(op.command('contact-attempt')))
    .description('record an attempt to reach the operator (AR 16: unreachable for 21+ days is a ground for a correction notice)')
    .argument('<operatorId>', 'operator id (op_…)')
    .requiredOption('--method <method>', 'email, phone, post, visit or other')
    .requiredOption('--outcome <outcome>', 'reached or unreachable')
    .option('--at <time>', 'when the attempt was made (RFC 3339; default now)')
    .option('--note <text>', 'what happened')
    .option('--json', 'print JSON')
    .action(async (operatorId: string, o: ActorOptions & Json & { method: string; outcome: string; at?: string; note?: string }) => {
      await withRegistry(cfg(o), async (s) => {
        const r = await s.registry.recordContactAttempt(operatorId, { method: o.method, outcome: o.outcome, attemptedAt: o.at, note: o.note }, actorFrom(o));
        if (o.json === true) return printJson(r);
        const u = r.reachability;
        print([`recorded ${r.attempt.id}: ${r.attempt.method} at ${r.attempt.attemptedAt} — ${r.attempt.outcome}`, `unreachable: ${u.unreachableSince === null ? 'no' : `since ${u.unreachableSince} (${u.unreachableDays} days${u.flagged ? ', FLAGGED' : ''})`}`]);
      });
    });

  const cn = op.command('correction-notice').description('correction notices (AR 16): a correction period of at least 30 days before any suspension');
  withActor(common(cn.command('issue')))
    .description('issue a correction notice; the period runs through local day issue date + N (CA time zone)')
    .argument('<operatorId>', 'operator id (op_…)')
    .requiredOption('--ground <ground>', 'material-breach, unpaid-fees, adverse-change or contact-unreachable')
    .requiredOption('--detail <text>', 'what must be corrected')
    .option('--days <n>', 'correction period in days (at least 30; default governance.defaultCorrectionDays)', wholeDays)
    .option('--json', 'print JSON')
    .action(async (operatorId: string, o: ActorOptions & Json & { ground: string; detail: string; days?: number }) => {
      await withRegistry(cfg(o), async (s) => {
        const n = await s.registry.issueCorrectionNotice(operatorId, { ground: o.ground, detail: o.detail, correctionDays: o.days }, actorFrom(o));
        if (o.json === true) return printJson(n);
        print(noticeText(n));
      });
    });
  common(cn.command('list'))
    .description("list the operator's correction notices")
    .argument('<operatorId>', 'operator id (op_…)')
    .option('--status <status>', 'open, corrected, suspended or withdrawn')
    .option('--json', 'print JSON')
    .action(async (operatorId: string, o: Json & { status?: string }) => {
      await withRegistry(cfg(o), async (s) => {
        const list = await s.registry.listCorrectionNotices({ operatorId, status: o.status });
        if (o.json === true) return printJson(list);
        print(table(['NOTICE', 'STATUS', 'GROUND', 'ISSUED', 'DAYS', 'DEADLINE'], list.map((n) => [n.id, n.status, n.ground, n.issuedAt, String(n.correctionDays), n.deadline])));
      });
    });
  for (const resolution of ['corrected', 'withdrawn'] as const) {
    withActor(common(cn.command(resolution)))
      .description(resolution === 'corrected' ? 'mark a notice corrected (lifts the suspensions imposed for it)' : 'withdraw an open notice')
      .argument('<operatorId>', 'operator id (op_…)')
      .argument('<noticeId>', 'notice id (cn_…)')
      .option('--note <text>', 'note kept with the notice')
      .option('--json', 'print JSON')
      .action(async (operatorId: string, noticeId: string, o: ActorOptions & Json & { note?: string }) => {
        await withRegistry(cfg(o), async (s) => {
          const n = await s.registry.resolveCorrectionNotice(operatorId, noticeId, resolution, { note: o.note }, actorFrom(o));
          if (o.json === true) return printJson(n);
          print(noticeText(n));
        });
      });
  }

  withActor(common(op.command('suspend')))
    .description('suspend the operator (AR 16): its applications are refused, unstarted usage FQDNs cannot start, expiry dates within the suspension end the usage')
    .argument('<operatorId>', 'operator id (op_…)')
    .requiredOption('--reason <text>', 'why (sent to the operator)')
    .option('--starts-at <time>', 'RFC 3339 (default now)')
    .option('--ends-at <time>', 'RFC 3339 (default: until corrected)')
    .option('--notice <noticeId>', 'the correction notice (open, past its deadline) this follows')
    .option('--json', 'print JSON')
    .action(async (operatorId: string, o: ActorOptions & Json & { reason: string; startsAt?: string; endsAt?: string; notice?: string }) => {
      await withRegistry(cfg(o), async (s) => {
        const v = await s.registry.suspendOperator(operatorId, { reason: o.reason, startsAt: o.startsAt, endsAt: o.endsAt, noticeId: o.notice }, actorFrom(o));
        if (o.json === true) return printJson(v);
        print(suspensionText(v));
      });
    });

  withActor(common(op.command('suspend-now')))
    .description('immediate suspension (AR 17): revoke every API key of the operator at once and refuse all its API calls until lifted')
    .argument('<operatorId>', 'operator id (op_…)')
    .requiredOption('--reason <text>', 'why (sent to the operator)')
    .option('--json', 'print JSON')
    .action(async (operatorId: string, o: ActorOptions & Json & { reason: string }) => {
      await withRegistry(cfg(o), async (s) => {
        const v = await s.registry.suspendImmediately(operatorId, { reason: o.reason }, actorFrom(o));
        if (o.json === true) return printJson(v);
        print([...suspensionText(v), `  API keys revoked: ${v.keysRevoked}`]);
      });
    });

  withActor(common(op.command('lift')))
    .description('lift a suspension now (after confirming the fix); revoked API keys stay revoked — issue new ones with `shomei operator key issue`')
    .argument('<operatorId>', 'operator id (op_…)')
    .argument('<suspensionId>', 'suspension id (susp_…)')
    .option('--note <text>', 'what was confirmed')
    .option('--json', 'print JSON')
    .action(async (operatorId: string, suspensionId: string, o: ActorOptions & Json & { note?: string }) => {
      await withRegistry(cfg(o), async (s) => {
        const v = await s.registry.liftSuspension(operatorId, suspensionId, { note: o.note }, actorFrom(o));
        if (o.json === true) return printJson(v);
        print(suspensionText(v));
      });
    });

  common(op.command('suspensions'))
    .description("list the operator's suspensions")
    .argument('<operatorId>', 'operator id (op_…)')
    .option('--json', 'print JSON')
    .action(async (operatorId: string, o: Json) => {
      await withRegistry(cfg(o), async (s) => {
        const list = await s.registry.listSuspensions(operatorId);
        if (o.json === true) return printJson(list);
        print(table(['SUSPENSION', 'KIND', 'STATE', 'STARTS', 'ENDS', 'REASON'], list.map((x) => [x.id, x.kind, x.state, x.startsAt, x.endsAt ?? 'until corrected', x.reason])));
      });
    });

  common(op.command('standing'))
    .description("an operator's standing (suspension, unreachable flag, open notices); without an id, every operator's")
    .argument('[operatorId]', 'operator id (op_…)')
    .option('--unreachable', 'only operators flagged unreachable')
    .option('--suspended', 'only operators suspended now')
    .option('--json', 'print JSON')
    .action(async (operatorId: string | undefined, o: Json & { unreachable?: boolean; suspended?: boolean }) => {
      await withRegistry(cfg(o), async (s) => {
        const list = operatorId !== undefined ? [await s.registry.operatorStanding(operatorId)] : await s.registry.listOperatorStandings({ unreachable: o.unreachable, suspended: o.suspended });
        if (o.json === true) return printJson(operatorId !== undefined ? list[0] : list);
        print(list.length === 0 ? ['no operator matches'] : list.flatMap(standingText));
      });
    });
}
