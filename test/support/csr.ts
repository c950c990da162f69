import acme from 'acme-client';

/** A PKCS#10 CSR (base64url DER) for `names`, with a fresh key of the given type. */
export async function makeCsr(
  names: string[],
  keyType: 'P-256' | 'P-384' | 'RSA-2048' = 'P-256',
  keyPem?: Buffer,
): Promise<{ csrB64u: string; keyPem: Buffer; csrPem: Buffer }> {
  const key =
    keyPem ?? (keyType === 'RSA-2048' ? await acme.crypto.createPrivateRsaKey(2048) : await acme.crypto.createPrivateEcdsaKey(keyType));
  const [, csr] = await acme.crypto.createCsr({ altNames: names }, key);
  return { csrB64u: acme.crypto.getPemBodyAsB64u(csr), keyPem: key, csrPem: csr };
}
