import { Option, type Command } from 'commander';
import type { Logger } from 'pino';
import { masterKeyPath, openStorage } from '../app.js';
import { systemClock, type Clock } from '../core/clock.js';
import { createLogger } from '../core/logger.js';
import { SecretBox } from '../core/secret-box.js';
import type { Config } from '../config/schema.js';
import { Registry } from '../registry/registry.js';
import type { Actor } from '../registry/types.js';
import type { StorageAuthority } from '../sa/index.js';

/** What a CA-staff CLI verb works with: the registry over the configured database. */
export interface RegistrySession {
  config: Config;
  registry: Registry;
  sa: StorageAuthority;
  clock: Clock;
  logger: Logger;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/**
 * A CLI verb is a short, quiet process: stdout carries its answer (often
 * JSON), so the log goes to stderr and only at `warn` or above — or not at all
 * when the configuration says `silent`.
 */
function cliLogger(config: Config): Logger {
  const configured = LEVELS.indexOf(config.log.level);
  const level = configured > LEVELS.indexOf('warn') ? config.log.level : 'warn';
  return createLogger(level, process.stderr);
}

/** Open storage, build a `Registry`, run `fn`, and always close the database. */
export async function withRegistry<T>(config: Config, fn: (s: RegistrySession) => Promise<T>): Promise<T> {
  const box = SecretBox.fromFile(masterKeyPath(config));
  const sa = await openStorage(config);
  try {
    const logger = cliLogger(config);
    const clock = systemClock;
    const registry = new Registry({ config, clock, sa, box, logger });
    return await fn({ config, registry, sa, clock, logger });
  } finally {
    await sa.close();
  }
}

/** What main.ts lends the verb files: its shared options and how it turns them into a Config. */
export interface CliKit<O = object> {
  common(cmd: Command): Command;
  configFrom(opts: O): Config;
}

export interface ActorOptions {
  actor?: string;
}

/** `--actor <name>`: the staff member recorded in the audit trail. */
export function withActor(cmd: Command): Command {
  return cmd.addOption(
    new Option('--actor <name>', 'staff member recorded in the audit trail as admin:<name>').default(defaultActorName(), '$USER or "cli"'),
  );
}

function defaultActorName(): string {
  const user = process.env['USER'];
  return user !== undefined && user.trim() !== '' ? user.trim() : 'cli';
}

export function actorFrom(o: ActorOptions): Actor & { kind: 'admin' } {
  const name = (o.actor ?? defaultActorName()).trim();
  if (name === '') throw new Error('--actor must not be empty');
  return { kind: 'admin', name };
}

/** One line of JSON and nothing else on stdout (like `eab create --json`). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

export function print(lines: string | string[]): void {
  process.stdout.write((Array.isArray(lines) ? lines.join('\n') : lines) + '\n');
}

/** Tab-free aligned columns for human-readable lists. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}

/** An amount in whole currency units with thousands separators: `275,000 JPY`. */
export function money(amount: number, currency: string): string {
  return `${amount.toLocaleString('en-US')} ${currency}`;
}
