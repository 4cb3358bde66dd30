// The twin's CLI bundled once into plain JavaScript, so each spawn starts with node alone
// (~0.15 s) instead of compiling TypeScript through the tsx loader (~1 s). A Playwright worker
// spawns a twin each time it starts, and a failing test restarts its worker: over the fault
// matrix that is hundreds of starts. The bundle is keyed by a hash of twin/'s sources, so an
// edited twin is rebuilt; when esbuild is unavailable the caller falls back to tsx.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const TWIN_DIR = __dirname;
const CACHE_DIR = path.join(TWIN_DIR, '..', 'node_modules', '.cache', 'ws-auth-repro');

function sourcesHash(): string {
  const hash = createHash('sha256');
  for (const name of fs.readdirSync(TWIN_DIR).filter((f) => f.endsWith('.ts')).sort()) {
    hash.update(name).update(fs.readFileSync(path.join(TWIN_DIR, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Path of the bundled CLI, building it when the sources changed; null when it cannot be built. */
export function bundledTwin(): string | null {
  try {
    const file = path.join(CACHE_DIR, `twin-${sourcesHash()}.cjs`);
    if (fs.existsSync(file)) return file;
    const esbuild = require('esbuild') as typeof import('esbuild');
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Built under a unique name and renamed, so two workers building at once never read half a file.
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    esbuild.buildSync({
      entryPoints: [path.join(TWIN_DIR, 'start.ts')],
      outfile: temp,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // ws's optional native speed-ups are looked up at run time and may be absent.
      external: ['bufferutil', 'utf-8-validate'],
      logLevel: 'silent',
    });
    fs.renameSync(temp, file);
    return file;
  } catch {
    return null;
  }
}
