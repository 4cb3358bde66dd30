import { expect, test } from '@playwright/test';
import { decodeJwt, decodeProtectedHeader, type JWTPayload, jwtVerify } from 'jose';
import {
  type BadTokenVariant,
  type ForgedToken,
  forgeTokens,
  NEEDS_SECRET,
  NEEDS_VALID,
  WRONG_AUDIENCE,
  WRONG_ISSUER,
} from '../../../helpers/tokens/forged-tokens';
import { accessClaims, signHs256 } from '../../../helpers/tokens/token-source-mint';
import { makeTarget, SECRET } from '../../support/token-test-servers';

const NOW_MS = Date.UTC(2030, 0, 2, 3, 4, 5);
const NOW_S = NOW_MS / 1000;
const now = () => NOW_MS;
const key = new TextEncoder().encode(SECRET);
const target = makeTarget({});

/** How the contract's auth service verifies: jose's checks plus the token type it requires. */
async function verifyAsAuthService(token: string): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      currentDate: new Date(NOW_MS),
      issuer: 'netra-auth-service',
      audience: 'netra-platform',
      requiredClaims: ['exp', 'iat', 'sub'],
    });
    return payload.token_type === 'access' ? null : 'wrong token_type';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

const parts = (t: string) => t.split('.');

interface Row {
  variant: BadTokenVariant;
  /** What the forged token must look like, given the valid one. */
  check: (forged: string, valid: string, validClaims: JWTPayload) => void;
  /** jose's error code when the auth service verifies it ('wrong token_type': jose accepts it, the type rule refuses). */
  error: string;
}

const sameClaimsExcept = (forged: string, validClaims: JWTPayload, changed: Partial<JWTPayload>) =>
  expect(decodeJwt(forged)).toEqual({ ...validClaims, ...changed });

const rows: Row[] = [
  { variant: 'empty', check: (f) => expect(f).toBe(''), error: 'ERR_JWS_INVALID' },
  { variant: 'malformed', check: (f) => expect(parts(f)).toHaveLength(1), error: 'ERR_JWS_INVALID' },
  {
    variant: 'bad-signature',
    check: (f, v) => {
      const [fh, fp, fs = ''] = parts(f);
      const [vh, vp, vs = ''] = parts(v);
      expect([fh, fp]).toEqual([vh, vp]);
      expect(fs).not.toBe(vs);
      expect(Buffer.from(fs, 'base64url')).toHaveLength(Buffer.from(vs, 'base64url').length);
    },
    error: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  },
  {
    variant: 'alg-none',
    check: (f, _v, c) => {
      expect(decodeProtectedHeader(f)).toEqual({ alg: 'none', typ: 'JWT' });
      expect(decodeJwt(f)).toEqual(c);
      expect(parts(f)[2]).toBe('');
    },
    error: 'ERR_JOSE_NOT_SUPPORTED',
  },
  {
    variant: 'expired',
    check: (f, _v, c) => {
      sameClaimsExcept(f, c, { iat: NOW_S - 7200, exp: NOW_S - 3600 });
      expect(decodeProtectedHeader(f)).toEqual({ alg: 'HS256', typ: 'JWT' });
    },
    error: 'ERR_JWT_EXPIRED',
  },
  { variant: 'wrong-audience', check: (f, _v, c) => sameClaimsExcept(f, c, { aud: WRONG_AUDIENCE }), error: 'ERR_JWT_CLAIM_VALIDATION_FAILED' },
  { variant: 'wrong-issuer', check: (f, _v, c) => sameClaimsExcept(f, c, { iss: WRONG_ISSUER }), error: 'ERR_JWT_CLAIM_VALIDATION_FAILED' },
  { variant: 'wrong-token-type', check: (f, _v, c) => sameClaimsExcept(f, c, { token_type: 'refresh' }), error: 'wrong token_type' },
  {
    variant: 'other-secret',
    check: (f, v, c) => {
      expect(decodeJwt(f)).toEqual(c);
      expect(parts(f)[0]).toBe(parts(v)[0]);
    },
    error: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  },
];

test.describe('forgeTokens with the secret and a valid token', () => {
  let valid: string;
  let validClaims: JWTPayload;
  let forged: ForgedToken[];
  test.beforeAll(async () => {
    validClaims = accessClaims(target.settings, NOW_S);
    valid = await signHs256(validClaims, SECRET);
    forged = await forgeTokens(target, valid, { now });
  });

  test('the valid token itself passes the same verification (control)', async () => {
    expect(await verifyAsAuthService(valid)).toBeNull();
  });

  test('one token per bad variant, in a stable order, none unavailable', () => {
    expect(forged.map((f) => f.variant)).toEqual([
      'missing',
      'empty',
      'malformed',
      'bad-signature',
      'alg-none',
      'expired',
      'wrong-audience',
      'wrong-issuer',
      'wrong-token-type',
      'other-secret',
    ]);
    expect(forged.filter((f) => f.unavailable)).toEqual([]);
  });

  test('missing has no token', () => {
    expect(forged.find((f) => f.variant === 'missing')?.token).toBeNull();
  });

  for (const row of rows) {
    test(`${row.variant}: differs in exactly its part, and verification fails with ${row.error}`, async () => {
      const f = forged.find((x) => x.variant === row.variant);
      expect(typeof f?.token).toBe('string');
      const token = f?.token ?? '';
      row.check(token, valid, validClaims);
      expect(await verifyAsAuthService(token)).toBe(row.error);
      expect(token).not.toBe(valid);
    });
  }

  test('descriptions are human text and never hold a token', () => {
    for (const f of forged) {
      expect(f.description.length).toBeGreaterThan(5);
      for (const t of [valid, ...forged.map((x) => x.token).filter((t): t is string => !!t && t.length > 20)]) expect(f.description).not.toContain(t);
    }
  });

  test('wrong-token-type picks "access" when the env itself uses "refresh"', async () => {
    const refreshEnv = makeTarget({}, { JWT_TOKEN_TYPE: 'refresh' });
    const got = await forgeTokens(refreshEnv, null, { now });
    const token = got.find((f) => f.variant === 'wrong-token-type')?.token ?? '';
    expect(decodeJwt(token).token_type).toBe('access');
  });
});

test.describe('forgeTokens without JWT_SECRET', () => {
  const noSecret = { ...target, settings: { ...target.settings, JWT_SECRET: undefined } };

  test('the four claim variants are unavailable with the reason; the others still come', async () => {
    const valid = await signHs256(accessClaims(target.settings, NOW_S), SECRET);
    const got = await forgeTokens(noSecret, valid, { now });
    expect(got.filter((f) => f.unavailable).map((f) => [f.variant, f.unavailable, f.token])).toEqual([
      ['expired', NEEDS_SECRET, null],
      ['wrong-audience', NEEDS_SECRET, null],
      ['wrong-issuer', NEEDS_SECRET, null],
      ['wrong-token-type', NEEDS_SECRET, null],
    ]);
    expect(await verifyAsAuthService(got.find((f) => f.variant === 'bad-signature')?.token ?? '')).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  test('and without a valid token, bad-signature is unavailable too', async () => {
    const got = await forgeTokens(noSecret, null, { now });
    expect(got.find((f) => f.variant === 'bad-signature')).toMatchObject({ token: null, unavailable: NEEDS_VALID });
    // alg-none and other-secret need neither: built from the env's claims.
    const none = got.find((f) => f.variant === 'alg-none')?.token ?? '';
    expect(decodeJwt(none)).toMatchObject({ iss: 'netra-auth-service', aud: 'netra-platform', token_type: 'access', iat: NOW_S });
  });
});

test('an opaque valid token: claim variants start from fresh env claims, bad-signature from a minted one', async () => {
  const got = await forgeTokens(target, 'opaque-session-token', { now });
  const bad = got.find((f) => f.variant === 'bad-signature')?.token ?? '';
  expect(await verifyAsAuthService(bad)).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  expect(decodeJwt(got.find((f) => f.variant === 'wrong-issuer')?.token ?? '')).toMatchObject({ iss: WRONG_ISSUER, aud: 'netra-platform', iat: NOW_S });
});
