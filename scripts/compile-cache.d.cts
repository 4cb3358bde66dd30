// Types of compile-cache.cjs (plain CommonJS: scripts/launch.cjs requires it before any TypeScript loader).
/** node_modules/.cache/ws-auth-repro/compile-cache: the folder used unless NODE_COMPILE_CACHE names another. */
export declare const CACHE_DIR: string;
/** Enables the cache in this process and its children; the folder in use, or null (Node 20, or disabled). */
export declare function enableCompileCache(env?: NodeJS.ProcessEnv): string | null;
