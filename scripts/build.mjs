// Builds dist/: the library and the CLI bundled by esbuild, type declarations by tsc, and the Lua
// scripts and SQL migrations copied beside the bundle.
//
// Why a bundle: a process holds every ES module it loads as a module record, a namespace and the
// module's source, so the ~130 files tsc emits cost an idle worker ~0.5 MB more heap than the same
// code as one module (docs/performance-history.md), and start-up walked them all.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** ES modules a process loads with `dist/index.js`, itself included (see assertEntryModuleBudget). */
const ENTRY_MODULE_BUDGET = 4;
const dist = join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(dist, { recursive: true, force: true });

await build({
  entryPoints: { index: join(root, 'src/index.ts'), cli: join(root, 'src/cli/main.ts') },
  outdir: dist,
  bundle: true,
  // Code both entries use sits in a shared chunk, so the CLI and an app see the same classes.
  splitting: true,
  // Dependencies load from node_modules as installed; ioredis and better-sqlite3 on first use.
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  plugins: [builtinsByRequire()],
  banner: {
    // What the modules of `builtinsByRequire` load builtins with. `createRequire` comes from
    // `process.getBuiltinModule` (Node 20.16): importing `node:module` would build its ES facade,
    // ~17 KB of every process's heap. An older Node is told what it lacks.
    js: [
      'const __nodeRequire = (process.getBuiltinModule ?? (() => {',
      '  throw new Error(`turbine-queue needs Node.js 20.16 or later; this is ${process.version}`);',
      "}))('node:module').createRequire(import.meta.url);",
    ].join('\n'),
  },
  logLevel: 'warning',
});

assertClassNamesKept();
assertAsciiOutput();
assertEntryModuleBudget();

execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json'), '--emitDeclarationOnly'], {
  stdio: 'inherit',
});

// Every output file sits directly in dist/, so the modules that read these folders beside
// themselves (`new URL('./lua/', import.meta.url)`) find them there, as they do in src/.
for (const [from, to] of [
  ['src/brokers/redis/lua', 'lua'],
  ['src/brokers/sqlite/migrations', 'migrations'],
  ['src/brokers/sqlite/threads', 'threads'],
]) {
  cpSync(join(root, from), join(dist, to), { recursive: true });
}

/**
 * Node's builtins load through `require`, not `import`. An ES module import of a builtin builds a
 * namespace of all its exports and reads each on the way, lazy getters included: `node:fs` loads
 * its promises API and streams, `node:crypto` the Web Crypto API, ~50 KB of a worker's heap for
 * nothing it uses (docs/performance-history.md). Each builtin becomes a module that requires it and
 * exports its names one by one, so esbuild keeps only those the bundle uses and nothing reads the
 * others.
 */
function builtinsByRequire() {
  const require = createRequire(import.meta.url);
  return {
    name: 'builtins-by-require',
    setup(build) {
      build.onResolve({ filter: /^node:/ }, ({ path }) => ({ path, namespace: 'builtin' }));
      build.onLoad({ filter: /.*/, namespace: 'builtin' }, ({ path }) => {
        const names = Object.keys(require(path)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
        const exports = names.map(
          // A call marked pure is dropped when its name goes unused; a bare property read would stay.
          (name) => `export const ${name} = /* @__PURE__ */ (() => builtin.${name})();`,
        );
        return {
          contents: [
            `const builtin = __nodeRequire(${JSON.stringify(path)});`,
            'export default builtin;',
            ...exports,
          ].join('\n'),
          loader: 'js',
        };
      });
    },
  };
}

/**
 * Errors take their `name` from their class, so a class must keep its name in the bundle. esbuild
 * renames a top-level name that two modules share (`ConfigError2`); its `keepNames` would prevent
 * that but wraps every named closure in a call, hot paths included. So the build fails instead.
 */
function assertClassNamesKept() {
  const declared = new Set();
  for (const file of readdirSync(join(root, 'src'), { recursive: true })) {
    if (!file.endsWith('.ts')) continue;
    for (const [, name] of readFileSync(join(root, 'src', file), 'utf8').matchAll(/\bclass (\w+)/g))
      declared.add(name);
  }
  for (const file of readdirSync(dist).filter((name) => name.endsWith('.js'))) {
    for (const [, name] of readFileSync(join(dist, file), 'utf8').matchAll(/\bvar (\w+) = class\b/g)) {
      if (!declared.has(name)) {
        throw new Error(
          `build: esbuild renamed a class to ${name} in dist/${file} (two modules share its name); rename one`,
        );
      }
    }
  }
}

/**
 * V8 keeps each module's source in the heap, and keeps it as UTF-16 (two bytes a character) when
 * one character is outside Latin-1: one dash in a comment esbuild kept doubled the main chunk's
 * ~160 KB in every process. esbuild escapes strings and identifiers; comments it keeps are ours.
 */
function assertAsciiOutput() {
  for (const file of readdirSync(dist).filter((name) => name.endsWith('.js'))) {
    const lines = readFileSync(join(dist, file), 'utf8').split('\n');
    const at = lines.findIndex((line) => /[^\p{ASCII}]/u.test(line));
    if (at >= 0) {
      throw new Error(
        `build: dist/${file}:${at + 1} has a non-ASCII character, which makes V8 hold the whole ` +
          `module as UTF-16; write that comment in ASCII:\n  ${lines[at].trim()}`,
      );
    }
  }
}

/**
 * Every ES module a process loads costs ~16 KB of heap beyond its code, so what the package's entry
 * loads has a budget. esbuild gives code that two entries or an on-demand import share a chunk of
 * its own: `src/brokers/sqlite/sqlite-transport.ts` shows how the embedded broker's module, loaded
 * on demand, avoids adding one. Raise the budget only knowingly.
 */
function assertEntryModuleBudget() {
  const loaded = new Set(['index.js']);
  for (const file of loaded) {
    for (const [, chunk] of readFileSync(join(dist, file), 'utf8').matchAll(
      /(?:from|import) "\.\/([^"]+)"/g,
    )) {
      loaded.add(chunk);
    }
  }
  const onDemand = [...loaded].filter((file) => file.startsWith('sqlite-transport-'));
  if (onDemand.length > 0) throw new Error(`build: dist/index.js loads ${onDemand[0]} statically`);
  if (loaded.size > ENTRY_MODULE_BUDGET) {
    throw new Error(
      `build: dist/index.js loads ${loaded.size} modules (${[...loaded].join(', ')}), over its budget ` +
        `of ${ENTRY_MODULE_BUDGET}: esbuild split shared code into chunks of their own`,
    );
  }
}
