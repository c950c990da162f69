#!/usr/bin/env node
// The `shomei` command. Runs the compiled CLI (built by `npm ci` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('shomei: not built yet — run `npm ci` (or `npm run build`) in the checkout first\n');
  process.exit(1);
}
const { main } = await import(entry);
await main(process.argv);
