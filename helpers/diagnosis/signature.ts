// A refusal's signature: what one layer answers when it turns a handshake down — status and
// reason phrase, Server, content type and body shape, or the close code, reason and first frame
// after an accept. Two refusals with the same signature came from the same layer; the app's own
// signature is learned in the same run from a forged token's refusal, never from /health or a
// product's known looks.
import { header } from './describe';
import type { RawRecord } from '../records/handshake-record';

export interface RefusalSignature {
  kind: 'http' | 'close';
  status: number | null;
  reason: string;
  server: string;
  contentType: string;
  body: string;
  closeCode: number | null;
  closeReason: string;
  frame: string;
}

/** Text with what changes per request (ids, numbers, fingerprints) masked. */
export function shape(text: string): string {
  return text
    .replace(/‹fp:[0-9a-f]{8}›/g, '‹fp›')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '#')
    .replace(/\d+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The signature of a raw refusal (non-101 answer) or accept-then-close; null for anything else. */
export function signatureOf(r: RawRecord): RefusalSignature | null {
  const base = {
    status: r.status,
    reason: (r.statusText ?? '').trim(),
    server: (header(r.responseHeaders, 'server') ?? '').trim().toLowerCase(),
    contentType: (header(r.responseHeaders, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '',
    body: shape(r.body ?? ''),
    closeCode: null,
    closeReason: '',
    frame: '',
  };
  if (r.outcome === 'refused') return { kind: 'http', ...base };
  if (r.outcome === 'closed-after-accept') {
    const first = r.frames.find((f) => f.direction === 'received');
    return { kind: 'close', ...base, closeCode: r.close?.code ?? null, closeReason: shape(r.close?.reason ?? ''), frame: shape(first?.data ?? '') };
  }
  return null;
}

const PARTS: ReadonlyArray<[keyof RefusalSignature, string]> = [
  ['kind', 'kind'],
  ['status', 'status'],
  ['reason', 'reason phrase'],
  ['server', 'Server'],
  ['contentType', 'content type'],
  ['body', 'body'],
  ['closeCode', 'close code'],
  ['closeReason', 'close reason'],
  ['frame', 'first frame'],
];

/** The parts in which two signatures differ (empty: the same layer answered both). */
export function signatureDiff(a: RefusalSignature, b: RefusalSignature): string[] {
  return PARTS.filter(([k]) => a[k] !== b[k]).map(([, name]) => name);
}

export function sameSignature(a: RefusalSignature, b: RefusalSignature): boolean {
  return signatureDiff(a, b).length === 0;
}

/** "HTTP 403 Forbidden, Server nginx/1.22.1, text/html, body <html>…" or "101 then close 1008 "…"". */
export function describeSignature(s: RefusalSignature): string {
  if (s.kind === 'close') {
    const frame = s.frame ? `, after frame ${s.frame.slice(0, 100)}` : '';
    return `101 then close ${s.closeCode ?? 'without code'}${s.closeReason ? ` "${s.closeReason}"` : ''}${frame}`;
  }
  const parts = [`HTTP ${s.status ?? '?'}${s.reason ? ` ${s.reason}` : ' (empty reason phrase)'}`];
  parts.push(s.server ? `Server ${s.server}` : 'no Server header');
  if (s.contentType) parts.push(s.contentType);
  parts.push(s.body ? `body ${s.body.length > 80 ? `${s.body.slice(0, 80)}…` : s.body}` : 'empty body');
  return parts.join(', ');
}

/** A fingerprint, not a comparison: an HTML page is how proxies answer, apps rarely do. */
export function looksLikeProxyPage(s: RefusalSignature): boolean {
  return s.kind === 'http' && (s.contentType === 'text/html' || /^(<!doctype html|<html|<head|<body|<center|<h1)/i.test(s.body));
}
