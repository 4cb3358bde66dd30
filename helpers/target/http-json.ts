// One HTTP exchange with a JSON service, bounded by a deadline and parsed by zod.
// It never throws for target trouble: the result says what went wrong, in the words the
// facts and the diagnosis use ("ECONNREFUSED", "timed out after 5000 ms", "HTTP 503").
// node:http/https rather than fetch, because https needs an extra CA (target.ca) and
// fetch cannot take one without an undici Agent.
import http from 'node:http';
import https from 'node:https';
import type { ZodType } from 'zod';

export interface HttpRequest<T> {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Sent as JSON when present. */
  body?: unknown;
  /** The whole exchange, connect to last body byte. */
  timeoutMs: number;
  /** Every answer is parsed with it; a non-JSON body is handed over as its text. */
  schema: ZodType<T>;
  /** Extra CA (PEM) trusted for https. */
  ca?: string | null;
}

export interface HttpResult<T> {
  /** HTTP status, null when no answer came. */
  status: number | null;
  /** The parsed answer; also filled for a non-2xx answer whose body fits the schema. */
  data: T | null;
  serverHeader: string | null;
  /** null when the answer was 2xx and fit the schema. */
  problem: string | null;
  ms: number;
}

/** Bodies beyond this are cut: a JSON service answer is small; an HTML error page need not be read whole. */
const MAX_BODY_BYTES = 1024 * 1024;

export function requestJson<T>(url: string, req: HttpRequest<T>): Promise<HttpResult<T>> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<HttpResult<T>, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, ms: elapsed() });
    };
    const fail = (problem: string) => finish({ status: null, data: null, serverHeader: null, problem });

    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      // No timer yet: resolve directly.
      resolve({ status: null, data: null, serverHeader: null, problem: `invalid URL: ${url}`, ms: elapsed() });
      return;
    }
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const options: https.RequestOptions = { method: req.method ?? 'GET', headers };
    if (parsed.protocol === 'https:' && req.ca) options.ca = req.ca;
    const client = parsed.protocol === 'https:' ? https : http;

    const request = client.request(parsed, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size >= MAX_BODY_BYTES) return;
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on('error', (err: NodeJS.ErrnoException) => fail(errorProblem(err)));
      res.on('end', () => {
        const status = res.statusCode ?? null;
        const serverHeader = headerValue(res.headers.server);
        const text = Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
        const outcome = req.schema.safeParse(jsonOrText(text));
        const data = outcome.success ? outcome.data : null;
        const ok = status !== null && status >= 200 && status < 300;
        let problem: string | null = null;
        if (!ok) problem = `HTTP ${status}`;
        else if (!outcome.success) problem = `unexpected answer: ${issueSummary(outcome.error.issues, text)}`;
        finish({ status, data, serverHeader, problem });
      });
    });
    const timer = setTimeout(() => {
      fail(`timed out after ${req.timeoutMs} ms`);
      request.destroy();
    }, req.timeoutMs);
    request.on('error', (err: NodeJS.ErrnoException) => fail(errorProblem(err)));
    request.end(payload);
  });
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function headerValue(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Node's code when it has one (ECONNREFUSED, ENOTFOUND, DEPTH_ZERO_SELF_SIGNED_CERT), else the message. */
function errorProblem(err: NodeJS.ErrnoException): string {
  return err.code ?? err.message;
}

interface IssueLike {
  path: PropertyKey[];
  message: string;
}

/** zod messages name expected types, never received values, so no secret leaks through here. */
function issueSummary(issues: readonly IssueLike[], text: string): string {
  const parts = issues.slice(0, 3).map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`);
  if (issues.length > 3) parts.push(`… ${issues.length - 3} more`);
  const kind = jsonOrText(text) === text ? ` (not JSON, ${Buffer.byteLength(text)} bytes)` : '';
  return parts.join('; ') + kind;
}

/** Base URL + path without a doubled slash. */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}
