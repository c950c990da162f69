import type { Handler } from '../context.js';

/** RFC 8555 §7.1.1: the directory, fetched with a plain GET. */
export const directory: Handler = async (ctx, _req, reply) => {
  const u = ctx.urls;
  reply.header('Cache-Control', 'public, max-age=0, no-cache');
  return {
    newNonce: u.newNonce,
    newAccount: u.newAccount,
    newOrder: u.newOrder,
    revokeCert: u.revokeCert,
    keyChange: u.keyChange,
    renewalInfo: u.renewalInfo,
    meta: {
      // AT 21: the terms version in force now; the configured URL until a version is published.
      termsOfService: (await ctx.schedule.currentTerms())?.url ?? ctx.config.acme.termsOfService,
      website: ctx.config.acme.website,
      caaIdentities: ctx.config.acme.caaIdentities,
      externalAccountRequired: true,
    },
  };
};
