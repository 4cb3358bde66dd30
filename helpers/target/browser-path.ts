// Finds the Chromium to drive, in one place: an explicit CHROMIUM_PATH, Playwright's own
// download, then Debian's real binaries (not the /usr/bin wrappers, which add flags from
// /etc/chromium.d and print shell errors). For a headless run Debian's headless shell comes first:
// the same Chromium (same version, Blink, V8 and network stack) in the build Playwright itself
// uses for headless runs, at a fifth of the full browser's CPU per run (README, Performance).
// scripts/find-chromium.sh is the same lookup in sh, for before node_modules exists.
import fs from 'node:fs';

/** Debian's real Chromium binary (`apt-get install -y chromium`). */
export const DEBIAN_CHROMIUM = '/usr/lib/chromium/chromium';
/** Debian's headless-only build of the same Chromium (`apt-get install -y chromium-headless-shell`). */
export const DEBIAN_HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell';

/** Thrown when no Chromium can be found, or CHROMIUM_PATH names a file that is not there. */
export class BrowserNotFoundError extends Error {
  readonly code = 'ERR_NO_BROWSER' as const;
  /** The paths that were looked at, in order. */
  readonly checked: readonly string[];
  constructor(message: string, checked: readonly string[]) {
    super(message);
    this.name = 'BrowserNotFoundError';
    this.checked = checked;
  }
}

/** Where the fallbacks live; tests point these at temp files. */
export interface ChromiumLocations {
  /** Playwright's download (null when Playwright cannot name one for this platform). */
  playwright: string | null;
  debian: string;
  /** Debian's headless shell: looked at for headless runs only, before `debian`. */
  debianHeadlessShell: string;
}

export interface ChromiumUse {
  /** Default true. A headed browser needs the full build: the headless shell has no window. */
  headless?: boolean;
}

/**
 * Playwright returns a path even when the browser was never downloaded, so callers check it exists.
 * Required here, not imported: loading Playwright costs ~0.7 s under tsx, and ensureChromium
 * (repro's check before the run) mostly answers without it.
 */
function playwrightChromium(): string | null {
  try {
    return (require('@playwright/test') as typeof import('@playwright/test')).chromium.executablePath();
  } catch {
    return null;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The executable to launch. An explicit CHROMIUM_PATH wins and must exist; otherwise the first of
 * Playwright's download and Debian's binary that exists.
 * @throws BrowserNotFoundError (code ERR_NO_BROWSER) with a one-line message saying how to get one.
 */
export function resolveChromium(env: NodeJS.ProcessEnv = process.env, where: Partial<ChromiumLocations> = {}, use: ChromiumUse = {}): string {
  const explicit = env.CHROMIUM_PATH?.trim();
  if (explicit) {
    if (isFile(explicit)) return explicit;
    throw new BrowserNotFoundError(`CHROMIUM_PATH=${explicit} does not exist or is not a file: fix or unset CHROMIUM_PATH`, [explicit]);
  }
  const playwright = 'playwright' in where ? (where.playwright ?? null) : playwrightChromium();
  const shell = use.headless === false ? null : (where.debianHeadlessShell ?? DEBIAN_HEADLESS_SHELL);
  const checked = [playwright, shell, where.debian ?? DEBIAN_CHROMIUM].filter((p): p is string => !!p);
  const found = checked.find(isFile);
  if (found) return found;
  throw new BrowserNotFoundError(
    `No Chromium found (looked at ${checked.join(', ')}): run \`apt-get install -y ${shell ? 'chromium-headless-shell' : 'chromium'}\` (Debian) or \`npx playwright install chromium\`, or set CHROMIUM_PATH`,
    checked,
  );
}

/**
 * Whether there is a browser for a headless run, without choosing which (npm run repro's check
 * before the run; the run itself chooses with resolveChromium). An explicit CHROMIUM_PATH must
 * exist; otherwise one of Debian's binaries, when present, answers yes without loading Playwright;
 * else resolveChromium decides.
 * @throws BrowserNotFoundError exactly as resolveChromium does.
 */
export function ensureChromium(env: NodeJS.ProcessEnv = process.env, where: Partial<ChromiumLocations> = {}): void {
  const debian = [where.debianHeadlessShell ?? DEBIAN_HEADLESS_SHELL, where.debian ?? DEBIAN_CHROMIUM];
  if (!env.CHROMIUM_PATH?.trim() && debian.some(isFile)) return;
  resolveChromium(env, where);
}
