// Minting: the claims the contract's auth service puts in an access token, signed HS256
// with the environment's secret. forged-tokens.ts reuses both halves to bend one claim at a time.
import { randomUUID } from 'node:crypto';
import { type JWTPayload, SignJWT } from 'jose';
import type { EnvSettings } from '../../environments/schema';

/** The `sub` of every token the suite makes: stable, so the backend's logs can be searched for it. */
export const TEST_USER_ID = 'ws-auth-repro-test-user';

export type ClaimSettings = Pick<
  EnvSettings,
  'JWT_ISSUER' | 'JWT_AUDIENCE' | 'JWT_TOKEN_TYPE' | 'JWT_ENV' | 'JWT_LIFETIME_SECONDS' | 'TEST_USER_EMAIL' | 'TEST_USER_PERMISSIONS'
>;

export function permissionsOf(settings: Pick<EnvSettings, 'TEST_USER_PERMISSIONS'>): string[] {
  return settings.TEST_USER_PERMISSIONS.split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The claims of a valid access token issued at `nowSeconds`. */
export function accessClaims(settings: ClaimSettings, nowSeconds: number): JWTPayload {
  return {
    sub: TEST_USER_ID,
    iat: nowSeconds,
    exp: nowSeconds + settings.JWT_LIFETIME_SECONDS,
    jti: randomUUID(),
    iss: settings.JWT_ISSUER,
    aud: settings.JWT_AUDIENCE,
    token_type: settings.JWT_TOKEN_TYPE,
    env: settings.JWT_ENV,
    email: settings.TEST_USER_EMAIL,
    permissions: permissionsOf(settings),
  };
}

/** Signs the claims exactly as given (no defaults added), HS256, typ JWT. */
export function signHs256(claims: JWTPayload, secret: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}
