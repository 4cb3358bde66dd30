// One arm of the benchmark: N handshakes at a concurrency, through the suite's raw probe (the
// real burst) or a bare `ws` connect-and-close loop. Run as a child (`node --import tsx
// scripts/bench-arm.ts` with the ArmSpec JSON in BENCH_ARM_SPEC, off the command line) it prints one ArmResult JSON line, so each arm's peak
// memory is its own process's maxRSS and never the other arm's garbage.
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { burst } from '../helpers/channels/burst-probe';
import { percentile } from '../helpers/channels/burst-stats';
import type { RawRecord } from '../helpers/records/handshake-record';
import { handshakeRequest, probeHandshake } from '../helpers/channels/raw-probe';
import { createRedactor } from '../helpers/redaction/redaction';

export type ArmKind = 'probe' | 'bare';

export interface ArmSpec {
  kind: ArmKind;
  url: string;
  token: string;
  /** Secrets the probe's redactor scrubs, as the suite's does (the token is remembered too). */
  secrets: string[];
  attempts: number;
  concurrency: number;
  budgetMs: number;
}

export interface ArmResult {
  kind: ArmKind;
  attempts: number;
  /** "101", "403", "timeout", "error": what each attempt ended with. */
  statusCounts: Record<string, number>;
  wallMs: number;
  perSecond: number;
  /** Time to the HTTP answer (101 or the refusal), per attempt. */
  p50Ms: number;
  p95Ms: number;
  /** Client CPU (user + system) per handshake: steadier than wall time on a loaded machine. */
  cpuMsPerHandshake: number;
  /** Resident set before the burst and the process's peak (maxRSS), MB. */
  rssBeforeMb: number;
  maxRssMb: number;
}

export interface BareOutcome {
  status: number | null;
  /** From the call to the HTTP answer (101 or refusal); null when none came. */
  answerMs: number | null;
  /** From the call to the socket's close. */
  totalMs: number;
}

/**
 * The baseline: `new WebSocket(url, protocols, { headers })`, open → close, nothing else. A
 * refusal ends in ws's own 'error' + 'close'. Resolves on 'close'; a deadline terminates.
 */
export function bareHandshake(url: string, token: string, budgetMs: number): Promise<BareOutcome> {
  const request = handshakeRequest(new URL(url), 'subprotocol', token);
  return new Promise((resolve) => {
    const t0 = performance.now();
    let status: number | null = null;
    let answerMs: number | null = null;
    const ws = new WebSocket(request.url, request.protocols, { headers: request.headers, handshakeTimeout: budgetMs });
    ws.on('upgrade', (res: IncomingMessage) => {
      answerMs = performance.now() - t0;
      status = res.statusCode ?? null;
    });
    ws.on('open', () => ws.close(1000));
    ws.on('error', (err: Error) => {
      // ws's refusal message is the only place a bare client sees the status.
      const m = /Unexpected server response: (\d+)/.exec(err.message);
      if (m && answerMs === null) {
        answerMs = performance.now() - t0;
        status = Number(m[1]);
      }
    });
    ws.on('close', () => resolve({ status, answerMs, totalMs: performance.now() - t0 }));
  });
}

/** What one probe call looks like in the suite's burst: full record, redaction, no frame wait. */
export function suiteProbe(spec: Pick<ArmSpec, 'url' | 'token' | 'secrets' | 'budgetMs'>): () => Promise<RawRecord> {
  const redactor = createRedactor(spec.secrets);
  redactor.remember(spec.token);
  const redact = (text: string) => redactor.redact(text);
  const tokenFingerprint = redactor.fingerprint(spec.token);
  return () =>
    probeHandshake({
      url: spec.url,
      transport: 'subprotocol',
      token: spec.token,
      tokenVariant: 'valid',
      label: 'bench',
      budgetMs: spec.budgetMs,
      exchange: null,
      firstFramesWaitMs: 0,
      redact,
      tokenFingerprint,
    });
}

const mb = (bytes: number) => bytes / (1024 * 1024);

async function bareBurst(spec: ArmSpec): Promise<{ statusCounts: Record<string, number>; durations: Float64Array }> {
  const durations = new Float64Array(spec.attempts);
  const statusCounts: Record<string, number> = {};
  let next = 0;
  let done = 0;
  // The same worker-pool shape as helpers/channels/burst-probe.ts, so only the per-handshake work differs.
  const worker = async (): Promise<void> => {
    while (next < spec.attempts) {
      next += 1;
      const out = await bareHandshake(spec.url, spec.token, spec.budgetMs);
      durations[done] = out.answerMs ?? out.totalMs;
      done += 1;
      const key = out.status === null ? (out.answerMs === null && out.totalMs >= spec.budgetMs ? 'timeout' : 'error') : String(out.status);
      statusCounts[key] = (statusCounts[key] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(spec.concurrency, spec.attempts) }, worker));
  return { statusCounts, durations };
}

export async function runArm(spec: ArmSpec): Promise<ArmResult> {
  const rssBeforeMb = mb(process.memoryUsage().rss);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let statusCounts: Record<string, number>;
  let p50Ms: number;
  let p95Ms: number;
  if (spec.kind === 'probe') {
    const result = await burst({ attempts: spec.attempts, concurrency: spec.concurrency, probe: suiteProbe(spec) });
    statusCounts = result.statusCounts;
    p50Ms = result.p50Ms;
    p95Ms = result.p95Ms;
  } else {
    const result = await bareBurst(spec);
    statusCounts = result.statusCounts;
    p50Ms = percentile(result.durations, 50);
    p95Ms = percentile(result.durations, 95);
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    kind: spec.kind,
    attempts: spec.attempts,
    statusCounts,
    wallMs,
    perSecond: (spec.attempts / wallMs) * 1000,
    p50Ms,
    p95Ms,
    cpuMsPerHandshake: (cpu.user + cpu.system) / 1000 / spec.attempts,
    rssBeforeMb,
    // maxRSS is in kilobytes.
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

if (require.main === module) {
  const spec = JSON.parse(process.env.BENCH_ARM_SPEC ?? '{}') as ArmSpec;
  runArm(spec).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`bench-arm: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
