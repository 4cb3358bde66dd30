// The one redaction applied to everything the suite writes: records, attachments, failure
// messages, reports. A secret becomes a short fingerprint ‹fp:1a2b3c4d› (sha256, first 8 hex):
// enough to tell two tokens apart across records, useless to replay.
//
// Rules, in the order they run (each leaves existing fingerprints alone, so redact is idempotent):
//   1. known secrets and remembered tokens, plus their base64 / base64url / URL / JSON encodings
//   2. subprotocol entries  jwt.<…>  jwt-auth.<…>  bearer.<…>   (jwt.<base64url(jwt)> → fp of the jwt)
//   3. headers  Authorization: <scheme> <value> · Cookie / Set-Cookie values · X-Service-Secret ·
//      X-E2E-Bypass-Key  (as header lines and as JSON keys)
//   4. JSON fields token / access_token / refresh_token / id_token / password / secret …, and the
//      same names as query parameters
//   5. bare  Bearer <value>  (only when the value looks like a credential, not a word)
//   6. any JWT-shaped string (eyJ….eyJ….sig, alg:none with an empty signature) and the base64url of one
import { createHash } from 'node:crypto';

export interface Redactor {
  /** Replaces every secret in `text` with its fingerprint; idempotent. */
  redact(text: string): string;
  /** A redacted deep copy: strings, object keys, and values under secret-holding keys. */
  redactDeep<T>(value: T): T;
  /** The fingerprint a secret is replaced with: `‹fp:1a2b3c4d›`. */
  fingerprint(value: string): string;
  /** Adds a value to scrub from now on (forged tokens); '' is ignored (nothing to scrub). */
  remember(value: string): void;
}

export const MIN_SECRET_LENGTH = 6;

/** Thrown when a secret is too short to scrub without mangling ordinary text. */
export class SecretTooShortError extends Error {
  readonly code = 'ERR_SECRET_TOO_SHORT';
  constructor(length: number) {
    super(
      `redaction: a secret of ${length} character(s) is too short to scrub safely (minimum ${MIN_SECRET_LENGTH}); ` +
        'use a longer secret',
    );
    this.name = 'SecretTooShortError';
  }
}

const MARKER_RE = /‹fp:[0-9a-f]{8}›/g;
const isMarker = (v: string) => v.startsWith('‹fp:');

/** sha256, first 8 hex, in the marker form used everywhere. */
export function fingerprint(value: string): string {
  return `‹fp:${createHash('sha256').update(value).digest('hex').slice(0, 8)}›`;
}

/** A JWT's shape: three base64url segments, the first a JSON header ("eyJ"); the third may be empty (alg: none). */
export const JWT_PATTERN = String.raw`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`;
const JWT_EXACT = new RegExp(`^${JWT_PATTERN}$`);
const JWT_RE = new RegExp(`(?<![A-Za-z0-9_-])${JWT_PATTERN}`, 'g');
// base64 of "eyJ" is "ZXlK": a JWT carried base64- or base64url-encoded (the subprotocol's form).
const B64_JWT_RE = /(?<![A-Za-z0-9_+/-])ZXlK[A-Za-z0-9_+/-]{16,}={0,2}/g;
const SUBPROTOCOL_RE = /(?<![A-Za-z0-9_.-])(jwt-auth|jwt|bearer)\.([A-Za-z0-9_~+/=.-]+)/gi;
const AUTHORIZATION_RE = /\b((?:proxy-)?authorization)(["']?[ \t]*[:=][ \t]*["']?)(?:([A-Za-z][A-Za-z0-9_-]*)([ \t]+))?([^\s"',;]+)/gi;
const SECRET_HEADER_RE = /\b(x-service-secret|x-e2e-bypass-key)(["']?[ \t]*[:=][ \t]*["']?)([^\s"',;]+)/gi;
const COOKIE_RE = /\b(set-cookie|cookie)(["']?[ \t]*[:=][ \t]*["']?)([^"'\r\n]*)/gi;
const SECRET_FIELDS = 'token|access_token|refresh_token|id_token|password|secret|client_secret|service_secret';
const JSON_FIELD_RE = new RegExp(`"(${SECRET_FIELDS})"(\\s*:\\s*)"((?:[^"\\\\]|\\\\.)*)"`, 'gi');
const QUERY_RE = new RegExp(`([?&](?:${SECRET_FIELDS}|jwt|auth)=)([^&#\\s"'<>]+)`, 'gi');
const BARE_BEARER_RE = /\b(Bearer)([ \t]+)([A-Za-z0-9._~+/=-]+)/gi;
const AUTH_SCHEMES = /^(bearer|basic|digest|negotiate|token)$/i;

/** Keys whose values are secrets whatever they look like (redactDeep); compared lower-case. */
const SECRET_KEYS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-service-secret',
  'x-e2e-bypass-key',
  ...SECRET_FIELDS.split('|'),
  'jwt_secret',
  'e2e_bypass_key',
  'dev_login_password',
  'static_token',
]);

/** A word stays ("Bearer authentication"); a credential-looking value goes. */
function looksLikeCredential(v: string): boolean {
  return v.length >= 20 || (v.length >= 8 && /[0-9._~+/=-]/.test(v));
}

/** The JWT inside a base64/base64url string, or null. */
function decodedJwt(value: string): string | null {
  if (!/^[A-Za-z0-9_+/-]+={0,2}$/.test(value)) return null;
  const decoded = Buffer.from(value.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url').toString('utf8');
  return JWT_EXACT.test(decoded) ? decoded : null;
}

/** Applies `fn` to the text between fingerprints, so a secret can never match inside one. */
function outsideMarkers(text: string, fn: (segment: string) => string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(MARKER_RE)) {
    out += fn(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + fn(text.slice(last));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The forms a secret takes on the wire, each mapped to the secret's own fingerprint. */
function encodings(secret: string): string[] {
  const buf = Buffer.from(secret, 'utf8');
  const b64 = buf.toString('base64');
  return [secret, b64, b64.replace(/=+$/, ''), buf.toString('base64url'), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
}

function cookieValue(value: string, firstPairOnly: boolean): string {
  let done = false;
  return value
    .split(';')
    .map((part) => {
      const eq = part.indexOf('=');
      if (done || eq < 0) return part;
      if (firstPairOnly) done = true;
      const v = part.slice(eq + 1).trim();
      if (v === '' || isMarker(v)) return part;
      return `${part.slice(0, eq + 1)}${fingerprint(v)}`;
    })
    .join(';');
}

function authorizationValue(value: string): string {
  const m = /^([A-Za-z][A-Za-z0-9_-]*)([ \t]+)(\S.*)$/.exec(value);
  if (m?.[1] && m[2] && m[3]) return isMarker(m[3]) ? value : `${m[1]}${m[2]}${fingerprint(m[3])}`;
  return value === '' || isMarker(value) ? value : fingerprint(value);
}

/** The value under a secret-holding key, redacted whatever its shape. */
function secretKeyValue(key: string, value: string): string {
  if (key === 'authorization' || key === 'proxy-authorization') return authorizationValue(value);
  if (key === 'cookie') return cookieValue(value, false);
  if (key === 'set-cookie') return cookieValue(value, true);
  return value === '' || isMarker(value) ? value : fingerprint(value);
}

/**
 * A redacted deep copy made with any `redact` function: strings, object keys, and values under
 * secret-holding keys (hidden whatever they look like); Buffers, Dates… are kept as they are.
 */
export function redactDeepWith<T>(value: T, redact: (text: string) => string): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') {
      const k = key?.toLowerCase();
      return redact(k && SECRET_KEYS.has(k) ? secretKeyValue(k, v) : v);
    }
    if (Array.isArray(v)) return v.map((item) => walk(item, key));
    if (v !== null && typeof v === 'object') {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return v; // Buffers, Dates…: not text
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[redact(k)] = walk(item, k);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

function patternRules(text: string): string {
  return text
    .replace(SUBPROTOCOL_RE, (all, name: string, value: string) => {
      const core = value.replace(/\.+$/, '');
      if (!looksLikeCredential(core)) return all;
      return `${name}.${fingerprint(decodedJwt(core) ?? core)}${value.slice(core.length)}`;
    })
    .replace(AUTHORIZATION_RE, (all, key: string, sep: string, scheme: string | undefined, gap: string | undefined, value: string) => {
      if (isMarker(value) || (!scheme && AUTH_SCHEMES.test(value))) return all;
      return `${key}${sep}${scheme ? `${scheme}${gap}` : ''}${fingerprint(value)}`;
    })
    .replace(SECRET_HEADER_RE, (all, key: string, sep: string, value: string) => (isMarker(value) ? all : `${key}${sep}${fingerprint(value)}`))
    .replace(COOKIE_RE, (_all, key: string, sep: string, value: string) => `${key}${sep}${cookieValue(value, key.toLowerCase() === 'set-cookie')}`)
    .replace(JSON_FIELD_RE, (all, key: string, sep: string, value: string) => {
      if (value === '' || isMarker(value)) return all;
      let plain = value;
      try {
        plain = JSON.parse(`"${value}"`) as string;
      } catch {
        // not valid JSON escapes: fingerprint the text as it stands
      }
      return `"${key}"${sep}"${fingerprint(plain)}"`;
    })
    .replace(QUERY_RE, (all, key: string, value: string) => {
      if (isMarker(value)) return all;
      let plain = value;
      try {
        plain = decodeURIComponent(value);
      } catch {
        // a malformed escape: fingerprint the raw text
      }
      return `${key}${fingerprint(plain)}`;
    })
    .replace(BARE_BEARER_RE, (all, word: string, gap: string, value: string) =>
      looksLikeCredential(value) ? `${word}${gap}${fingerprint(value)}` : all,
    )
    .replace(JWT_RE, (jwt) => fingerprint(jwt))
    .replace(B64_JWT_RE, (b64) => {
      const jwt = decodedJwt(b64);
      return jwt ? fingerprint(jwt) : b64;
    });
}

/** Redaction answers worth caching: header-sized texts, a bounded number of them. */
const CACHE_MAX_TEXT = 512;
const CACHE_MAX_ENTRIES = 4096;

function checkLength(secret: string): void {
  if (secret.length < MIN_SECRET_LENGTH) throw new SecretTooShortError(secret.length);
}

/** Throws SecretTooShortError for any secret under MIN_SECRET_LENGTH characters (the empty one included). */
export function createRedactor(secrets: readonly string[]): Redactor {
  for (const s of secrets) checkLength(s);
  const known = new Map<string, string>(); // encoded form → fingerprint of the secret
  let knownRe: RegExp | null = null;

  const add = (secret: string) => {
    const fp = fingerprint(secret);
    for (const form of encodings(secret)) if (form.length >= MIN_SECRET_LENGTH && !known.has(form)) known.set(form, fp);
    // Longest first, so a secret's base64 is replaced whole rather than around a shorter secret.
    const forms = [...known.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    knownRe = new RegExp(forms.join('|'), 'g');
  };
  for (const s of secrets) add(s);

  // A burst redacts the same header names and values hundreds of times: remember short answers.
  // Cleared whenever a secret is added, so a cached answer never predates a secret it should hide.
  const cache = new Map<string, string>();
  const redact = (text: string): string => {
    const hit = cache.get(text);
    if (hit !== undefined) return hit;
    const re = knownRe;
    const scrubbed = re ? outsideMarkers(text, (seg) => seg.replace(re, (m) => known.get(m) ?? m)) : text;
    const out = patternRules(scrubbed);
    if (text.length <= CACHE_MAX_TEXT) {
      if (cache.size >= CACHE_MAX_ENTRIES) cache.clear();
      cache.set(text, out);
    }
    return out;
  };

  const redactDeep = <T>(value: T): T => redactDeepWith(value, redact);

  return {
    redact,
    redactDeep,
    fingerprint,
    remember(value: string) {
      if (value === '' || known.has(value)) return;
      checkLength(value);
      add(value);
      cache.clear();
    },
  };
}
