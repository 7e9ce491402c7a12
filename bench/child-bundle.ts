/**
 * Compiles bench/child.ts and the adapters it loads to plain JavaScript (the entry, and one chunk
 * per adapter), so measured processes run on bare Node, as users run their workers. Under
 * `--import tsx`, every ES module a child loads also passes through the loader hooks' own thread,
 * whose memory grows with the number of modules: that penalised libraries shipped as many ES
 * modules (Turbine's dist/ was ~130 files then; it is a bundle now) against CommonJS ones in
 * every RSS figure, by ~7 MB.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const OUT_DIR = fileURLToPath(new URL('./.build/', import.meta.url));
/** Same depth as bench/systems/, so the adapters' relative paths to dist/ still hold. */
export const CHILD_BUNDLE = `${OUT_DIR}child.js`;

export async function bundleChild(): Promise<void> {
  rmSync(OUT_DIR, { recursive: true, force: true });
  await build({
    entryPoints: [fileURLToPath(new URL('./child.ts', import.meta.url))],
    outdir: OUT_DIR,
    bundle: true,
    // Each adapter in its own chunk, loaded on demand: a child loads one queue library only.
    splitting: true,
    // Queue libraries load from node_modules exactly as published.
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  });
}
