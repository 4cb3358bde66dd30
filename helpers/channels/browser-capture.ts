// The browser channel: opens the frontend in a real Chromium page and records what its first
// WebSocket handshake left behind, as the browser sees it (CDP Network events), as the page sees
// it (an instrumented WebSocket for the close code), and as the user sees it (console, status
// text, screenshot). The token reaches the page only through the caller's storageState, so
// nothing here ever carries it: not the init script, not an evaluate argument.
import { performance } from 'node:perf_hooks';
import type { BrowserContext, CDPSession, ConsoleMessage, Page } from '@playwright/test';
import { parseFrameError } from './browser-status';
import type { BrowserRecord, CloseInfo, ConsoleLine, Frame, HandshakeOutcome, TokenVariant } from '../records/handshake-record';

export interface CaptureUi {
  /** The frontend's visible connection status (e.g. `#connection-status`). */
  statusSelector?: string;
  /** Status text meaning "connected"; the exchange waits for it before typing. */
  connectedText?: string;
  inputSelector?: string;
  sendSelector?: string;
  messagesSelector?: string;
}

export interface CaptureOptions {
  /** Created by the caller, with the token in localStorage through `storageState`. */
  context: BrowserContext;
  pageUrl: string;
  tokenVariant: TokenVariant;
  label: string;
  tokenFingerprint: string | null;
  /**
   * The handshake budget: from the socket's creation to its decision. Loading the page and the
   * chat exchange have deadlines of their own, so a slow page load never eats the handshake's.
   */
  budgetMs: number;
  /** Deadline for the frontend page to load (default 10 s). */
  pageLoadMs?: number;
  /** Applied to every string stored in the record. */
  redact: (text: string) => string;
  ui?: CaptureUi;
  /** When the socket opens and the UI selectors are given: type, send, wait for the echo. */
  exchange?: { message: string } | null;
  /** false for the no-token case: the page should log the skip line and open no socket. */
  expectSocket?: boolean;
  /** Console text that says the page chose not to connect. */
  skipConsoleText?: string;
  /** How long, after a 101 with no exchange, a server close still counts as "closed after accept". */
  acceptWindowMs?: number;
  /** With expectSocket false: how long to wait for the skip line before concluding. */
  quietMs?: number;
}

export interface BrowserCapture {
  record: BrowserRecord;
  /** PNG of the page at the end: what the user saw; null when Chromium could not take one. */
  screenshot: Buffer | null;
  /** Sockets the page opened during the capture (the frontend reconnects); the record describes the first. */
  attempts: number;
}

export const DEFAULT_SKIP_CONSOLE_TEXT = 'WebSocket connection skipped';
export const DEFAULT_ACCEPT_WINDOW_MS = 500;
export const DEFAULT_QUIET_MS = 1_000;
export const DEFAULT_PAGE_LOAD_MS = 10_000;
/** After the subject closed, how long to wait for the page's own close event and handlers. */
const SETTLE_MS = 2_000;
const UI_READ_MS = 1_000;
const SCREENSHOT_MS = 5_000;
const TEXT_CAP = 2_000;
const MAX_FRAMES = 50;
const MAX_CONSOLE_LINES = 200;

/** The page-side view of one socket, pushed by the instrumented WebSocket. */
interface PageSocketEvent {
  id: number;
  type: 'open' | 'error' | 'close' | 'client-close';
  code?: number;
  reason?: string;
}

/** One socket as CDP reports it; times are ms since the capture started. */
interface CdpSocket {
  url: string;
  createdMs: number;
  requestMs: number | null;
  requestHeaders: Record<string, string>;
  response: BrowserRecord['response'];
  responseMs: number | null;
  frameError: string | null;
  errorMs: number | null;
  closedMs: number | null;
  frames: Frame[];
}

const EVENTS_GLOBAL = '__wsAuthReproEvents';
const NOTIFY_BINDING = '__wsAuthReproNotify';

// Runs before any page script. Wraps WebSocket so the page's own CloseEvent code is recorded.
// It holds no secret: it sees the socket's URL and protocols but stores neither. Listeners are
// added in the constructor, before the frontend's handlers; the notify is deferred a task so the
// frontend's synchronous onclose (its console lines, its status text) has run when Node hears it.
const INSTRUMENT_WEBSOCKET = `(() => {
  if (window.${EVENTS_GLOBAL}) return;
  const events = [];
  Object.defineProperty(window, '${EVENTS_GLOBAL}', { value: events });
  const Native = window.WebSocket;
  let next = 0;
  const record = (event) => {
    events.push(event);
    setTimeout(() => {
      const notify = window.${NOTIFY_BINDING};
      if (typeof notify === 'function') notify(event).catch(() => {});
    }, 0);
  };
  class WebSocket extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      const id = next++;
      this.addEventListener('open', () => record({ id, type: 'open' }));
      this.addEventListener('error', () => record({ id, type: 'error' }));
      this.addEventListener('close', (e) => record({ id, type: 'close', code: e.code, reason: e.reason }));
      const close = this.close.bind(this);
      this.close = (code, reason) => { record({ id, type: 'client-close', code }); return close(code, reason); };
    }
  }
  window.WebSocket = WebSocket;
})();`;

function isPageSocketEvent(v: unknown): v is PageSocketEvent {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return typeof e.id === 'number' && (e.type === 'open' || e.type === 'error' || e.type === 'close' || e.type === 'client-close');
}

/** Wakes waiters whenever any evidence arrives; waits are on that, with a deadline, never a poll. */
function createSignal() {
  let waiters: (() => void)[] = [];
  return {
    notify(): void {
      const woken = waiters;
      waiters = [];
      for (const wake of woken) wake();
    },
    /** Resolves true once `ready()` holds, false if the deadline (a performance.now() time) passes first. */
    async until(ready: () => boolean, deadline: number): Promise<boolean> {
      while (!ready()) {
        const left = deadline - performance.now();
        if (left <= 0) return false;
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            waiters = waiters.filter((w) => w !== wake);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.push(wake);
        });
      }
      return true;
    },
  };
}

function cap(text: string): string {
  return text.length > TEXT_CAP ? `${text.slice(0, TEXT_CAP)}…[${text.length - TEXT_CAP} more chars]` : text;
}

function headerRecord(headers: Record<string, string>, redact: (t: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = redact(String(value));
  return out;
}

function closeInfo(events: PageSocketEvent[], cdpClosed: boolean, redact: (t: string) => string): CloseInfo | null {
  const close = events.find((e) => e.type === 'close');
  if (!close) return cdpClosed ? { code: null, reason: '', by: 'none' } : null;
  const code = close.code ?? null;
  const by = events.some((e) => e.type === 'client-close') ? 'client' : code === 1006 ? 'none' : 'server';
  return { code, reason: redact(close.reason ?? ''), by };
}

/** The decision, from what was known when the decision window ended. */
function decideOutcome(
  socket: CdpSocket | undefined,
  closedAtDecision: boolean,
  closedByClient: boolean,
  exchange: 'skipped' | 'echoed' | 'failed',
  navigationFailed: boolean,
): HandshakeOutcome {
  if (!socket) return navigationFailed ? 'error' : 'not-attempted';
  if (socket.frameError !== null) {
    const { kind } = parseFrameError(socket.frameError);
    return kind === 'http' ? 'refused' : kind === 'timeout' ? 'timeout' : 'error';
  }
  if (socket.response) {
    if (socket.response.status !== 101) return 'refused';
    if (closedAtDecision && !closedByClient) return 'closed-after-accept';
    return exchange === 'failed' ? 'timeout' : 'open';
  }
  return closedAtDecision ? 'error' : 'timeout';
}

/** Types a message, sends it, and waits until the echo came back on the socket and shows on the page. */
async function runExchange(page: Page, ui: Required<Pick<CaptureUi, 'inputSelector' | 'sendSelector' | 'messagesSelector'>> & CaptureUi, message: string, deadline: number, echoed: () => Promise<boolean>): Promise<boolean> {
  const left = () => Math.max(1, deadline - performance.now());
  if (ui.statusSelector && ui.connectedText) {
    await page.locator(ui.statusSelector).filter({ hasText: ui.connectedText }).first().waitFor({ timeout: left() });
  }
  await page.locator(ui.inputSelector).fill(message, { timeout: left() });
  await page.locator(ui.sendSelector).click({ timeout: left() });
  if (!(await echoed())) return false;
  await page.locator(ui.messagesSelector).filter({ hasText: message }).first().waitFor({ timeout: left() });
  return true;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e);
}

/** The status text now; null without a selector or when the element is not there. */
async function readStatus(page: Page, selector: string | undefined, redact: (t: string) => string, timeoutMs: number): Promise<string | null> {
  if (!selector) return null;
  return page
    .locator(selector)
    .first()
    .textContent({ timeout: Math.max(1, Math.min(UI_READ_MS, timeoutMs)) })
    .then((t) => (t === null ? null : cap(redact(t.trim()))))
    .catch(() => null);
}

/**
 * A screenshot whose status text is the one recorded: read, shoot, read again, until both reads
 * agree or the deadline passes (then the last pair is kept: the record says what the page said
 * after the picture). Without a status selector: one screenshot.
 */
async function settledView(page: Page, selector: string | undefined, redact: (t: string) => string, deadline: number): Promise<{ uiStatus: string | null; screenshot: Buffer | null }> {
  let before = await readStatus(page, selector, redact, deadline - performance.now());
  for (;;) {
    const left = Math.max(1, deadline - performance.now());
    // A page that never loaded (Chromium's error page) may refuse a screenshot; the record stands without it.
    const screenshot = await page.screenshot({ timeout: left, animations: 'disabled', caret: 'hide' }).catch(() => null);
    if (!selector) return { uiStatus: null, screenshot };
    const after = await readStatus(page, selector, redact, deadline - performance.now());
    if (after === before || screenshot === null || performance.now() >= deadline) return { uiStatus: after, screenshot };
    before = after;
  }
}

/**
 * Loads the frontend and captures its first WebSocket handshake within `budgetMs`.
 * Outcomes: `refused` (frame error with an HTTP status), `error` (network/TLS/protocol, or the page
 * did not load), `open` (101, no server close within the accept window, and the echo when an
 * exchange was asked), `closed-after-accept` (101 then a server close), `timeout` (undecided by the
 * deadline, including an exchange whose echo never came), `not-attempted` (no socket was created).
 */
export async function captureBrowserHandshake(opts: CaptureOptions): Promise<BrowserCapture> {
  const { redact } = opts;
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const at = () => Math.round((performance.now() - t0) * 10) / 10;
  const signal = createSignal();

  const sockets = new Map<string, CdpSocket>();
  const order: CdpSocket[] = [];
  const pageEvents: PageSocketEvent[] = [];
  const consoleLines: ConsoleLine[] = [];
  const pushLine = (type: string, text: string) => {
    if (consoleLines.length < MAX_CONSOLE_LINES) consoleLines.push({ type, text: cap(redact(text)), atMs: at() });
    signal.notify();
  };
  const onConsole = (msg: ConsoleMessage) => pushLine(msg.type(), msg.text());
  const onPageError = (err: Error) => pushLine('pageerror', err.message);

  const page = await opts.context.newPage();
  let cdp: CDPSession | null = null;
  const unlisten: (() => void)[] = [];
  try {
    page.on('console', onConsole);
    page.on('pageerror', onPageError);
    unlisten.push(() => page.off('console', onConsole), () => page.off('pageerror', onPageError));
    await page.exposeBinding(NOTIFY_BINDING, (_source, event: unknown) => {
      if (isPageSocketEvent(event)) pageEvents.push(event);
      signal.notify();
    });
    await page.addInitScript(INSTRUMENT_WEBSOCKET);

    const session = await opts.context.newCDPSession(page);
    cdp = session;
    const socketOf = (requestId: string) => sockets.get(requestId);
    const pushFrame = (requestId: string, direction: Frame['direction'], frame: { opcode: number; payloadData: string }) => {
      const socket = socketOf(requestId);
      if (!socket || socket.frames.length >= MAX_FRAMES) return;
      const data = frame.opcode === 1 ? cap(redact(frame.payloadData)) : `<binary ${Buffer.from(frame.payloadData, 'base64').length} bytes>`;
      socket.frames.push({ direction, atMs: at(), data });
    };
    const onCreated = (p: { requestId: string; url: string }) => {
      const socket: CdpSocket = {
        url: p.url,
        createdMs: at(),
        requestMs: null,
        requestHeaders: {},
        response: null,
        responseMs: null,
        frameError: null,
        errorMs: null,
        closedMs: null,
        frames: [],
      };
      sockets.set(p.requestId, socket);
      order.push(socket);
      signal.notify();
    };
    const onRequest = (p: { requestId: string; request: { headers: Record<string, string> } }) => {
      const socket = socketOf(p.requestId);
      if (socket) Object.assign(socket, { requestMs: at(), requestHeaders: p.request.headers });
      signal.notify();
    };
    const onResponse = (p: { requestId: string; response: { status: number; statusText: string; headers: Record<string, string> } }) => {
      const socket = socketOf(p.requestId);
      if (socket) {
        socket.responseMs = at();
        socket.response = { status: p.response.status, statusText: redact(p.response.statusText), headers: headerRecord(p.response.headers, redact) };
      }
      signal.notify();
    };
    const onFrameSent = (p: { requestId: string; response: { opcode: number; payloadData: string } }) => {
      pushFrame(p.requestId, 'sent', p.response);
      signal.notify();
    };
    const onFrameReceived = (p: { requestId: string; response: { opcode: number; payloadData: string } }) => {
      pushFrame(p.requestId, 'received', p.response);
      signal.notify();
    };
    const onFrameError = (p: { requestId: string; errorMessage: string }) => {
      const socket = socketOf(p.requestId);
      // Only the first error decides the handshake; later ones are noise on a dying socket.
      if (socket && socket.frameError === null) Object.assign(socket, { frameError: p.errorMessage, errorMs: at() });
      signal.notify();
    };
    const onClosed = (p: { requestId: string }) => {
      const socket = socketOf(p.requestId);
      if (socket) socket.closedMs = at();
      signal.notify();
    };
    session.on('Network.webSocketCreated', onCreated);
    session.on('Network.webSocketWillSendHandshakeRequest', onRequest);
    session.on('Network.webSocketHandshakeResponseReceived', onResponse);
    session.on('Network.webSocketFrameSent', onFrameSent);
    session.on('Network.webSocketFrameReceived', onFrameReceived);
    session.on('Network.webSocketFrameError', onFrameError);
    session.on('Network.webSocketClosed', onClosed);
    unlisten.push(
      () => session.off('Network.webSocketCreated', onCreated),
      () => session.off('Network.webSocketWillSendHandshakeRequest', onRequest),
      () => session.off('Network.webSocketHandshakeResponseReceived', onResponse),
      () => session.off('Network.webSocketFrameSent', onFrameSent),
      () => session.off('Network.webSocketFrameReceived', onFrameReceived),
      () => session.off('Network.webSocketFrameError', onFrameError),
      () => session.off('Network.webSocketClosed', onClosed),
    );
    await session.send('Network.enable');

    let navigationFailed = false;
    try {
      await page.goto(opts.pageUrl, { waitUntil: 'domcontentloaded', timeout: opts.pageLoadMs ?? DEFAULT_PAGE_LOAD_MS });
    } catch (e) {
      navigationFailed = true;
      pushLine('navigation-error', errorText(e));
    }

    // The subject is the page's first socket; CDP and the page number sockets in the same order.
    const subject = () => order[0];
    const subjectEvents = () => pageEvents.filter((e) => e.id === 0);
    const subjectClosed = () => {
      const s = subject();
      return !!s && (s.closedMs !== null || s.frameError !== null || subjectEvents().some((e) => e.type === 'close'));
    };
    let exchange: 'skipped' | 'echoed' | 'failed' = 'skipped';
    let closedAtDecision = false;

    if (!navigationFailed) {
      if (opts.expectSocket === false) {
        const skipText = opts.skipConsoleText ?? DEFAULT_SKIP_CONSOLE_TEXT;
        const quietUntil = performance.now() + (opts.quietMs ?? DEFAULT_QUIET_MS);
        await signal.until(() => order.length > 0 || consoleLines.some((l) => l.text.includes(skipText)), quietUntil);
      } else {
        // The page opens its socket once loaded; a page that never does is given one budget.
        await signal.until(() => order.length > 0, performance.now() + opts.budgetMs);
      }
    }
    const first = subject();
    if (first) {
      const handshakeDeadline = t0 + first.createdMs + opts.budgetMs;
      await signal.until(() => first.response !== null || subjectClosed(), handshakeDeadline);
      const accepted = first.response?.status === 101 && first.frameError === null;
      const ui = opts.ui ?? {};
      const { inputSelector, sendSelector, messagesSelector } = ui;
      if (accepted && opts.exchange && inputSelector && sendSelector && messagesSelector) {
        const message = opts.exchange.message;
        const deadline = performance.now() + opts.budgetMs;
        // `raced` ends whichever wait lost the race, so no timer outlives the capture.
        let raced = false;
        const echoed = () =>
          signal.until(() => raced || first.frames.some((f) => f.direction === 'received' && f.data.includes(message)), deadline);
        const exchanging = runExchange(page, { ...ui, inputSelector, sendSelector, messagesSelector }, message, deadline, echoed).catch(() => false);
        const closing = signal.until(() => raced || subjectClosed(), deadline).then(() => false);
        exchange = (await Promise.race([exchanging, closing])) && !subjectClosed() ? 'echoed' : 'failed';
        raced = true;
        signal.notify();
      } else if (accepted) {
        await signal.until(subjectClosed, performance.now() + (opts.acceptWindowMs ?? DEFAULT_ACCEPT_WINDOW_MS));
      }
      closedAtDecision = subjectClosed();
      // Let the page's own close event (and the frontend's handlers for it) arrive before reading.
      if (closedAtDecision) await signal.until(() => subjectEvents().some((e) => e.type === 'close'), performance.now() + SETTLE_MS);
    }

    // The page's array is the complete log; the notifications above only woke the waits.
    const logged = navigationFailed ? pageEvents : await page.evaluate<unknown>(`window.${EVENTS_GLOBAL} ?? []`).catch(() => pageEvents);
    const events = (Array.isArray(logged) ? logged : []).filter(isPageSocketEvent).filter((e) => e.id === 0);
    const close = first ? closeInfo(events, first.closedMs !== null, redact) : null;

    // What the user saw, read and pictured together: the status text just before and just after
    // the screenshot must agree, so the picture shows what the record says (a frontend that
    // retries flips "offline" back to "connecting" within a few hundred ms). Each round waits on
    // the page itself (read, screenshot, read), never on a timer, within one deadline.
    const { uiStatus, screenshot } = await settledView(page, opts.ui?.statusSelector, redact, performance.now() + SCREENSHOT_MS);

    const offered = first?.requestHeaders['Sec-WebSocket-Protocol'] ?? first?.requestHeaders['sec-websocket-protocol'] ?? '';
    const record: BrowserRecord = {
      channel: 'browser',
      label: opts.label,
      pageUrl: redact(opts.pageUrl),
      wsUrl: first ? redact(first.url) : null,
      tokenVariant: opts.tokenVariant,
      tokenFingerprint: opts.tokenFingerprint,
      requestHeaders: first ? headerRecord(first.requestHeaders, redact) : {},
      offeredSubprotocols: offered
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p.length > 0)
        .map(redact),
      response: first?.response ?? null,
      frameError: first?.frameError == null ? null : redact(first.frameError),
      status: first?.response?.status ?? (first?.frameError == null ? null : parseFrameError(first.frameError).status),
      outcome: decideOutcome(first, closedAtDecision, close?.by === 'client', exchange, navigationFailed),
      frames: first?.frames ?? [],
      close,
      console: consoleLines.slice(),
      uiStatus,
      timing: {
        createdMs: first?.createdMs ?? null,
        requestMs: first?.requestMs ?? null,
        responseMs: first?.responseMs ?? null,
        errorMs: first?.errorMs ?? null,
        closedMs: first?.closedMs ?? null,
      },
      budgetMs: opts.budgetMs,
      startedAt,
    };
    return { record, screenshot, attempts: order.length };
  } finally {
    for (const off of unlisten) off();
    await cdp?.detach().catch(() => {});
    await page.close().catch(() => {});
  }
}
