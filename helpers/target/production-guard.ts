// Refuses, before any request, a target whose host looks like production. The suite floods
// the handshake with forged tokens; against production that is an incident, not a test.
import { processVariableName } from '../../environments/load';
import type { EnvSettings } from '../../environments/schema';

/** Labels (or dash-separated parts of a label) that mark a host as not production. */
export const NON_PRODUCTION_MARKERS = [
  'staging', 'stage', 'stg', 'dev', 'develop', 'test', 'qa', 'uat', 'sandbox', 'preview', 'local', 'internal', 'example', 'invalid',
] as const;

export interface GuardedTarget {
  name: string;
  urls: string[];
  settings: Pick<EnvSettings, 'PRODUCTION_HOST_PATTERN' | 'ALLOW_PRODUCTION'>;
}

/** Thrown when a target host looks like production and ALLOW_PRODUCTION is not set. */
export class ProductionTargetError extends Error {
  readonly code = 'ERR_PRODUCTION_TARGET';
  readonly hosts: readonly string[];

  constructor(message: string, hosts: readonly string[]) {
    super(message);
    this.name = 'ProductionTargetError';
    this.hosts = hosts;
  }
}

/**
 * True when `host` is treated as production: it matches `pattern` when one is given; otherwise
 * unless it is loopback or carries a non-production marker (api.staging.x.com, api-dev.x.com, stg2.x.com).
 */
export function looksLikeProduction(host: string, pattern = ''): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (pattern) return new RegExp(pattern, 'i').test(h);
  if (isLoopback(h)) return false;
  const parts = h.split('.').flatMap((label) => [label, ...label.split('-')]).map((p) => p.replace(/\d+$/, ''));
  return !parts.some((p) => (NON_PRODUCTION_MARKERS as readonly string[]).includes(p));
}

export function assertNotProduction(target: GuardedTarget): void {
  if (target.settings.ALLOW_PRODUCTION) return;
  const pattern = target.settings.PRODUCTION_HOST_PATTERN;
  const hosts = [...new Set(target.urls.filter(Boolean).map(hostOf))].filter((h) => looksLikeProduction(h, pattern));
  if (hosts.length === 0) return;
  const why = pattern
    ? `matches PRODUCTION_HOST_PATTERN /${pattern}/`
    : `is not loopback and has no non-production marker (${NON_PRODUCTION_MARKERS.join(', ')}) in its name`;
  const message =
    `Environment "${target.name}" targets ${hosts.join(', ')}, which looks like production: ${hosts.length === 1 ? 'it' : 'each'} ${why}. ` +
    `Nothing was sent. To run against it on purpose, set ALLOW_PRODUCTION=true in environments/${target.name}.local.env ` +
    `or ${processVariableName(target.name, 'ALLOW_PRODUCTION')}=true in the process environment.`;
  throw new ProductionTargetError(message, hosts);
}

function hostOf(url: string): string {
  // An unparsable URL is kept whole, so the guard fails closed on it.
  return URL.canParse(url) ? new URL(url).hostname : url;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}
