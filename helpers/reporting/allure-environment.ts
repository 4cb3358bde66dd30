// Environment info for the Allure report. Allure 3 reads `environment.properties` from the
// results directory (its allure2 reader) and shows it in the awesome report's Environment
// widget; allure-playwright's own `environmentInfo` option is fixed at config time, before the
// browser version or the targets are known, so the summary reporter writes the file at the end.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** What the `target` attachment carries: URLs only. */
export interface TargetUrls {
  name: string;
  frontendUrl: string;
  backendUrl: string;
  authUrl: string;
  wsUrl: string;
}

export interface EnvironmentInfo {
  targets: TargetUrls[];
  browserVersion: string | null;
  suiteVersion: string | null;
  gitSha: string | null;
  nodeVersion: string;
}

export function isTargetUrls(value: unknown): value is TargetUrls {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['name', 'frontendUrl', 'backendUrl', 'authUrl', 'wsUrl'].every((k) => typeof v[k] === 'string');
}

export function suiteVersion(cwd = process.cwd()): string | null {
  try {
    const pkg = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : null;
  } catch {
    return null;
  }
}

export function gitSha(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | null {
  if (env.GITHUB_SHA) return env.GITHUB_SHA.slice(0, 7);
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, timeout: 5_000, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

// Java properties: a backslash escapes, a line ends the value.
function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n');
}

function escapeKey(key: string): string {
  return escapeValue(key).replace(/([=: ])/g, '\\$1');
}

export function environmentProperties(info: EnvironmentInfo): string {
  const entries: [string, string][] = [];
  for (const t of info.targets) {
    entries.push(
      [`${t.name}.frontend`, t.frontendUrl],
      [`${t.name}.backend`, t.backendUrl],
      [`${t.name}.auth`, t.authUrl],
      [`${t.name}.websocket`, t.wsUrl],
    );
  }
  if (info.browserVersion) entries.push(['browser', info.browserVersion]);
  if (info.suiteVersion) entries.push(['suite.version', info.suiteVersion]);
  if (info.gitSha) entries.push(['git.sha', info.gitSha]);
  entries.push(['node', info.nodeVersion]);
  return `${entries.map(([k, v]) => `${escapeKey(k)}=${escapeValue(v)}`).join('\n')}\n`;
}
