// An environment's settings as the twin's CLI reads them (twin/README.md): the one mapping from
// the suite's variables to the twin's, used by the worker fixture and by the bench.
import type { EnvSettings } from '../../environments/schema';

/** `overrides` win; unset and empty values are left out so the twin applies its own defaults. */
export function twinEnv(s: EnvSettings, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const vars: Record<string, string | undefined> = {
    JWT_SECRET: s.JWT_SECRET,
    JWT_ISSUER: s.JWT_ISSUER,
    JWT_AUDIENCE: s.JWT_AUDIENCE,
    JWT_TOKEN_TYPE: s.JWT_TOKEN_TYPE,
    JWT_ENV: s.JWT_ENV,
    SERVICE_ID: s.SERVICE_ID,
    SERVICE_SECRET: s.SERVICE_SECRET,
    E2E_BYPASS_KEY: s.E2E_BYPASS_KEY,
    DEV_LOGIN_EMAIL: s.DEV_LOGIN_EMAIL,
    DEV_LOGIN_PASSWORD: s.DEV_LOGIN_PASSWORD,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
}

/**
 * The fault the embedded twin runs with: the env file's TWIN_FAULT (one env per fault, side by
 * side in one run), else the process's TWIN_FAULT (`TWIN_FAULT=hang npm run repro`); none for a real target.
 */
export function twinFault(s: EnvSettings, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (s.TWIN !== 'embedded') return undefined;
  return s.TWIN_FAULT || env.TWIN_FAULT || undefined;
}
