// The bad tokens a target must refuse, each wrong in exactly one way. Claim variants start
// from the valid token's own claims (when it is a readable JWT) so that the one bent claim
// is the only difference; otherwise from freshly minted claims.
import { randomBytes } from 'node:crypto';
import { decodeJwt, type JWTPayload } from 'jose';
import type { TokenVariant } from '../records/handshake-record';
import type { Target } from '../target/target';
import { accessClaims, signHs256 } from './token-source-mint';

export type BadTokenVariant = Exclude<TokenVariant, 'valid'>;

export interface ForgedToken {
  variant: BadTokenVariant;
  /** null for `missing`, and when the variant is unavailable. */
  token: string | null;
  /** What is wrong with it, for titles and reports; never contains the token. */
  description: string;
  /** Why this variant cannot be forged here; the scenario skips it with this reason. */
  unavailable?: string;
}

export const NEEDS_SECRET = 'needs JWT_SECRET to forge';
export const NEEDS_VALID = 'needs a valid token (or JWT_SECRET) to alter its signature';

export const WRONG_AUDIENCE = 'ws-auth-repro-wrong-audience';
export const WRONG_ISSUER = 'ws-auth-repro-wrong-issuer';
/** Expired tokens were issued two hours ago and died one hour ago: far beyond any clock-skew leeway. */
const EXPIRED_ISSUED_AGO_S = 7200;
const EXPIRED_AGO_S = 3600;

export interface ForgeOptions {
  /** Clock in milliseconds; tests freeze it. */
  now?: () => number;
}

export async function forgeTokens(target: Target, valid: string | null, options: ForgeOptions = {}): Promise<ForgedToken[]> {
  const s = target.settings;
  const nowS = Math.floor((options.now ?? Date.now)() / 1000);
  const secret = s.JWT_SECRET ?? null;
  const base = claimsOf(valid) ?? accessClaims(s, nowS);
  const wrongType = s.JWT_TOKEN_TYPE === 'refresh' ? 'access' : 'refresh';

  // Variants that keep a valid signature need the real secret.
  const signed = async (variant: BadTokenVariant, description: string, claims: JWTPayload): Promise<ForgedToken> =>
    secret ? { variant, token: await signHs256(claims, secret), description } : { variant, token: null, description, unavailable: NEEDS_SECRET };

  const alterable = valid && isJwtShaped(valid) ? valid : secret ? await signHs256(base, secret) : null;

  return [
    { variant: 'missing', token: null, description: 'no token at all' },
    { variant: 'empty', token: '', description: 'an empty token' },
    { variant: 'malformed', token: 'not-a-jwt', description: 'a string that is not a JWT' },
    alterable
      ? { variant: 'bad-signature', token: alterSignature(alterable), description: 'a valid token with its signature bytes altered' }
      : { variant: 'bad-signature', token: null, description: 'a valid token with its signature bytes altered', unavailable: NEEDS_VALID },
    { variant: 'alg-none', token: unsecured(base), description: 'valid claims, header alg "none", empty signature' },
    await signed('expired', `exp ${EXPIRED_AGO_S / 60} minutes in the past, otherwise valid`, {
      ...base,
      iat: nowS - EXPIRED_ISSUED_AGO_S,
      exp: nowS - EXPIRED_AGO_S,
    }),
    await signed('wrong-audience', `aud "${WRONG_AUDIENCE}", otherwise valid`, { ...base, aud: WRONG_AUDIENCE }),
    await signed('wrong-issuer', `iss "${WRONG_ISSUER}", otherwise valid`, { ...base, iss: WRONG_ISSUER }),
    await signed('wrong-token-type', `token_type "${wrongType}", otherwise valid`, { ...base, token_type: wrongType }),
    {
      variant: 'other-secret',
      token: await signHs256(base, randomBytes(36).toString('base64url')),
      description: 'valid claims signed with another (random) secret',
    },
  ];
}

function claimsOf(token: string | null): JWTPayload | null {
  if (!token) return null;
  try {
    return decodeJwt(token);
  } catch {
    return null;
  }
}

function isJwtShaped(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}

/** Flips every bit of the first signature byte: same length, certainly different bytes. */
function alterSignature(token: string): string {
  const [header, payload, signature = ''] = token.split('.');
  const bytes = Buffer.from(signature, 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

/** An unsecured JWT (RFC 7519 §6): jose refuses to sign one, so it is assembled by hand. */
function unsecured(claims: JWTPayload): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}
