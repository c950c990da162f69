import { ShomeiError } from '../../core/errors.js';
import { toPem } from '../../ca/pem.js';
import { authenticated, type Handler } from '../context.js';

/**
 * RFC 8555 §7.4.2: the certificate chain (leaf + issuing intermediate) as
 * application/pem-certificate-chain, by POST-as-GET. Certificates are public,
 * so any valid account may fetch any of this CA's certificates.
 */
export const certificate: Handler = async (ctx, req, reply) => {
  const r = await authenticated(ctx, req, 'kid');
  if (r.payload !== null) throw new ShomeiError('malformed', 'Certificates are read with POST-as-GET (empty payload)');
  const { serial } = req.params as { serial: string };
  const row = /^[0-9a-f]{2,64}$/.test(serial) ? await ctx.sa.repos.getCertificate(serial) : undefined;
  if (!row) throw new ShomeiError('notFound', 'No such certificate');
  const leaf = toPem('CERTIFICATE', Buffer.from(row.der, 'base64'));
  reply.header('Content-Type', 'application/pem-certificate-chain');
  return reply.send(leaf + ctx.ca.intermediatePem());
};
