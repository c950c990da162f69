export { openDatabase, type Db, type Dialect } from './database.js';
export { StorageAuthority, isUniqueViolation, type Repositories } from './storage-authority.js';
export type * from './schema.js';
export type { ManagedCertificateRow } from './certificate-links.repository.js';
export type { AuditEvent } from './audit.repository.js';
export { isTransientDatabaseError } from './transient-errors.js';
export type { CertificateWithOperator } from './blocked-keys.repository.js';
export type { RevocationSelection } from './revocation-jobs.repository.js';
