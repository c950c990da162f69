import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A database handle or a transaction: repository functions take either. */
export type Executor = Kysely<Database>;

export const iso = (d: Date): string => d.toISOString();
