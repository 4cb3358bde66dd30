// HS256 tokens with the contract's claims, minted and verified the way the staging auth
// service does. Verification requires exp, iat, sub, the audience and the token type; the
// issuer is checked too, so the suite's wrong-issuer forgery is refused by a healthy twin.
import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export interface JwtSettings {
  secret: string;
  issuer: string;
  audience: string;
  /** The token type access tokens carry and validation expects ("access"). */
  tokenType: string;
  /** The `env` claim. */
  env: string;
}

export interface MintInput {
  sub: string;
  email: string;
  permissions: readonly string[];
  lifetimeSeconds: number;
  /** Defaults to the settings' token type; refresh tokens pass "refresh". */
  tokenType?: string;
}

export interface VerifiedClaims {
  sub: string;
  email: string | null;
  permissions: string[];
  exp: number;
}

export type VerifyResult = { ok: true; claims: VerifiedClaims } | { ok: false; code: string; message: string };

const key = (secret: string): Uint8Array => new TextEncoder().encode(secret);

export async function mintJwt(settings: JwtSettings, input: MintInput): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    token_type: input.tokenType ?? settings.tokenType,
    env: settings.env,
    email: input.email,
    permissions: [...input.permissions],
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(input.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + input.lifetimeSeconds)
    .setJti(randomUUID())
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .sign(key(settings.secret));
}

export async function verifyJwt(token: string, settings: JwtSettings): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(token, key(settings.secret), {
      algorithms: ['HS256'],
      issuer: settings.issuer,
      audience: settings.audience,
      requiredClaims: ['exp', 'iat', 'sub'],
    });
    if (payload.token_type !== settings.tokenType) {
      return { ok: false, code: 'ERR_TOKEN_TYPE', message: `token_type must be "${settings.tokenType}"` };
    }
    const permissions = Array.isArray(payload.permissions) ? payload.permissions.filter((p): p is string => typeof p === 'string') : [];
    return {
      ok: true,
      claims: {
        sub: payload.sub ?? '',
        email: typeof payload.email === 'string' ? payload.email : null,
        permissions,
        exp: payload.exp ?? 0,
      },
    };
  } catch (error) {
    // jose's error codes are stable (ERR_JWT_EXPIRED, ERR_JWS_SIGNATURE_VERIFICATION_FAILED…); the
    // message never contains the token.
    if (error instanceof errors.JOSEError) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: 'ERR_UNKNOWN', message: 'token could not be verified' };
  }
}
