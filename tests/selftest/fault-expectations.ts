// What the suite must conclude against the healthy twin and each of its faults: ONE table,
// read by the fault matrix (fault-matrix.spec.ts). It is written from what the evidence of each
// test can honestly support (twin/README.md's fault table, shared/CONTRACT.md), never from what
// a run happened to print: a mismatch is a bug in the suite or the twin until shown otherwise.
import type { Cause } from '../../helpers/causes';
import type { ResultsFile, TestResultEntry } from '../../helpers/reporting/results-file';
import type { FaultName } from '../../twin/faults';

/** A test's stable key: its spec file's name and its own title, e.g. `valid-jwt › the raw client …`. */
export function testKey(entry: Pick<TestResultEntry, 'file' | 'title'>): string {
  const spec = entry.file.split('/').pop()?.replace(/\.spec\.ts$/, '') ?? entry.file;
  return `${spec} › ${entry.title.split(' › ').pop() ?? entry.title}`;
}

/** Every test of the local project, by key; the matrix checks this list against each run. */
export const T = {
  targetResolves: 'config-verification › the target resolves from the environment file',
  frontendHealth: 'config-verification › the frontend health endpoint answers',
  backendHealth: 'config-verification › the backend health endpoint answers',
  authHealth: 'config-verification › the auth health endpoint answers',
  tokenObtained: 'config-verification › a token is obtained from the token source',
  authAcceptsToken: 'config-verification › the auth service accepts that token at its validate endpoint',
  authRefusesForged: 'config-verification › the auth service refuses a forged token at its validate endpoint',
  authListed: 'config-verification › the backend lists its auth service among its dependencies',
  invalidMissing: 'invalid-jwt › the raw client with no token at all is refused (missing)',
  invalidEmpty: 'invalid-jwt › the raw client with an empty token is refused (empty)',
  invalidMalformed: 'invalid-jwt › the raw client with a malformed token is refused (malformed)',
  invalidBadSignature: 'invalid-jwt › the raw client with a token with a broken signature is refused (bad-signature)',
  invalidAlgNone: 'invalid-jwt › the raw client with an unsigned (alg: none) token is refused (alg-none)',
  invalidExpired: 'invalid-jwt › the raw client with an expired token is refused (expired)',
  invalidAudience: 'invalid-jwt › the raw client with a token for another audience is refused (wrong-audience)',
  invalidIssuer: 'invalid-jwt › the raw client with a token from another issuer is refused (wrong-issuer)',
  invalidTokenType: 'invalid-jwt › the raw client with a refresh token instead of an access token is refused (wrong-token-type)',
  invalidOtherSecret: 'invalid-jwt › the raw client with a token signed with another secret is refused (other-secret)',
  browserForged: 'invalid-jwt › the chat page with a forged token shows the failure and logs the refused handshake',
  browserNoToken: 'invalid-jwt › the chat page with no token does not open a socket and says why',
  reproduce: 'reproduce-403 › a token the auth service accepts opens the chat socket on every channel',
  withinBudget: 'timeout › a valid handshake is answered within the handshake budget',
  blackHole: 'timeout › a server that never answers the upgrade is reported as a handshake timeout within the budget',
  validSubprotocol: 'valid-jwt › the raw client connects with a valid token via subprotocol',
  validHeader: 'valid-jwt › the raw client connects with a valid token via authorization-header',
  validQuery: 'valid-jwt › the raw client connects with a valid token via query',
  validCookie: 'valid-jwt › the raw client connects with a valid token via cookie',
  validBrowser: 'valid-jwt › the chat page connects in Chromium with a valid token and a message round-trips',
} as const;

export type TestKey = (typeof T)[keyof typeof T];

/** Skipped in every run of the local project, and why. */
export const SKIPPED: Partial<Record<TestKey, string>> = {
  [T.validQuery]: 'environments/local.env lists no query transport (the contract never reads the token from the query)',
  [T.validCookie]: 'environments/local.env lists no cookie transport (the contract never reads the token from cookies)',
};

export interface FaultExpectation {
  /** `npm run repro`'s exit code. */
  exitCode: 0 | 1 | 2;
  /** The reproduce-403 test's verdict: the run's diagnosis. */
  headline: Cause;
  /** The tests that must fail, each with its verdict's cause; every other test passes (or is SKIPPED). */
  failing: Partial<Record<TestKey, Cause>>;
  /** Tests that may pass or fail (a fault that hits some requests only), and the causes a failure may carry. */
  mayFail?: Partial<Record<TestKey, readonly Cause[]>>;
  /** The reproduce-403 test's burst: its refusal rate's interval must contain this rate. */
  burstRate?: number;
  /** Why a failing test's cause differs from the headline, where it does. */
  notes?: string;
}

const VALID_RAW_AND_BROWSER = [T.validSubprotocol, T.validHeader, T.validBrowser] as const;
const INVALID_RAW = [
  T.invalidMissing,
  T.invalidEmpty,
  T.invalidMalformed,
  T.invalidBadSignature,
  T.invalidAlgNone,
  T.invalidExpired,
  T.invalidAudience,
  T.invalidIssuer,
  T.invalidTokenType,
  T.invalidOtherSecret,
] as const;

const each = (keys: readonly TestKey[], cause: Cause): Partial<Record<TestKey, Cause>> => Object.fromEntries(keys.map((k) => [k, cause]));

/** The valid token fails everywhere the suite presents it, for one cause. */
function validFails(cause: Cause, extra: Partial<Record<TestKey, Cause>> = {}): FaultExpectation {
  return { exitCode: 1, headline: cause, failing: { [T.reproduce]: cause, ...each(VALID_RAW_AND_BROWSER, cause), ...extra } };
}

// A refusal seen on ONE channel (the browser alone, or the Authorization header alone) fits an
// edge, an Origin rule, a stripped header and rejected caller credentials alike: a single-channel
// test must not name one of them (only reproduce-403 compares channels), so it says `unexplained`.
const SINGLE_CHANNEL = 'a single-channel test cannot tell edge / Origin / stripped header / caller secret apart: unexplained';

export const EXPECTATIONS: Record<'healthy' | FaultName, FaultExpectation> = {
  healthy: { exitCode: 0, headline: 'healthy', failing: {} },
  'missing-auth-url': validFails('backend-cannot-use-auth-service', { [T.authListed]: 'backend-cannot-use-auth-service' }),
  'auth-down': validFails('auth-service-unreachable', {
    [T.authHealth]: 'auth-service-unreachable',
    [T.authAcceptsToken]: 'auth-service-unreachable',
    [T.authRefusesForged]: 'auth-service-unreachable',
    [T.authListed]: 'auth-service-unreachable',
  }),
  // The suite's own validate call (5 s budget) gets its answer after 3 s, so config passes; the
  // backend's 1.6 s refusal is still inside the 2.5 s handshake budget.
  'auth-slow': validFails('auth-service-slow'),
  'service-secret-mismatch': {
    ...validFails('service-credentials-rejected', { [T.validHeader]: 'unexplained', [T.validBrowser]: 'unexplained' }),
    notes: SINGLE_CHANNEL,
  },
  'jwt-secret-mismatch': validFails('token-rejected-by-auth-service', { [T.authAcceptsToken]: 'token-rejected-by-auth-service' }),
  // Every token, invalid ones too, gets 101 + AUTH_FAILED + 1008 where local.env promises a 403;
  // the backend also lists no auth service (AUTH_SERVICE_URL is unset in this fault).
  'accept-then-close': {
    ...validFails('refused-after-accept', {
      [T.authListed]: 'backend-cannot-use-auth-service',
      ...each(INVALID_RAW, 'refused-after-accept'),
      [T.browserForged]: 'refused-after-accept',
    }),
    notes: 'config alone sees only the missing auth service; invalid tokens meet the same 101-then-1008 as the valid one',
  },
  'not-ready': validFails('backend-not-ready'),
  'edge-403': { ...validFails('edge-proxy-refused', { [T.validBrowser]: 'unexplained' }), notes: SINGLE_CHANNEL },
  // Raw clients carry no browser User-Agent, so only the browser is refused.
  'origin-rejected': { exitCode: 1, headline: 'origin-rejected', failing: { [T.reproduce]: 'origin-rejected', [T.validBrowser]: 'unexplained' }, notes: SINGLE_CHANNEL },
  'header-stripped': {
    exitCode: 1,
    headline: 'authorization-header-stripped',
    failing: { [T.reproduce]: 'authorization-header-stripped', [T.validHeader]: 'unexplained' },
    notes: SINGLE_CHANNEL,
  },
  // The Authorization-header transport offers no subprotocol, so it connects.
  'subprotocol-mismatch': { exitCode: 1, headline: 'subprotocol-mismatch', failing: { [T.reproduce]: 'subprotocol-mismatch', [T.validSubprotocol]: 'subprotocol-mismatch', [T.validBrowser]: 'subprotocol-mismatch' } },
  // The edge alternates requests (health and dependency calls included) between a healthy and a
  // missing-auth-url backend: a single probe lands on either, and a refused one is judged on its
  // own evidence with the dependency fact of whichever instance answered it (listed: none → #631;
  // listed healthy → caller credentials for a raw subprotocol refusal, unexplained otherwise).
  intermittent: {
    exitCode: 1,
    headline: 'intermittent-refusals',
    failing: { [T.reproduce]: 'intermittent-refusals' },
    mayFail: {
      [T.authListed]: ['backend-cannot-use-auth-service'],
      [T.validSubprotocol]: ['backend-cannot-use-auth-service', 'service-credentials-rejected'],
      [T.validHeader]: ['backend-cannot-use-auth-service', 'unexplained'],
      [T.validBrowser]: ['backend-cannot-use-auth-service', 'unexplained'],
    },
    burstRate: 0.5,
  },
  // Invalid tokens meet the same silent upgrade as the valid one.
  hang: validFails('handshake-timeout', { [T.withinBudget]: 'handshake-timeout', ...each(INVALID_RAW, 'handshake-timeout'), [T.browserForged]: 'handshake-timeout' }),
  // Every https/wss call fails certificate verification, the chat page itself included; only the
  // env file, the locally minted token and the black hole need no TLS to the twin.
  'tls-untrusted': validFails('tls-failure', {
    ...each([T.frontendHealth, T.backendHealth, T.authHealth, T.authAcceptsToken, T.authRefusesForged, T.authListed, T.withinBudget], 'tls-failure'),
    ...each(INVALID_RAW, 'tls-failure'),
    [T.browserForged]: 'tls-failure',
    [T.browserNoToken]: 'tls-failure',
  }),
};

/** Every mismatch between a run and its expectation, one line each, naming the test and both outcomes. */
export function compareRun(expected: FaultExpectation, code: number | null, results: ResultsFile | null): string[] {
  const lines: string[] = [];
  if (code !== expected.exitCode) lines.push(`exit code ${code}, expected ${expected.exitCode}`);
  if (!results) return [...lines, 'no results.json was written'];
  const byKey = new Map(results.tests.map((t) => [testKey(t), t] as const));
  const known = new Set<string>(Object.values(T));
  for (const key of byKey.keys()) if (!known.has(key)) lines.push(`"${key}": ran, but the table does not know it (add it to T)`);
  for (const key of known) if (!byKey.has(key)) lines.push(`"${key}": did not run`);

  for (const [key, entry] of byKey) {
    const k = key as TestKey;
    const got = `${entry.outcome} [${entry.verdict?.cause ?? 'no verdict'}]`;
    const failing = expected.failing[k];
    const may = expected.mayFail?.[k];
    if (failing) {
      if (entry.outcome !== 'failed' || entry.verdict?.cause !== failing) lines.push(`"${key}": ${got}, expected failed [${failing}]`);
    } else if (SKIPPED[k]) {
      if (entry.outcome !== 'skipped') lines.push(`"${key}": ${got}, expected skipped (${SKIPPED[k]})`);
    } else if (may && entry.outcome === 'failed') {
      if (!entry.verdict || !may.includes(entry.verdict.cause)) lines.push(`"${key}": ${got}, expected passed or failed [${may.join(' | ')}]`);
    } else if (entry.outcome !== 'passed') {
      lines.push(`"${key}": ${got}, expected passed`);
    }
  }

  const reproduce = byKey.get(T.reproduce);
  if (reproduce && reproduce.verdict?.cause !== expected.headline) lines.push(`headline [${reproduce.verdict?.cause ?? 'no verdict'}], expected [${expected.headline}]`);
  if (expected.burstRate !== undefined) {
    const interval = reproduce?.burst?.interval;
    if (!interval) lines.push(`"${T.reproduce}": no burst in results.json, expected one whose interval contains ${expected.burstRate}`);
    else if (interval.low > expected.burstRate || interval.high < expected.burstRate) {
      lines.push(`"${T.reproduce}": burst refusal rate interval ${interval.low.toFixed(3)}–${interval.high.toFixed(3)} does not contain ${expected.burstRate}`);
    }
  }
  return lines;
}
