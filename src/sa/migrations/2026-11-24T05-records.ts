import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Records (SPEC §11, AR 10, BR 5.4.4 "protection of audit logs"): the
 * database itself refuses to change an audit event, and refuses to delete
 * one unless it lies at or below the chain anchor — which only the retention
 * purge moves, in the same transaction (src/sa/records.repository.ts
 * `purgeAuditPrefix`). Someone with DDL rights can still drop the triggers;
 * the hash chain is what detects that kind of tampering.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`
      create function shomei_audit_events_guard() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          raise exception 'audit events cannot be changed (SPEC 11)' using errcode = 'P0001';
        end if;
        if old.seq > (select anchor_seq from audit_chain where id = 1) then
          raise exception 'audit event % is inside its retention period and cannot be deleted (SPEC 11)', old.seq using errcode = 'P0001';
        end if;
        return old;
      end
      $$`.execute(db);
    await sql`
      create trigger audit_events_guard before update or delete on audit_events
      for each row execute function shomei_audit_events_guard()`.execute(db);
    return;
  }
  await sql`
    create trigger audit_events_no_update before update on audit_events
    begin
      select raise(abort, 'audit events cannot be changed (SPEC 11)');
    end`.execute(db);
  await sql`
    create trigger audit_events_no_delete before delete on audit_events
    when old.seq > (select anchor_seq from audit_chain where id = 1)
    begin
      select raise(abort, 'audit event is inside its retention period and cannot be deleted (SPEC 11)');
    end`.execute(db);
}
