// Node ≥ 22.1 keeps the code it compiles in a folder on disk (module.enableCompileCache) and reuses
// it in the next process that loads the same file. A run starts many Node processes that load the
// same ~8 MB of Playwright: a fresh worker after every failing test, a twin per environment, and
// in `npm test` ~40 nested runs. One folder under node_modules (emptied by `npm ci`) serves them
// all: set in the environment here, every child inherits it. Node 20 has no such cache: a no-op.
// NODE_COMPILE_CACHE (another folder) and NODE_DISABLE_COMPILE_CACHE=1 (none) are honoured.
const path = require('node:path');
const nodeModule = require('node:module');

const CACHE_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'ws-auth-repro', 'compile-cache');

/** Enables the cache in this process and its children; the folder in use (Node adds a subfolder per version), or null (Node 20, or disabled). */
function enableCompileCache(env = process.env) {
  if (typeof nodeModule.enableCompileCache !== 'function' || env.NODE_DISABLE_COMPILE_CACHE) return null;
  if (!env.NODE_COMPILE_CACHE) env.NODE_COMPILE_CACHE = CACHE_DIR;
  // Without an argument Node takes NODE_COMPILE_CACHE, as its docs advise tools to do.
  return nodeModule.enableCompileCache().directory ?? null;
}

module.exports = { CACHE_DIR, enableCompileCache };
