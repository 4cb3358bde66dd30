import { SignJWT, UnsecuredJWT } from 'jose';
import { expect, test } from '@playwright/test';
import { mintJwt, verifyJwt } from '../../twin/jwt';
import { JWT } from './support/settings';

const key = (s: string) => new TextEncoder().encode(s);
const now = () => Math.floor(Date.now() / 1000);
const claims = { token_type: 'access', env: 'staging', email: 'a@example.com', permissions: ['read'] };
const signed = (change: { claims?: Record<string, unknown>; iss?: string; aud?: string; exp?: number; sub?: string | null; secret?: string }) => {
  const jwt = new SignJWT({ ...claims, ...change.claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(change.exp ?? now() + 600)
    .setIssuer(change.iss ?? JWT.issuer)
    .setAudience(change.aud ?? JWT.audience);
  if (change.sub !== null) jwt.setSubject(change.sub ?? 'user-1');
  return jwt.sign(key(change.secret ?? JWT.secret));
};

test('a minted token carries the contract claims and verifies', async () => {
  const token = await mintJwt(JWT, { sub: 'user-1', email: 'a@example.com', permissions: ['read', 'write'], lifetimeSeconds: 1800 });
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
  expect(Object.keys(payload).sort()).toEqual(['aud', 'email', 'env', 'exp', 'iat', 'iss', 'jti', 'permissions', 'sub', 'token_type']);
  expect(payload).toMatchObject({ sub: 'user-1', iss: 'netra-auth-service', aud: 'netra-platform', token_type: 'access', env: 'staging' });
  expect((payload.exp as number) - (payload.iat as number)).toBe(1800);
  expect(await verifyJwt(token, JWT)).toEqual({ ok: true, claims: { sub: 'user-1', email: 'a@example.com', permissions: ['read', 'write'], exp: payload.exp } });
});

const rejected: Array<[string, () => Promise<string>, string]> = [
  ['expired', () => signed({ exp: now() - 60 }), 'ERR_JWT_EXPIRED'],
  ['wrong audience', () => signed({ aud: 'someone-else' }), 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
  ['wrong issuer', () => signed({ iss: 'someone-else' }), 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
  ['no subject', () => signed({ sub: null }), 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
  ['wrong token type', () => signed({ claims: { token_type: 'refresh' } }), 'ERR_TOKEN_TYPE'],
  ['other secret', () => signed({ secret: 'another-secret-that-is-32-characters-long' }), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
  ['alg none', async () => new UnsecuredJWT({ ...claims, sub: 'user-1', iss: JWT.issuer, aud: JWT.audience }).setIssuedAt().setExpirationTime('10m').encode(), 'ERR_JOSE_ALG_NOT_ALLOWED'],
  ['malformed', async () => 'not-a-jwt', 'ERR_JWS_INVALID'],
];
for (const [name, make, code] of rejected) {
  test(`verification refuses a token: ${name}`, async () => {
    const result = await verifyJwt(await make(), JWT);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe(code);
  });
}
