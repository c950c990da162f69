import type { Executor } from './executor.js';

/**
 * Take or renew the lease on job `name` until `untilIso`: succeeds when nobody
 * holds it, the holder is `holder` itself, or the previous lease ran out.
 * One statement, so two instances racing for it cannot both win.
 */
export async function tryAcquireJobLease(db: Executor, name: string, holder: string, nowIso: string, untilIso: string): Promise<boolean> {
  await db
    .insertInto('job_leases')
    .values({ name, holder, expires_at: untilIso })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires_at: untilIso })
        .where((eb) => eb.or([eb('job_leases.holder', '=', holder), eb('job_leases.expires_at', '<', nowIso)])),
    )
    .execute();
  const row = await db.selectFrom('job_leases').select(['holder', 'expires_at']).where('name', '=', name).executeTakeFirst();
  return row?.holder === holder && row.expires_at === untilIso;
}

export async function releaseJobLease(db: Executor, name: string, holder: string): Promise<void> {
  await db.deleteFrom('job_leases').where('name', '=', name).where('holder', '=', holder).execute();
}

export async function getJobProgress(db: Executor, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('job_progress').select('last_completed').where('name', '=', name).executeTakeFirst();
  return row?.last_completed;
}

export async function setJobProgress(db: Executor, name: string, lastCompleted: string, nowIso: string): Promise<void> {
  await db
    .insertInto('job_progress')
    .values({ name, last_completed: lastCompleted, updated_at: nowIso })
    .onConflict((oc) => oc.column('name').doUpdateSet({ last_completed: lastCompleted, updated_at: nowIso }))
    .execute();
}
