import type { JobRunner } from '../../jobs/job-runner.js';
import type { Registry } from '../../registry/registry.js';
import type { Actor } from '../../registry/types.js';
import type { StorageAuthority } from '../../sa/index.js';

export type AdminPrincipal = Actor & { kind: 'admin' };

export interface AdminApiContext {
  registry: Registry;
  sa: StorageAuthority;
  jobs: JobRunner;
}
