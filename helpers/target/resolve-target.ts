// Turns one environment's validated settings (plus the embedded twin's URLs, when it runs)
// into the Target every helper takes. Pure apart from reading CA_FILE; refuses production-
// looking hosts before anything is sent.
import fs from 'node:fs';
import path from 'node:path';
import type { EnvSettings } from '../../environments/schema';
import { SECRET_VARIABLES } from '../../environments/schema';
import { assertNotProduction } from './production-guard';
import type { Target } from './target';

/** What the embedded twin publishes once it listens (twin/spawn.ts's SpawnedTwin fits). */
export interface TwinUrls {
  frontendUrl: string;
  backendUrl: string;
  authUrl: string;
  wsUrl: string;
  caPem: string | null;
}

/** Thrown when an endpoint is neither in the settings nor given by a twin (TWIN=embedded, twin not started). */
export class MissingEndpointError extends Error {
  readonly code = 'ERR_TARGET_ENDPOINT_MISSING';
  constructor(message: string) {
    super(message);
    this.name = 'MissingEndpointError';
  }
}

/** Thrown when CA_FILE cannot be read or holds no PEM certificate. */
export class CaFileError extends Error {
  readonly code = 'ERR_CA_FILE_UNREADABLE';
  constructor(message: string) {
    super(message);
    this.name = 'CaFileError';
  }
}

export function resolveTarget(name: string, settings: EnvSettings, twinUrls?: TwinUrls): Target {
  const endpoint = (variable: 'FRONTEND_URL' | 'BACKEND_URL' | 'AUTH_URL', fromTwin: string | undefined): string => {
    const url = fromTwin ?? settings[variable];
    if (!url) {
      const hint = settings.TWIN === 'embedded' ? 'TWIN=embedded but no twin URLs were given (start the twin first)' : `set ${variable}`;
      throw new MissingEndpointError(`Environment "${name}" has no ${variable}: ${hint}.`);
    }
    return withoutTrailingSlash(url);
  };
  const frontendUrl = endpoint('FRONTEND_URL', twinUrls?.frontendUrl);
  const backendUrl = endpoint('BACKEND_URL', twinUrls?.backendUrl);
  const authUrl = endpoint('AUTH_URL', twinUrls?.authUrl);
  const wsUrl = twinUrls?.wsUrl ?? settings.WS_URL ?? socketUrl(backendUrl, settings.WS_PATH);
  const origin = new URL(settings.ORIGIN ?? frontendUrl).origin;

  assertNotProduction({ name, urls: [frontendUrl, backendUrl, authUrl, wsUrl], settings });

  const ca = settings.CA_FILE ? readCa(settings.CA_FILE) : (twinUrls?.caPem ?? null);
  const secrets = SECRET_VARIABLES.map((key) => settings[key]).filter((v): v is string => !!v);
  return { name, settings, frontendUrl, backendUrl, authUrl, wsUrl, origin, ca, secrets };
}

/** BACKEND_URL with http→ws / https→wss and WS_PATH appended to its path (query and hash dropped). */
export function socketUrl(backendUrl: string, wsPath: string): string {
  const url = new URL(backendUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = url.pathname.replace(/\/+$/, '') + wsPath;
  url.search = '';
  url.hash = '';
  return url.toString();
}

function readCa(file: string): string {
  const full = path.resolve(file);
  let pem: string;
  try {
    pem = fs.readFileSync(full, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new CaFileError(`CA_FILE ${full} cannot be read (${reason}).`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new CaFileError(`CA_FILE ${full} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`);
  return pem;
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
