import { useEffect, useRef, useSyncExternalStore } from 'react';

/** A domain event as the gateway sends it (src/platform/events.ts). */
export type LiveEvent = { id: string; type: string; at: string; customerId?: string; conversationId?: string; data: Record<string, unknown> };
/** `null` means "you may have missed events" (after a reconnect): read the current state again. */
type Handler = (event: LiveEvent | null) => void;
export type LiveStatus = 'off' | 'connecting' | 'live' | 'offline';

/**
 * One WebSocket to /api/v1/realtime for the whole app (the session cookie authenticates it).
 * Topics are reference-counted; after a drop it reconnects with backoff, subscribes again and
 * tells every handler to resync, because the gateway does not replay missed events.
 */
class LiveConnection {
  private ws: WebSocket | null = null;
  private handlers = new Map<string, Set<Handler>>();
  private statusListeners = new Set<() => void>();
  private retry = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  status: LiveStatus = 'off';

  start() {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop() {
    this.running = false;
    clearTimeout(this.timer);
    this.ws?.close(1000, 'signed out');
    this.ws = null;
    this.setStatus('off');
  }

  subscribe(topic: string, handler: Handler): () => void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
      this.send({ type: 'subscribe', topic });
    }
    set.add(handler);
    return () => {
      const s = this.handlers.get(topic);
      if (!s) return;
      s.delete(handler);
      if (!s.size) { this.handlers.delete(topic); this.send({ type: 'unsubscribe', topic }); }
    };
  }

  onStatus(fn: () => void) {
    this.statusListeners.add(fn);
    return () => { this.statusListeners.delete(fn); };
  }

  private setStatus(s: LiveStatus) {
    if (this.status === s) return;
    this.status = s;
    for (const l of this.statusListeners) l();
  }

  private send(frame: object) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private connect() {
    if (!this.running) return;
    this.setStatus('connecting');
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/realtime`);
    this.ws = ws;
    const reconnected = this.retry > 0;
    ws.onopen = () => {
      this.retry = 0;
      this.setStatus('live');
      for (const topic of this.handlers.keys()) this.send({ type: 'subscribe', topic });
      if (reconnected) for (const set of this.handlers.values()) for (const h of set) h(null);
    };
    ws.onmessage = (msg) => {
      let frame: { type?: string; topic?: string; event?: LiveEvent };
      try { frame = JSON.parse(String(msg.data)); } catch { return; }
      // The server lost events from other nodes for a moment: everything shown is refetched.
      if (frame.type === 'resync') { for (const set of this.handlers.values()) for (const h of set) h(null); return; }
      if (frame.type !== 'event' || !frame.topic || !frame.event) return;
      for (const h of this.handlers.get(frame.topic) ?? []) h(frame.event);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (!this.running) return;
      this.setStatus('offline');
      const delay = Math.min(30_000, 1000 * 2 ** this.retry++);
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }
}

export const live = new LiveConnection();

/** Calls `onEvent` for each event on `topic` (null: resync after a reconnect). `topic` null: nothing. */
export function useLiveTopic(topic: string | null, onEvent: Handler) {
  const ref = useRef(onEvent);
  useEffect(() => { ref.current = onEvent; });
  useEffect(() => (topic ? live.subscribe(topic, (e) => ref.current(e)) : undefined), [topic]);
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore((fn) => live.onStatus(fn), () => live.status);
}
