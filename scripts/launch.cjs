// `node scripts/launch.cjs <repro|report|open> [args…]`: runs an operator script (scripts/NAME.ts)
// from a JavaScript bundle of it and our TypeScript it imports, built once by esbuild and kept
// until a source changes, as the twin is (twin/bundle.ts). Why: through the tsx loader a start
// costs ~0.75 core-s and ~0.7 s before the script's first line; from the bundle ~0.25, hashing the
// sources included. `npm test` starts ~40 repro runs, and an operator feels it on every
// `npm run repro`.
//
// Packages stay outside the bundle (resolved from node_modules as usual); `__dirname` and
// `__filename` in our sources are replaced by each file's own, so paths resolve as from the
// sources. When the bundle cannot be built (no esbuild, a read-only node_modules), or with
// WS_AUTH_REPRO_NO_BUNDLE=1, the script runs through tsx as before: slower, never different.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const SCRIPTS = ['repro', 'report', 'open'];
/** Where our TypeScript lives (what a bundle may include): a change in any of it rebuilds. */
const SOURCE_DIRS = ['scripts', 'helpers', 'environments', 'twin'];
const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'ws-auth-repro');

function tsFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(full));
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** Our sources, the lock file (package versions), this launcher, the checkout's place (the paths written in) and Node. */
function sourcesHash() {
  const hash = crypto.createHash('sha256').update(`${ROOT}\0${process.version}\0`);
  const files = SOURCE_DIRS.flatMap((dir) => tsFiles(path.join(ROOT, dir))).sort();
  // This file too: its build options shape the bundle.
  for (const file of [...files, path.join(ROOT, 'package-lock.json'), __filename]) {
    hash.update(`${path.relative(ROOT, file)}\0`);
    try {
      hash.update(fs.readFileSync(file));
    } catch {}
  }
  return hash.digest('hex').slice(0, 16);
}

/** Replaces __dirname and __filename in our own files by their values (a bundle has one of each, its own). */
const ownPaths = {
  name: 'own-paths',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = fs.readFileSync(args.path, 'utf8');
      const contents = source.replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path))).replace(/\b__filename\b/g, JSON.stringify(args.path));
      return { contents, loader: 'ts' };
    });
  },
};

/** The bundle of scripts/NAME.ts, built when missing or stale; null when it cannot be built. */
async function bundleOf(name) {
  let file;
  let esbuild;
  try {
    file = path.join(CACHE_DIR, `${name}-${sourcesHash()}.cjs`);
    if (fs.existsSync(file)) return file;
    esbuild = require('esbuild');
    fs.mkdirSync(CACHE_DIR, { recursive: true });
  } catch {
    return null;
  }
  // Built under a unique name and renamed: two runs building at once never read half a file.
  const partial = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await esbuild.build({
      entryPoints: [path.join(ROOT, 'scripts', `${name}.ts`)],
      outfile: partial,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      packages: 'external',
      plugins: [ownPaths],
      logLevel: 'silent',
    });
    fs.renameSync(partial, file);
    pruneOlder(name, file);
    return file;
  } catch {
    fs.rmSync(partial, { force: true });
    return null;
  }
}

/** Bundles of older sources, built over an hour ago: a run that started from one has long read it. */
function pruneOlder(name, current) {
  const hourAgo = Date.now() - 3_600_000;
  for (const entry of fs.readdirSync(CACHE_DIR)) {
    const file = path.join(CACHE_DIR, entry);
    if (file === current || !entry.startsWith(`${name}-`) || !entry.endsWith('.cjs')) continue;
    try {
      if (fs.statSync(file).mtimeMs < hourAgo) fs.rmSync(file, { force: true });
    } catch {}
  }
}

async function launch() {
  // First: the script, the runner it starts and every worker load Playwright through the compile cache (Node ≥ 22.1).
  require('./compile-cache.cjs').enableCompileCache();
  const [name, ...argv] = process.argv.slice(2);
  if (!SCRIPTS.includes(name ?? '')) {
    console.error(`launch: expected one of ${SCRIPTS.join(', ')} (got "${name ?? ''}")`);
    process.exit(2);
  }
  // WS_AUTH_REPRO_NO_BUNDLE=1: through tsx, as before the bundle (stack traces then name the .ts files).
  const bundle = process.env.WS_AUTH_REPRO_NO_BUNDLE === '1' ? null : await bundleOf(name);
  const script = bundle ? require(bundle) : require('tsx/cjs/api').require(path.join(ROOT, 'scripts', `${name}.ts`), __filename);
  script.cli(argv);
}

// A launcher that cannot start its script is a suite error (exit 2, as repro's own policy says),
// never exit 1, which a scheduler reads as "the target is failing".
launch().catch((error) => {
  console.error(`launch: could not start ${process.argv[2] ?? ''}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(2);
});
