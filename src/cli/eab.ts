import { masterKeyPath, openStorage } from '../app.js';
import { createEabCredentials, revokeEabCredentials } from '../admin/eab.js';
import { systemClock } from '../core/clock.js';
import { SecretBox } from '../core/secret-box.js';
import type { Config } from '../config/schema.js';

/** `shomei eab create`: mint credentials against the configured database. */
export async function runEabCreate(config: Config, o: { json?: boolean; label?: string }): Promise<void> {
  const sa = await openStorage(config);
  try {
    const box = SecretBox.fromFile(masterKeyPath(config));
    const creds = await createEabCredentials({ sa, box, clock: systemClock }, o.label === undefined ? {} : { label: o.label });
    if (o.json === true) {
      process.stdout.write(JSON.stringify(creds) + '\n');
      return;
    }
    process.stdout.write(
      [
        'EAB credentials (the HMAC key is shown only this once):',
        `  kid:      ${creds.kid}`,
        `  hmac key: ${creds.hmacKey}`,
        '',
        'certbot: --eab-kid ' + creds.kid + ' --eab-hmac-key ' + creds.hmacKey,
        'lego:    --eab --kid ' + creds.kid + ' --hmac ' + creds.hmacKey,
        '',
      ].join('\n'),
    );
  } finally {
    await sa.close();
  }
}

export async function runEabList(config: Config, o: { json?: boolean }): Promise<void> {
  const sa = await openStorage(config);
  try {
    const rows = (await sa.repos.listEabKeys()).map((r) => ({
      kid: r.kid,
      label: r.label,
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
    }));
    if (o.json === true) process.stdout.write(JSON.stringify(rows) + '\n');
    else for (const r of rows) process.stdout.write(`${r.kid}\t${r.createdAt}\t${r.revokedAt ? `revoked ${r.revokedAt}` : 'active'}\t${r.label ?? ''}\n`);
  } finally {
    await sa.close();
  }
}

export async function runEabRevoke(config: Config, kid: string): Promise<void> {
  const sa = await openStorage(config);
  try {
    const done = await revokeEabCredentials({ sa, clock: systemClock }, kid);
    if (!done) throw new Error(`no active EAB credentials with kid ${kid}`);
    process.stdout.write(`revoked ${kid}\n`);
  } finally {
    await sa.close();
  }
}
