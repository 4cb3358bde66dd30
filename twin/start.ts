// Assembles and starts the twin for one fault (or none), and — run as a script
// (`npm run twin`, `node --import tsx twin/start.ts`) — is its CLI: config from the process
// environment (same names as environments/local.env, which it reads itself when JWT_SECRET
// is unset), one JSON "ready" line first on stdout, then the URLs for humans; it stops on
// SIGINT/SIGTERM and when its stdin pipe ends, so it dies with the process that spawned it.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { type AuthEnvironment, startAuthService } from './auth-service';
import { type RunningBackend, startBackend } from './backend';
import { deadFallbackUrl, findDeadPort } from './dead-port';
import { STAGING_HEALTH_TIMEOUT_MS } from './auth-client';
import { OVERLOADED_CAPACITY } from './capacity';
import { startEdgeProxy } from './edge-proxy';
import { FAULT_NAMES, type FaultName, isFaultName, planFor } from './faults';
import { FLAVOUR_NAMES, FLAVOURS, type FlavourName, isFlavourName } from './flavours';
import { startFrontend } from './frontend';
import type { Served } from './server';
import { makeTlsMaterial } from './tls';

export interface TwinOptions {
  fault: FaultName | 'none';
  /** Which real stack the twin presents as (flavours.ts); presentation only. Default: node. */
  flavour?: FlavourName;
  /** Serve https/wss with a generated CA + leaf and publish the CA PEM and the leaf's SPKI hash. */
  tls: boolean;
  jwtSecret: string;
  jwtIssuer: string;
  jwtAudience: string;
  jwtTokenType: string;
  jwtEnv: string;
  serviceId: string;
  serviceSecret: string | null;
  e2eBypassKey: string | null;
  devLogin: { email: string; password: string } | null;
  /** The auth service's environment; dev login works only in development (the twin's default). */
  environment?: AuthEnvironment;
  tokenStorageKey?: string;
  /** Overrides the fault's /auth/validate delay (TWIN_AUTH_DELAY_MS): a known delay for timing checks. */
  authValidateDelayMs?: number;
  log?: (line: string) => void;
}

export interface TwinUrls {
  frontendUrl: string;
  /** What the suite calls the backend: the edge when the fault puts one in front. */
  backendUrl: string;
  authUrl: string;
  wsUrl: string;
}

export interface RunningTwin extends TwinUrls {
  fault: FaultName | 'none';
  flavour: FlavourName;
  /** Published only with tls (never for tls-untrusted). */
  caPem: string | null;
  spki: string | null;
  stop(): Promise<void>;
}

/**
 * The one deliberate departure from staging's timeouts: the pre-validation health check gets
 * 1 s instead of 0.3 s. On a loaded 2-core runner (Chromium starting next to the twin) the event
 * loop measurably stalls past 0.3 s, which made the HEALTHY twin refuse valid tokens now and
 * then. No fault relies on that deadline (a plan may still ask for staging's 0.3 s); dead ports
 * refuse at once, the overloaded auth service answers 503 past its queue, and auth-slow delays
 * /auth/validate, which keeps staging's 1.6 s read timeout.
 */
export const TWIN_AUTH_HEALTH_TIMEOUT_MS = 1000;

/** The Origin the broken allowlists (backend for origin-rejected, edge for edge-403) do know. */
export const FOREIGN_ORIGIN = 'https://app.staging.example.com';

export async function startTwin(options: TwinOptions): Promise<RunningTwin> {
  const plan = planFor(options.fault);
  const flavourName = options.flavour ?? 'node';
  const flavour = FLAVOURS[flavourName];
  const log = options.log ?? (() => {});
  const started: Served[] = [];
  const stopAll = async () => {
    await Promise.all(started.splice(0).reverse().map((s) => s.close()));
  };
  try {
    const useTls = options.tls || plan.tls === 'untrusted';
    const material = useTls ? await makeTlsMaterial() : null;
    const tls = material ? { key: material.key, cert: material.cert } : null;
    const publish = material !== null && plan.tls === 'as-requested';
    const scheme = tls ? 'https' : 'http';

    const jwt = { secret: options.jwtSecret, issuer: options.jwtIssuer, audience: options.jwtAudience, tokenType: options.jwtTokenType, env: options.jwtEnv };
    let authUrl: string;
    if (plan.auth === 'running') {
      const auth = await startAuthService({
        jwt: plan.authUsesOtherSecret ? { ...jwt, secret: `rotated-${randomBytes(24).toString('hex')}` } : jwt,
        serviceId: options.serviceId,
        serviceSecret: options.serviceSecret,
        e2eBypassKey: options.e2eBypassKey,
        devLogin: options.devLogin,
        environment: options.environment ?? 'development',
        validateDelayMs: options.authValidateDelayMs ?? plan.authValidateDelayMs,
        capacity: plan.authCapacity === 'single-flight' ? OVERLOADED_CAPACITY : null,
        tls,
        log,
      });
      started.push(auth);
      authUrl = auth.url;
    } else {
      authUrl = `${scheme}://127.0.0.1:${await findDeadPort()}`;
    }

    let wsUrl = '';
    const frontend = await startFrontend({ wsUrl: () => wsUrl, tokenStorageKey: options.tokenStorageKey, page: flavour.page, tls });
    started.push(frontend);
    const frontendOrigin = frontend.url;

    const fallbackUrl = plan.backends.some((b) => b.authUrl === 'missing') ? await deadFallbackUrl() : 'http://localhost:8081';
    const backends: RunningBackend[] = [];
    for (const [i, b] of plan.backends.entries()) {
      const backend = await startBackend({
        name: plan.backends.length > 1 ? `backend-${i + 1}` : 'backend',
        authServiceUrl: b.authUrl === 'configured' ? authUrl : null,
        fallbackUrl,
        serviceId: options.serviceId,
        serviceSecret: b.serviceSecret === 'wrong' ? `wrong-${randomBytes(16).toString('hex')}` : options.serviceSecret,
        authCa: material?.caPem ?? null,
        authHealthTimeoutMs: b.healthTimeout === 'staging' ? STAGING_HEALTH_TIMEOUT_MS : TWIN_AUTH_HEALTH_TIMEOUT_MS,
        // Load-balancer targets speak plain http behind the edge.
        tls: plan.edge ? null : tls,
        allowedOrigins: () => (b.allowFrontendOrigin ? [frontendOrigin] : [FOREIGN_ORIGIN]),
        authMode: b.authMode,
        notReady: b.notReady,
        echoSubprotocol: b.echoSubprotocol,
        hangUpgrades: b.hangUpgrades,
        flavour,
        log,
      });
      started.push(backend);
      backends.push(backend);
    }
    let backendUrl = backends[0]?.url ?? '';
    if (plan.edge) {
      const edge = await startEdgeProxy({
        upstreams: backends.map((b) => b.url),
        tls,
        allowedOrigins: plan.edge.refuseUnknownOrigins ? [FOREIGN_ORIGIN] : null,
        stripAuthorization: plan.edge.stripAuthorization,
        product: flavour.edge,
        log,
      });
      started.push(edge);
      backendUrl = edge.url;
    }
    wsUrl = `${backendUrl.replace(/^http/, 'ws')}/ws`;
    log(`twin: fault ${options.fault}, flavour ${flavourName}, auth client of each backend calls ${backends.map((b) => b.authClientUrl).join(', ')}`);
    let stopping: Promise<void> | null = null;
    return {
      fault: options.fault,
      flavour: flavourName,
      frontendUrl: frontend.url,
      backendUrl,
      authUrl,
      wsUrl,
      caPem: publish ? (material?.caPem ?? null) : null,
      spki: publish ? (material?.spki ?? null) : null,
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------
// CLI

/** Config from an environment map; throws a one-line Error for what cannot run. */
export function optionsFromEnv(env: Record<string, string | undefined>): TwinOptions {
  const fault = env.TWIN_FAULT?.trim() || 'none';
  if (fault !== 'none' && !isFaultName(fault)) {
    throw new CliError(`unknown TWIN_FAULT "${fault}"; valid: none, ${FAULT_NAMES.join(', ')}`);
  }
  const flavour = env.TWIN_FLAVOUR?.trim() || 'node';
  if (!isFlavourName(flavour)) throw new CliError(`unknown TWIN_FLAVOUR "${flavour}"; valid: ${FLAVOUR_NAMES.join(', ')}`);
  const secret = env.JWT_SECRET;
  if (!secret) throw new CliError('JWT_SECRET is not set (and environments/local.env does not provide it)');
  const environment = env.TWIN_AUTH_ENV?.trim() || 'development';
  if (environment !== 'development' && environment !== 'staging' && environment !== 'production') {
    throw new CliError(`unknown TWIN_AUTH_ENV "${environment}"; valid: development, staging, production`);
  }
  const delay = env.TWIN_AUTH_DELAY_MS?.trim() || '';
  if (delay !== '' && !/^\d{1,6}$/.test(delay)) throw new CliError(`TWIN_AUTH_DELAY_MS must be a whole number of milliseconds, got "${delay}"`);
  return {
    fault,
    flavour,
    tls: /^(1|true|yes)$/i.test(env.TWIN_TLS?.trim() ?? ''),
    jwtSecret: secret,
    jwtIssuer: env.JWT_ISSUER || 'netra-auth-service',
    jwtAudience: env.JWT_AUDIENCE || 'netra-platform',
    jwtTokenType: env.JWT_TOKEN_TYPE || 'access',
    jwtEnv: env.JWT_ENV || 'staging',
    serviceId: env.SERVICE_ID || 'netra-backend',
    serviceSecret: env.SERVICE_SECRET || null,
    e2eBypassKey: env.E2E_BYPASS_KEY || null,
    devLogin: env.DEV_LOGIN_EMAIL && env.DEV_LOGIN_PASSWORD ? { email: env.DEV_LOGIN_EMAIL, password: env.DEV_LOGIN_PASSWORD } : null,
    environment,
    tokenStorageKey: env.TOKEN_STORAGE_KEY || 'jwt_token',
    ...(delay === '' ? {} : { authValidateDelayMs: Number(delay) }),
  };
}

/** A configuration problem the CLI reports in one line, exit code 2. */
export class CliError extends Error {
  readonly code = 'ERR_TWIN_CONFIG';
}

/** The process environment, plus environments/local.env (read as a file) when JWT_SECRET is unset. */
function cliEnvironment(): Record<string, string | undefined> {
  if (process.env.JWT_SECRET) return process.env;
  const file = path.resolve(__dirname, '..', 'environments', 'local.env');
  if (!fs.existsSync(file)) return process.env;
  return { ...dotenv.parse(fs.readFileSync(file)), ...process.env };
}

async function main(): Promise<void> {
  let options: TwinOptions;
  try {
    options = optionsFromEnv(cliEnvironment());
  } catch (error) {
    process.stderr.write(`twin: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const twin = await startTwin({ ...options, log: (line) => process.stderr.write(`${line}\n`) });
  const { frontendUrl, backendUrl, authUrl, wsUrl, fault, flavour, caPem, spki } = twin;
  process.stdout.write(`${JSON.stringify({ event: 'ready', frontendUrl, backendUrl, authUrl, wsUrl, fault, flavour, caPem, spki, pid: process.pid })}\n`);
  process.stdout.write(
    [`twin ready — fault: ${fault}, flavour: ${flavour}${caPem ? ', tls (CA published)' : ''}`, `  frontend  ${frontendUrl}`, `  backend   ${backendUrl}`, `  auth      ${authUrl}`, `  websocket ${wsUrl}`, '  stop with Ctrl-C', ''].join('\n'),
  );

  let shuttingDown = false;
  const shutdown = (why: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    process.stderr.write(`twin: stopping (${why})\n`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    twin.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  // Only a pipe or socket on stdin means "a parent holds us"; /dev/null would end at once,
  // and a terminal ends on Ctrl-D only.
  const stdin = fs.fstatSync(0);
  if (stdin.isFIFO() || stdin.isSocket()) {
    process.stdin.on('end', () => shutdown('stdin ended'));
    process.stdin.resume();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`twin: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
