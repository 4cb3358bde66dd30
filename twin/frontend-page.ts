// The chat page the twin's frontend serves. It behaves as the real frontend does on the
// socket: token from localStorage, subprotocols ['jwt-auth', 'jwt.' + base64url(token)], the
// same console messages, 1008 → at most 3 auth retries, other closes → a few reconnects with
// a small capped backoff (bounded, so a test page never storms the server). It never logs or
// displays the token. Status texts: "no token", "connecting", "connected", "offline",
// "auth failed" — "offline" rather than "disconnected" so that no status contains "connected".

export interface PageConfig {
  wsUrl: string;
  tokenStorageKey: string;
}

const SCRIPT = `
(() => {
  const cfg = JSON.parse(document.getElementById('twin-config').textContent);
  const statusEl = document.getElementById('connection-status');
  const input = document.getElementById('message-input');
  const send = document.getElementById('send-button');
  const list = document.getElementById('messages');
  const MAX_AUTH_RETRIES = 3;
  const MAX_RECONNECTS = 3;
  let ws = null;
  let authRetries = 0;
  let reconnects = 0;

  const setStatus = (s) => { statusEl.textContent = s; statusEl.dataset.state = s; send.disabled = s !== 'connected'; };
  const b64url = (s) => {
    let bin = '';
    for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
    return btoa(bin).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  };
  const later = (fn, attempt) => setTimeout(fn, Math.min(250 * 2 ** attempt, 2000));

  function connect() {
    const token = localStorage.getItem(cfg.tokenStorageKey);
    if (!token) {
      console.warn('WebSocket connection skipped - no token available');
      setStatus('no token');
      return;
    }
    setStatus('connecting');
    try {
      ws = new WebSocket(cfg.wsUrl, ['jwt-auth', 'jwt.' + b64url(token)]);
    } catch (e) {
      console.error('Failed to connect to WebSocket', String(e && e.message));
      setStatus('offline');
      return;
    }
    ws.onopen = () => setStatus('connected');
    ws.onerror = () => console.error('WebSocket error occurred');
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch { return; }
      const content = msg && msg.payload && msg.payload.content;
      if (typeof content === 'string') {
        const li = document.createElement('li');
        li.textContent = content;
        list.appendChild(li);
      }
    };
    ws.onclose = (ev) => {
      console.error('WebSocket connection closed', JSON.stringify({ code: ev.code, reason: ev.reason }));
      ws = null;
      if (ev.code === 1008) {
        console.error('WebSocket authentication failed');
        setStatus('auth failed');
        if (authRetries < MAX_AUTH_RETRIES) later(connect, authRetries++);
        return;
      }
      setStatus('offline');
      if (ev.code !== 1000 && reconnects < MAX_RECONNECTS) later(connect, reconnects++);
    };
  }

  send.addEventListener('click', () => {
    const content = input.value;
    if (!ws || ws.readyState !== WebSocket.OPEN || !content) return;
    ws.send(JSON.stringify({ type: 'user_message', payload: { content } }));
    input.value = '';
  });
  connect();
})();
`;

export function renderChatPage(config: PageConfig): string {
  // JSON inside <script>: escape '<' so no value can close the element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Chat (twin)</title>
<style>body{font-family:sans-serif;margin:2rem}#connection-status{font-weight:bold}</style></head>
<body>
<h1>Chat</h1>
<p>Status: <span id="connection-status" data-state="loading">loading</span></p>
<ul id="messages"></ul>
<input id="message-input" autocomplete="off" placeholder="Message">
<button id="send-button" disabled>Send</button>
<script type="application/json" id="twin-config">${json}</script>
<script>${SCRIPT}</script>
</body>
</html>`;
}
