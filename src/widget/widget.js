/*! Candor web chat widget: one self-contained script, no dependencies.
 * <script src="https://candor.example/widget.js" data-workspace="…" data-channel="…"
 *   data-user-id="…" data-user-hash="…" data-name="…" data-email="…" async></script>
 * Protocol: src/channels/chat/README.md. window.CandorChat: open(), close(), forget(). */
(() => {
  'use strict';
  const script = document.currentScript || document.querySelector('script[src*="widget.js"][data-channel]');
  const d = script ? script.dataset : {};
  if (!d.workspace || !d.channel) { console.warn('Candor chat: data-workspace and data-channel are required'); return; }
  const key = `candor-chat:${d.workspace}:${d.channel}`;
  if (window[key]) return;
  window[key] = true;

  const base = new URL(script.src, location.href);
  const url = `${base.protocol === 'https:' ? 'wss' : 'ws'}://${base.host}/api/v1/chat/socket?workspace=${encodeURIComponent(d.workspace)}&channel=${encodeURIComponent(d.channel)}`;
  const verified = !!(d.userId && d.userHash);
  const store = {
    get: () => { try { return localStorage.getItem(key); } catch { return null; } },
    set: (v) => { try { v ? localStorage.setItem(key, v) : localStorage.removeItem(key); } catch { /* private mode */ } },
  };
  let memoryId = null;
  const rid = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

  // ---- view: a Shadow DOM, so the host page's CSS can neither break nor read it ----
  const host = document.createElement('candor-chat'); // not a div: a page's div rules do not reach it
  host.style.cssText = 'all:initial!important';
  const root = host.attachShadow({ mode: 'open' });
  // The styles go in as a constructed sheet: a host page whose Content-Security-Policy has no
  // style-src 'unsafe-inline' (Candor's own demo page among them) would refuse a <style> element.
  const css = `:host{all:initial}*{box-sizing:border-box}
.root{position:fixed;right:20px;bottom:20px;z-index:2147483000;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1f;--c:#1d3557}
button,textarea{font:inherit}
button:focus-visible,textarea:focus-visible,.log:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
.launcher{width:56px;height:56px;border-radius:50%;border:0;background:var(--c);color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:grid;place-items:center;position:relative}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;border-radius:10px;background:#d4351c;color:#fff;font-size:12px;line-height:20px;padding:0 5px}
.panel{position:absolute;right:0;bottom:70px;width:min(370px,calc(100vw - 40px));height:min(540px,calc(100vh - 110px));background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);display:flex;flex-direction:column;overflow:hidden}
[hidden]{display:none!important}
header{background:var(--c);color:#fff;padding:10px 8px 10px 16px;display:flex;align-items:center;justify-content:space-between}
h2{font-size:16px;margin:0;font-weight:600}
.x{background:none;border:0;color:#fff;font-size:24px;line-height:1;cursor:pointer;padding:2px 10px;border-radius:6px}
.status{font-size:12px;padding:4px 16px;background:#fff4e5;color:#5c3b00}.status:empty{display:none}
.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f6f6f8}
.msg{max-width:80%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}
.in{align-self:flex-end;background:var(--c);color:#fff;border-bottom-right-radius:4px}
.out{align-self:flex-start;background:#fff;border:1px solid #dcdce2;border-bottom-left-radius:4px}
.pending{opacity:.6}.failed{outline:2px solid #d4351c}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
form{display:flex;gap:8px;padding:10px;border-top:1px solid #dcdce2;margin:0}
textarea{flex:1;resize:none;padding:8px 10px;border:1px solid #767680;border-radius:8px;height:40px;max-height:120px;color:inherit;background:#fff}
.send{background:var(--c);color:#fff;border:0;border-radius:8px;padding:0 16px;font-weight:600;cursor:pointer}`;
  let sheet = null;
  try { sheet = new CSSStyleSheet(); sheet.replaceSync(css); root.adoptedStyleSheets = [sheet]; } catch { sheet = null; }
  root.innerHTML = `${sheet ? '' : `<style>${css}</style>`}<div class="root">
<div class="panel" id="panel" role="dialog" aria-labelledby="title" hidden>
<header><h2 id="title">Chat with us</h2><button class="x" type="button" aria-label="Close chat">×</button></header>
<div class="status" role="status"></div>
<div class="log" role="log" aria-live="polite" aria-label="Conversation" tabindex="0"></div>
<form><label class="sr" for="text">Message</label><textarea id="text" rows="1" placeholder="Write a message…"></textarea><button class="send" type="submit">Send</button></form>
</div>
<button class="launcher" type="button" aria-label="Open chat" aria-expanded="false" aria-controls="panel"><svg width="26" height="26" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg><span class="badge" hidden></span></button>
</div>`;
  const $ = (s) => root.querySelector(s);
  const wrap = $('.root'), panel = $('.panel'), launcher = $('.launcher'), badge = $('.badge'), log = $('.log'), statusEl = $('.status'), input = $('textarea'), form = $('form'), title = $('#title');
  const color = (c) => { if (/^#[0-9a-f]{6}$/i.test(c || '')) wrap.style.setProperty('--c', c); };
  color(d.color);
  if (d.title) title.textContent = d.title;

  // ---- state ----
  let ws = null, ready = false, final = false, attempts = 0, retry = null, isOpen = false, unread = 0, maxText = 5000, greeting = null;
  const shown = new Map();   // server message id → element
  const pending = new Map(); // client message id → { text, el, sent }
  let unreadIds = [];

  const setStatus = (t) => { statusEl.textContent = t || ''; };
  const scroll = () => { log.scrollTop = log.scrollHeight; };
  function bubble(direction, text, who) {
    const el = document.createElement('div');
    el.className = `msg ${direction}`;
    const label = document.createElement('span');
    label.className = 'sr';
    label.textContent = `${who}: `;
    el.append(label, text); // text nodes only: nothing a message says is ever parsed as HTML
    log.append(el);
    scroll();
    return el;
  }
  const authorOf = (m) => (m.direction === 'in' ? 'You' : m.author === 'bot' ? 'Assistant' : 'Support');
  const textOf = (m) => m.text + (m.attachments || []).map((a) => `\n[${a.filename}]`).join('');

  function showMessage(m) {
    if (shown.has(m.id)) return;
    const mine = m.clientId && pending.get(m.clientId);
    if (mine) { settle(m.clientId, m); return; }
    if (greeting) { greeting.remove(); greeting = null; }
    shown.set(m.id, bubble(m.direction, textOf(m), authorOf(m)));
    if (m.direction === 'out') {
      unreadIds.push(m.id);
      if (!isOpen) { unread++; badge.textContent = String(unread); badge.hidden = false; launcher.setAttribute('aria-label', `Open chat, ${unread} unread`); }
      markRead();
    }
  }
  function settle(clientId, m) {
    const p = pending.get(clientId);
    pending.delete(clientId);
    if (shown.has(m.id)) { p.el.remove(); return; }
    p.el.classList.remove('pending');
    shown.set(m.id, p.el);
  }
  function markRead() {
    if (!isOpen || !ready || document.visibilityState !== 'visible' || !unreadIds.length) return;
    send({ type: 'read', ids: unreadIds.splice(0, 50) });
  }

  // ---- socket ----
  const send = (f) => { if (ws && ws.readyState === 1) ws.send(JSON.stringify(f)); };
  function flush() {
    if (!ready) { connect(); return; }
    for (const [id, p] of pending) if (!p.sent) { p.sent = true; send({ type: 'message', id, text: p.text }); }
  }
  function connect() {
    if (ws || final) return;
    clearTimeout(retry);
    ws = new WebSocket(url);
    ws.onopen = () => send({
      type: 'hello', ...(verified ? { userId: d.userId, userHash: d.userHash } : { visitorId: store.get() || memoryId || undefined }),
      ...(d.name ? { name: d.name } : {}), ...(d.email ? { email: d.email } : {}),
    });
    ws.onmessage = (e) => { let f; try { f = JSON.parse(e.data); } catch { return; } onFrame(f); };
    ws.onclose = (e) => {
      ws = null; ready = false;
      for (const p of pending.values()) p.sent = false;
      if (e.code === 4400 || e.code === 4401) { final = true; setStatus('Chat is unavailable right now.'); return; }
      if (isOpen || pending.size) setStatus('Reconnecting…');
      const delay = Math.min(30000, 1000 * 2 ** attempts++) * (0.5 + Math.random() / 2);
      retry = setTimeout(connect, delay);
    };
  }
  function onFrame(f) {
    switch (f.type) {
      case 'welcome': {
        ready = true; attempts = 0; setStatus('');
        if (f.visitorId) { memoryId = f.visitorId; store.set(f.visitorId); }
        const s = f.settings || {};
        color(s.color);
        if (s.title && !d.title) title.textContent = s.title;
        if (f.limits && f.limits.maxText) maxText = f.limits.maxText;
        input.maxLength = maxText;
        (f.messages || []).forEach(showMessage);
        if (s.greeting && !shown.size && !pending.size && !greeting) greeting = bubble('out', s.greeting, 'Support');
        flush();
        markRead();
        break;
      }
      case 'ack': if (pending.has(f.id)) settle(f.id, f.message); break;
      case 'message': showMessage(f.message); break;
      case 'error': {
        const p = f.id && pending.get(f.id);
        if (p && f.code === 'rate_limited') { p.sent = false; setStatus('Sending too fast; trying again shortly…'); setTimeout(() => { setStatus(''); flush(); }, Math.min(Math.max(3, Number(f.retryAfter) || 0), 300) * 1000); }
        else if (p) { pending.delete(f.id); p.el.classList.remove('pending'); p.el.classList.add('failed'); setStatus(`Not sent: ${f.message}`); }
        else setStatus(f.message);
        break;
      }
    }
  }

  // ---- interaction ----
  function open() {
    isOpen = true;
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    launcher.setAttribute('aria-label', 'Close chat');
    unread = 0; badge.hidden = true;
    if (!ws && !final) { if (!ready) setStatus('Connecting…'); connect(); }
    scroll();
    input.focus();
    markRead();
  }
  function close() {
    isOpen = false;
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-label', 'Open chat');
    launcher.focus();
  }
  launcher.addEventListener('click', () => (isOpen ? close() : open()));
  $('.x').addEventListener('click', close);
  root.addEventListener('keydown', (e) => { if (e.key === 'Escape' && isOpen) { e.preventDefault(); close(); } });
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); } });
  input.addEventListener('input', () => { input.style.height = 'auto'; input.style.height = `${Math.min(input.scrollHeight + 2, 120)}px`; });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    if (text.length > maxText) { setStatus(`Messages are at most ${maxText} characters.`); return; }
    input.value = '';
    input.style.height = '';
    if (greeting) { greeting.remove(); greeting = null; }
    const el = bubble('in', text, 'You');
    el.classList.add('pending');
    pending.set(rid(), { text, el, sent: false });
    flush();
  });
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') { markRead(); if (!ws && retry) connect(); } });
  window.addEventListener('online', () => { if (!ws && retry) connect(); });

  window.CandorChat = {
    open, close,
    /** Forget this browser's anonymous visitor (call it when a customer signs out on a shared computer). */
    forget() { store.set(null); memoryId = null; final = true; clearTimeout(retry); if (ws) ws.close(1000); shown.clear(); pending.clear(); log.textContent = ''; },
  };
  const mount = () => { document.body.append(host); if (verified || store.get()) connect(); };
  document.body ? mount() : document.addEventListener('DOMContentLoaded', mount);
})();
