/** The CT client: submission to RFC 6962 logs and the SCT policy (docs/architecture.md "Certificate Transparency"). */
export { createCtSubmitter, type CtSubmitter, type CtSubmitterOptions } from './submitter.js';
export { externalLogDescriptors } from './external-logs.js';
export { chooseScts, logAcceptsNotAfter, policyShortfall, type CtPolicy } from './sct-policy.js';
export { CtLogFailure } from './post-chain.js';
export { MAX_SCT_FUTURE_SKEW_MS } from './check-sct.js';
