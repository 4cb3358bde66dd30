// A second chat page, shaped like a React app with a WebSocketService class, for flavours
// whose frontend is not the contract's. Its habits differ on purpose, so the suite cannot lean
// on one page's words: with NO token it still opens the socket, offering only `jwt-auth`
// (and the backend refuses it); its status is `[data-testid="ws-status"]` with "Connecting…",
// "Connected", "Disconnected", "Reconnecting…" ("Disconnected" contains "connected": a status
// check must compare whole texts); its console lines start with `[WebSocketService]`. Bounded
// like the contract page: at most 3 reconnects, capped backoff, so it never storms. It never
// logs or shows the token.
import type { PageConfig } from './frontend-page';

const SCRIPT = `
(() => {
  const cfg = JSON.parse(document.getElementById('__APP_CONFIG__').textContent);
  const statusEl = document.querySelector('[data-testid="ws-status"]');
  const input = document.querySelector('[data-testid="chat-input"]');
  const send = document.querySelector('[data-testid="chat-send"]');
  const list = document.querySelector('[data-testid="chat-messages"]');

  class WebSocketService {
    constructor(url) { this.url = url; this.ws = null; this.attempts = 0; this.maxAttempts = 3; }
    render(status) { statusEl.textContent = status; send.disabled = status !== 'Connected'; }
    protocols() {
      const token = localStorage.getItem(cfg.tokenStorageKey);
      if (!token) return ['jwt-auth'];
      let bin = '';
      for (const b of new TextEncoder().encode(token)) bin += String.fromCharCode(b);
      return ['jwt-auth', 'jwt.' + btoa(bin).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '')];
    }
    connect() {
      const protocols = this.protocols();
      console.info('[WebSocketService] Connecting', JSON.stringify({ url: this.url, authenticated: protocols.length > 1 }));
      this.render(this.attempts === 0 ? 'Connecting…' : 'Reconnecting…');
      this.ws = new WebSocket(this.url, protocols);
      this.ws.onopen = () => { console.info('[WebSocketService] Connected'); this.render('Connected'); };
      this.ws.onerror = () => console.error('[WebSocketService] Socket error');
      this.ws.onmessage = (ev) => {
        let msg;
        try { msg = JSON.parse(ev.data); } catch { return; }
        if (msg && msg.type === 'error_message') console.error('[WebSocketService] Server error', JSON.stringify({ code: msg.error_code, message: msg.error_message }));
        const content = msg && msg.payload && msg.payload.content;
        if (typeof content === 'string') {
          const li = document.createElement('li');
          li.textContent = content;
          list.appendChild(li);
        }
      };
      this.ws.onclose = (ev) => {
        console.warn('[WebSocketService] Disconnected', JSON.stringify({ code: ev.code, reason: ev.reason, wasClean: ev.wasClean }));
        this.ws = null;
        this.render('Disconnected');
        if (ev.code === 1000 || this.attempts >= this.maxAttempts) return;
        const delay = Math.min(300 * 2 ** this.attempts++, 2000);
        setTimeout(() => this.connect(), delay);
        this.render('Reconnecting…');
      };
    }
    send(content) {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
      this.ws.send(JSON.stringify({ type: 'user_message', payload: { content } }));
      return true;
    }
  }

  const service = new WebSocketService(cfg.wsUrl);
  send.addEventListener('click', () => {
    if (input.value && service.send(input.value)) input.value = '';
  });
  service.connect();
})();
`;

export function renderServicePage(config: PageConfig): string {
  // JSON inside <script>: escape '<' so no value can close the element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Assistant</title>
<style>body{font-family:system-ui,sans-serif;margin:0}header{padding:1rem;border-bottom:1px solid #ddd}main{padding:1rem}</style></head>
<body>
<div id="root">
<header><span class="app-title">Assistant</span> <span data-testid="ws-status" role="status">Connecting…</span></header>
<main>
<ol data-testid="chat-messages"></ol>
<textarea data-testid="chat-input" rows="2" placeholder="Ask anything"></textarea>
<button data-testid="chat-send" type="button" disabled>Send</button>
</main>
</div>
<script type="application/json" id="__APP_CONFIG__">${json}</script>
<script>${SCRIPT}</script>
</body>
</html>`;
}
