// The one definition of every environment variable. Each `environments/NAME.env` is
// validated against it (after NAME.local.env and the process environment are layered on
// top, see load.ts) and becomes the Playwright project NAME. The `describe` texts are the
// documentation: staging.env.example and the README's variable table are written from them.
import { z } from 'zod';
import { MIN_SECRET_LENGTH } from '../helpers/redaction/redaction';

/** Variables whose values never appear anywhere: reports, logs, errors, titles. */
export const SECRET_VARIABLES = ['JWT_SECRET', 'E2E_BYPASS_KEY', 'DEV_LOGIN_PASSWORD', 'STATIC_TOKEN', 'SERVICE_SECRET'] as const;
export type SecretVariable = (typeof SECRET_VARIABLES)[number];

/**
 * A URL of one of `schemes`. Credentials (user:password@) are refused: every URL is printed in
 * reports and titles, where the redactor would not know them as secrets. A ws(s) URL with a
 * #fragment is refused too: the raw client cannot open one (helpers/channels/raw-probe.ts throws on it).
 */
const url = (schemes: readonly string[], expected: string, noFragment: boolean) =>
  z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const scheme = new RegExp(`^(${schemes.join('|')})://[^/\\s]+`, 'i');
      if (!scheme.test(v) || !URL.canParse(v)) return void ctx.addIssue({ code: 'custom', message: expected });
      const parsed = new URL(v);
      if (parsed.username || parsed.password) {
        ctx.addIssue({ code: 'custom', message: 'must not carry credentials (user:password@): URLs are printed in reports; remove them' });
      } else if (noFragment && parsed.hash) {
        ctx.addIssue({ code: 'custom', message: 'must not have a #fragment: a WebSocket URL cannot carry one; remove it' });
      }
    });
const httpUrl = url(['http', 'https'], 'expected an http:// or https:// URL', false);
const wsUrl = url(['ws', 'wss'], 'expected a ws:// or wss:// URL', true);
const path = z.string().trim().regex(/^\/\S*$/, 'expected a path starting with /');
const optionalPath = z.union([z.literal(''), path]);
const ms = (dflt: number) => z.coerce.number().int().positive().max(600_000).default(dflt);
const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1, 'expected at least one value'));
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
/**
 * The redactor (helpers/redaction/redaction.ts) refuses to scrub a secret shorter than MIN_SECRET_LENGTH:
 * it would mangle ordinary text. Checked here, so the run stops at load (exit 2) instead of
 * inside a fixture. No opt-out: the redactor has none, and a secret that cannot be scrubbed must
 * not reach a report. A whitespace-only value is a paste gone wrong, not a secret.
 */
/**
 * A value that ends up inside the token (a claim, the issuer…). The token travels in one
 * handshake header, which servers cap at a few KB; and the redactor builds one pattern from every
 * encoding of every token it meets, which fails outright (invalid regular expression) for a token
 * of tens of KB. A claim past 256 characters is a paste gone wrong, so it is refused here.
 */
const claim = z.string().min(1).max(256, 'at most 256 characters: it goes into the token, which travels in one handshake header');

const secret = z
  .string()
  .min(
    MIN_SECRET_LENGTH,
    `must be at least ${MIN_SECRET_LENGTH} characters: the redactor cannot scrub a shorter secret from reports without mangling ordinary text; ` +
      `use a longer secret (for the twin, any throwaway value of ${MIN_SECRET_LENGTH}+ characters in local.env), or another TOKEN_SOURCE`,
  )
  .refine((v) => v.trim() !== '', 'is only whitespace');

/**
 * The twin's faults (twin/faults.ts's FAULT_NAMES) and 'none'. Repeated here because environments/
 * does not import the twin; tests/selftest/fault-matrix.spec.ts checks the two lists agree.
 */
export const TWIN_FAULTS = [
  'none',
  'missing-auth-url',
  'auth-down',
  'auth-slow',
  'service-secret-mismatch',
  'jwt-secret-mismatch',
  'accept-then-close',
  'not-ready',
  'edge-403',
  'origin-rejected',
  'header-stripped',
  'subprotocol-mismatch',
  'intermittent',
  'overloaded',
  'hang',
  'tls-untrusted',
] as const;

export const TOKEN_SOURCES = ['mint', 'e2e-endpoint', 'dev-login', 'static'] as const;
export type TokenSourceName = (typeof TOKEN_SOURCES)[number];

export const INVALID_TOKEN_REFUSALS = ['handshake-403', 'handshake-401', 'close-1008'] as const;
export type InvalidTokenRefusal = (typeof INVALID_TOKEN_REFUSALS)[number];

export const envSchema = z
  .object({
    // --- Target -------------------------------------------------------------------------
    TWIN: z
      .enum(['embedded', 'off'])
      .default('off')
      .describe('embedded: start the staging twin on free loopback ports and target it (local only); off: target the URLs below.'),
    TWIN_FAULT: z
      .enum(TWIN_FAULTS)
      .optional()
      .describe("TWIN=embedded only: start the twin with this fault (twin/README.md), e.g. missing-auth-url; none: healthy; unset: the process's TWIN_FAULT"),
    FRONTEND_URL: httpUrl.optional().describe('Frontend origin, e.g. https://app.staging.example.com'),
    BACKEND_URL: httpUrl.optional().describe('Backend base URL, e.g. https://api.staging.example.com'),
    AUTH_URL: httpUrl.optional().describe('Auth service base URL, e.g. https://auth.staging.example.com'),
    WS_URL: wsUrl.optional().describe('WebSocket URL; default: BACKEND_URL with ws(s):// and WS_PATH'),
    WS_PATH: path.default('/ws').describe('WebSocket path on the backend'),
    FRONTEND_CHAT_PATH: path.default('/').describe('Frontend page that opens the chat socket'),
    FRONTEND_HEALTH_PATH: path.default('/health'),
    BACKEND_HEALTH_PATH: path.default('/health'),
    AUTH_HEALTH_PATH: path.default('/health'),
    AUTH_VALIDATE_PATH: path.default('/auth/validate').describe('Auth service token validation endpoint (POST {token, token_type})'),
    DEPENDENCIES_STATUS_PATH: optionalPath
      .default('/api/system/dependencies/status')
      .describe("Backend endpoint listing its dependencies; empty to skip the 'auth service configured' check"),
    ORIGIN: httpUrl.optional().describe('Origin header the raw client sends; default: the frontend origin'),
    CA_FILE: z.string().trim().optional().describe('Extra CA certificate (PEM) trusted for https:// and wss:// targets'),

    // --- Tokens -----------------------------------------------------------------------
    TOKEN_SOURCE: z.enum(TOKEN_SOURCES).default('mint').describe('Where the valid token comes from: mint | e2e-endpoint | dev-login | static'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').refine((v) => v.trim() !== '', 'is only whitespace').optional().describe('HS256 signing secret (secret). Needed by mint and to forge claim variants'),
    JWT_ISSUER: claim.default('netra-auth-service'),
    JWT_AUDIENCE: claim.default('netra-platform'),
    JWT_TOKEN_TYPE: claim.default('access'),
    JWT_ENV: claim.default('staging').describe('The `env` claim'),
    JWT_LIFETIME_SECONDS: z.coerce.number().int().positive().default(1800),
    TEST_USER_EMAIL: z.email().default('ws-auth-repro@example.com'),
    TEST_USER_PERMISSIONS: z.string().max(256, 'at most 256 characters: it goes into the token, which travels in one handshake header').default('read,write').describe('Comma-separated permissions claim'),
    E2E_BYPASS_KEY: secret.optional().describe('X-E2E-Bypass-Key for e2e-endpoint (secret)'),
    E2E_TEST_AUTH_PATH: path.default('/auth/e2e/test-auth'),
    DEV_LOGIN_EMAIL: z.email().optional(),
    DEV_LOGIN_PASSWORD: secret.optional().describe('Password for dev-login (secret)'),
    DEV_LOGIN_PATH: path.default('/auth/dev/login'),
    STATIC_TOKEN: secret.optional().describe('A token handed over by the operator, for static (secret)'),
    SERVICE_ID: z.string().min(1).default('netra-backend').describe('X-Service-ID the suite sends when it validates a token as the backend would'),
    SERVICE_SECRET: secret.optional().describe('X-Service-Secret for /auth/validate (secret); omitted when unset'),
    TOKEN_STORAGE_KEY: z.string().min(1).default('jwt_token').describe("localStorage key the frontend reads the token from"),

    // --- What the target is expected to do ---------------------------------------------
    TRANSPORTS: list(['subprotocol', 'authorization-header', 'query', 'cookie'] as const)
      .default(['subprotocol', 'authorization-header'])
      .describe('Comma-separated transports the target supports'),
    INVALID_TOKEN_REFUSAL: z
      .enum(INVALID_TOKEN_REFUSALS)
      .default('handshake-403')
      .describe('How the backend refuses a bad token: handshake-403 | handshake-401 | close-1008'),
    HANDSHAKE_BUDGET_MS: ms(5000).describe('A handshake slower than this is a timeout'),
    HTTP_TIMEOUT_MS: ms(5000).describe('Timeout of each HTTP call (health, validate, login)'),
    BACKEND_AUTH_TIMEOUT_MS: ms(1600).describe("The backend's own read timeout towards the auth service; refusals near it mean 'auth too slow'"),

    // --- Browser page (optional: without them the UI steps are skipped, CDP evidence still taken)
    UI_STATUS_SELECTOR: z.string().optional(),
    UI_CONNECTED_TEXT: z.string().optional(),
    UI_INPUT_SELECTOR: z.string().optional(),
    UI_SEND_SELECTOR: z.string().optional(),
    UI_MESSAGES_SELECTOR: z.string().optional(),
    FRONTEND_NO_TOKEN_CONSOLE: z
      .string()
      .default('')
      .describe("Console text the frontend logs when it has no token (contract: 'WebSocket connection skipped - no token available'); empty: not asserted"),
    APP_MESSAGES: z
      .string()
      .default('')
      .describe("Extra backend messages and the cause each names, 'text=cause;text=cause' (e.g. 'Auth backend down=backend-cannot-use-auth-service'); the contract's are built in"),

    // --- Intermittent failures ---------------------------------------------------------
    BURST_MIN_RATE: z.coerce.number().gt(0).lt(1).default(0.01).describe('Smallest refusal rate the burst must detect'),
    BURST_CONFIDENCE: z.coerce.number().gt(0).lt(1).default(0.95),
    BURST_CONCURRENCY: z.coerce
      .number()
      .int()
      .min(1)
      .max(200)
      .default(10)
      .describe('Highest number of handshakes in flight the ramp climbs to (1 → 2 → 5 → 10 → this)'),
    BURST_SIZE: z.coerce.number().int().min(1).max(10_000).optional().describe('Total handshakes of the ramp; default: what detects BURST_MIN_RATE at BURST_CONFIDENCE (299)'),
    BURST_MAX_RATE: z.coerce.number().int().min(0).max(10_000).default(100).describe('Cap on handshakes started per second by the ramp; 0: uncapped'),

    // --- Safety and reporting ------------------------------------------------------------
    PRODUCTION_HOST_PATTERN: z
      .string()
      .default('')
      .describe('Regex of hosts treated as production; empty: the default guard (see production-guard.ts)'),
    ALLOW_PRODUCTION: bool.describe('true to run against a production-looking host on purpose'),
    ISSUE_ID: z.string().default('631'),
    ISSUE_URL_TEMPLATE: z.string().optional().describe('Issue link for reports, {id} replaced by ISSUE_ID'),
  })
  .superRefine((env, ctx) => {
    if (env.TWIN === 'off') {
      for (const key of ['FRONTEND_URL', 'BACKEND_URL', 'AUTH_URL'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required when TWIN=off' });
      }
      // A fault for a twin that is not started would be silently ignored: the operator meant something else.
      if (env.TWIN_FAULT) ctx.addIssue({ code: 'custom', path: ['TWIN_FAULT'], message: 'only applies with TWIN=embedded (a real staging has the faults it has)' });
    }
    const needs: Record<TokenSourceName, Array<keyof typeof env>> = {
      mint: ['JWT_SECRET'],
      'e2e-endpoint': ['E2E_BYPASS_KEY'],
      'dev-login': ['DEV_LOGIN_EMAIL', 'DEV_LOGIN_PASSWORD'],
      static: ['STATIC_TOKEN'],
    };
    for (const key of needs[env.TOKEN_SOURCE]) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: `required by TOKEN_SOURCE=${env.TOKEN_SOURCE}` });
    }
    if (env.PRODUCTION_HOST_PATTERN) {
      try {
        new RegExp(env.PRODUCTION_HOST_PATTERN);
      } catch {
        ctx.addIssue({ code: 'custom', path: ['PRODUCTION_HOST_PATTERN'], message: 'not a valid regular expression' });
      }
    }
  });

export type EnvSettings = z.output<typeof envSchema>;
