// Runs the real `shomei` command (src/cli/main.ts through tsx) in a child
// process, as CA staff would, and collects its exit status and output.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run `shomei <args…>` with exactly `env`; killed after `timeoutMs`. */
export function runShomeiCli(env: NodeJS.ProcessEnv, args: string[], timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Assert exit status 0 and return the run. */
export function cliOk(r: CliRun): CliRun {
  assert.equal(r.status, 0, `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

/** Assert the command failed (exit 1) with a message matching `message` on stderr. */
export function cliFailed(r: CliRun, message: RegExp): void {
  assert.equal(r.status, 1, `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.match(r.stderr, message);
}

/** Assert success and parse stdout as JSON. */
export function cliJson<T>(r: CliRun): T {
  return JSON.parse(cliOk(r).stdout) as T;
}

/** The caller's environment without any SHOMEI_* setting (test switches SHOMEI_TEST_* kept). */
export function envWithoutShomei(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SHOMEI_') || k.startsWith('SHOMEI_TEST_')));
}
