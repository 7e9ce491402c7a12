#!/usr/bin/env node
// The `turbine` command: a thin launcher for the compiled CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('turbine: dist/ is missing; run `npm run build` in the turbine-queue package first');
  process.exit(1);
}
const { main } = await import(cli.href);
await main(process.argv);
