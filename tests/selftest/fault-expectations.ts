// What the suite must conclude against the healthy twin and each of its faults: ONE table,
// read by the fault matrix (fault-matrix.spec.ts). It is written from what the evidence of each
// test can honestly support (twin/README.md's fault table, docs/staging-contract.md), never from what
// a run happened to print: a mismatch is a bug in the suite or the twin until shown otherwise.
import type { Cause } from '../../helpers/diagnosis/causes';
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
  browserNoToken: 'invalid-jwt › the chat page with no token opens no authenticated socket',
  reproduce: 'reproduce-403 › a token the auth service accepts opens the chat socket on every channel',
  withinBudget: 'handshake-timeout › a valid handshake is answered within the handshake budget',
  blackHole: 'handshake-timeout › a server that never answers the upgrade is reported as a handshake timeout within the budget',
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
  exitCode: 0 | 1 | 2 | 3;
  /** The reproduce-403 test's verdict: the run's diagnosis. */
  headline: Cause;
  /** The tests that must fail, each with its verdict's cause; every other test passes (or is SKIPPED). */
  failing: Partial<Record<TestKey, Cause>>;
  /** Tests that may pass or fail (a fault that hits some requests only), and the causes a failure may carry. */
  mayFail?: Partial<Record<TestKey, readonly Cause[]>>;
  /** The reproduce-403 test's ramp, one handshake in flight: its refusal rate's interval must contain this rate. */
  burstRate?: number;
  /** Faults whose evidence no flavour changes (below HTTP) run under the node flavour only. */
  nodeOnly?: boolean;
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

/**
 * The valid token fails everywhere the suite presents it, for one cause. Every failing test runs
 * the deciding experiments (a forged token sent the same way, no Origin, the browser's request
 * replayed), so a single-channel test names the same cause as the #631 test.
 */
function validFails(cause: Cause, extra: readonly TestKey[] = [], exitCode: 0 | 1 | 2 | 3 = 1): FaultExpectation {
  return { exitCode, headline: cause, failing: each([T.reproduce, ...VALID_RAW_AND_BROWSER, ...extra], cause) };
}

// ONE row per fault, whatever the flavour: no verdict may depend on how a stack looks.
export const EXPECTATIONS: Record<'healthy' | FaultName, FaultExpectation> = {
  healthy: { exitCode: 0, headline: 'healthy', failing: {} },
  'missing-auth-url': validFails('backend-cannot-use-auth-service', [T.authListed]),
  'auth-down': validFails('auth-service-unreachable', [T.authHealth, T.authAcceptsToken, T.authRefusesForged, T.authListed]),
  // The suite's own validate call (5 s budget) gets its answer after 3 s, so config passes; the
  // backend's 1.6 s refusal is still inside the 2.5 s handshake budget.
  'auth-slow': validFails('auth-service-slow'),
  // Without a dependency-status endpoint this cannot be told from #631: the verdict then lists both.
  'service-secret-mismatch': validFails('service-credentials-rejected'),
  'jwt-secret-mismatch': validFails('token-rejected-by-auth-service', [T.authAcceptsToken]),
  // Every token, invalid ones too, gets 101 + AUTH_FAILED + 1008 where local.env promises a 403;
  // valid and forged are turned down identically and the backend cannot use its auth service.
  'accept-then-close': validFails('backend-cannot-use-auth-service', [T.authListed, ...INVALID_RAW, T.browserForged]),
  'not-ready': validFails('backend-not-ready'),
  'edge-403': validFails('edge-proxy-refused'),
  // Raw clients carry no browser User-Agent, so only the browser (and its replay) is refused.
  'origin-rejected': { exitCode: 1, headline: 'origin-rejected', failing: each([T.reproduce, T.validBrowser], 'origin-rejected') },
  'header-stripped': { exitCode: 1, headline: 'authorization-header-stripped', failing: each([T.reproduce, T.validHeader], 'authorization-header-stripped') },
  // The Authorization-header transport offers no subprotocol, so it connects.
  'subprotocol-mismatch': { exitCode: 1, headline: 'subprotocol-mismatch', failing: each([T.reproduce, T.validSubprotocol, T.validBrowser], 'subprotocol-mismatch') },
  // The edge alternates requests (health and dependency calls included) between a healthy and a
  // missing-auth-url backend: a single probe lands on either, and its experiments may land on the other.
  intermittent: {
    exitCode: 1,
    headline: 'intermittent-refusals',
    failing: { [T.reproduce]: 'intermittent-refusals' },
    mayFail: {
      // The dependency call and the experiments may land on different instances: contradictory evidence, honestly unexplained.
      [T.authListed]: ['backend-cannot-use-auth-service', 'intermittent-refusals', 'unexplained'],
      ...Object.fromEntries(
        VALID_RAW_AND_BROWSER.map((k) => [k, ['intermittent-refusals', 'backend-cannot-use-auth-service', 'service-credentials-rejected', 'origin-rejected', 'authorization-header-stripped', 'unexplained']]),
      ),
    },
    burstRate: 0.5,
  },
  // Healthy one at a time; the ramp finds refusals from 10 in flight: reported, exit 3, no failing test.
  overloaded: { exitCode: 3, headline: 'refusals-under-load', failing: {} },
  // Invalid tokens meet the same silent upgrade as the valid one.
  hang: { ...validFails('handshake-timeout', [T.withinBudget, ...INVALID_RAW, T.browserForged]), mayFail: { [T.browserNoToken]: ['handshake-timeout'] }, nodeOnly: true },
  // Every https/wss call fails certificate verification, the chat page itself included; only the
  // env file, the locally minted token and the black hole need no TLS to the twin.
  'tls-untrusted': {
    ...validFails('tls-failure', [T.frontendHealth, T.backendHealth, T.authHealth, T.authAcceptsToken, T.authRefusesForged, T.authListed, T.withinBudget, ...INVALID_RAW, T.browserForged, T.browserNoToken]),
    nodeOnly: true,
  },
};

/** A verdict names the expected cause, or — when the evidence could not decide — lists it among its candidates. */
function names(verdict: TestResultEntry['verdict'], cause: Cause): boolean {
  return !!verdict && (verdict.cause === cause || (verdict.candidates ?? []).includes(cause));
}

/** What a verdict says, for a mismatch line. */
function said(verdict: TestResultEntry['verdict']): string {
  if (!verdict) return 'no verdict';
  return verdict.candidates?.length ? `${verdict.cause} | candidates ${verdict.candidates.join(', ')}` : verdict.cause;
}

/** Every mismatch between a run and its expectation, one line each, naming the test and both outcomes. */
export function compareRun(
  expected: FaultExpectation,
  code: number | null,
  results: ResultsFile | null,
  opts: { headlineOnly?: boolean; skippable?: readonly TestKey[]; exitCodeOfAGroup?: boolean } = {},
): string[] {
  const lines: string[] = [];
  // A run holding several faults' environments has one exit code, judged for the group by its caller.
  if (!opts.exitCodeOfAGroup && code !== expected.exitCode) lines.push(`exit code ${code}, expected ${expected.exitCode}`);
  if (!results) return [...lines, 'no results.json was written'];
  const byKey = new Map(results.tests.map((t) => [testKey(t), t] as const));
  const known = new Set<string>(Object.values(T));
  for (const key of byKey.keys()) if (!known.has(key)) lines.push(`"${key}": ran, but the table does not know it (add it to T)`);
  if (!opts.headlineOnly) for (const key of known) if (!byKey.has(key)) lines.push(`"${key}": did not run`);

  for (const [key, entry] of byKey) {
    const k = key as TestKey;
    const got = `${entry.outcome} [${said(entry.verdict)}]`;
    // A check the target's stack has no endpoint for (the dependency status) may be skipped instead.
    if (entry.outcome === 'skipped' && opts.skippable?.includes(k)) continue;
    const failing = expected.failing[k];
    const may = expected.mayFail?.[k];
    if (failing) {
      if (entry.outcome !== 'failed' || !names(entry.verdict, failing)) lines.push(`"${key}": ${got}, expected failed [${failing}]`);
    } else if (SKIPPED[k]) {
      if (entry.outcome !== 'skipped') lines.push(`"${key}": ${got}, expected skipped (${SKIPPED[k]})`);
    } else if (may && entry.outcome === 'failed') {
      if (!may.some((cause) => names(entry.verdict, cause))) lines.push(`"${key}": ${got}, expected passed or failed [${may.join(' | ')}]`);
    } else if (entry.outcome !== 'passed') {
      lines.push(`"${key}": ${got}, expected passed`);
    }
  }

  const reproduce = byKey.get(T.reproduce);
  if (!reproduce) lines.push(`"${T.reproduce}": did not run`);
  else if (!names(reproduce.verdict, expected.headline)) lines.push(`headline [${said(reproduce.verdict)}], expected [${expected.headline}]`);
  if (expected.burstRate !== undefined) {
    // The rate measured with one handshake in flight: a bad instance's share, not load's.
    const sequential = reproduce?.ramp?.steps.find((s) => s.concurrency === 1);
    const interval = sequential?.interval;
    if (!interval) lines.push(`"${T.reproduce}": no ramp step at 1 in flight in results.json, expected one whose interval contains ${expected.burstRate}`);
    else if (interval.low > expected.burstRate || interval.high < expected.burstRate) {
      lines.push(`"${T.reproduce}": refusal rate at 1 in flight, interval ${interval.low.toFixed(3)}–${interval.high.toFixed(3)}, does not contain ${expected.burstRate}`);
    }
  }
  return lines;
}
