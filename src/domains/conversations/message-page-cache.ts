import { BUS_RECONNECTED, type DomainEvent } from '../../platform/events.ts';
import type { Platform } from '../../platform/platform.ts';

/**
 * Event types that never change what a message page shows (the conversation row and its messages).
 * Every other event either names its conversation (and drops that conversation's pages) or drops
 * every page of its workspace. A new event that changes a page must carry `conversationId`, or stay
 * off this list: the default is to forget, never to serve a stale page.
 */
const PAGE_NEUTRAL = /^(api_key|workspace|invoice|payment|subscription|usage|plan|service_area)\.|^customer\.(created|updated|identity_linked)$/;

/** A rendered page: UTF-8 JSON. */
export type Page = Buffer<ArrayBuffer>;
type Flight = { stale: boolean; promise: Promise<Page> };

/**
 * Rendered message pages (GET /conversations/{id}/messages) as the UTF-8 bytes the HTTP response
 * sends, kept by each node and forgotten when an event says the conversation changed: this node's
 * events right after their commit, before the writing request answers (so a client reads its
 * own writes), and other nodes' by LISTEN/NOTIFY a few milliseconds later. A lost LISTEN connection forgets everything.
 *
 * A page read from the database while its conversation changed is not kept: invalidation marks
 * the reads in flight stale. Concurrent misses of one page share one query. Least recently used
 * pages go first once the byte budget is spent. `load(...args)` reads a page on a miss (arguments
 * rather than a closure: no function is created per request on the hot path).
 */
export class MessagePageCache {
  private pages = new Map<string, Page>();
  /** workspace → conversation → keys of its cached pages. */
  private index = new Map<string, Map<string, Set<string>>>();
  private flights = new Map<string, Flight>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes: number) {}

  async get<A extends unknown[]>(workspaceId: string, conversationId: string, page: string, load: (...args: A) => Promise<Page>, ...args: A): Promise<Page> {
    const key = `${workspaceId}/${conversationId}/${page}`;
    const cached = this.pages.get(key);
    if (cached !== undefined) {
      this.hits++;
      this.pages.delete(key);
      this.pages.set(key, cached); // most recently used last
      return cached;
    }
    this.misses++;
    const joined = this.flights.get(key);
    if (joined && !joined.stale) return joined.promise;
    const flight: Flight = { stale: false, promise: load(...args) };
    this.flights.set(key, flight);
    try {
      const json = await flight.promise;
      if (!flight.stale && this.maxBytes > 0) this.store(key, workspaceId, conversationId, json);
      return json;
    } finally {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    }
  }

  /** Applies one event: drops the pages it may have changed. */
  observe(e: DomainEvent): void {
    if (e.type === BUS_RECONNECTED) return this.forget();
    if (e.conversationId) return this.forget(e.workspaceId, e.conversationId);
    if (!PAGE_NEUTRAL.test(e.type)) this.forget(e.workspaceId);
  }

  get size() { return { pages: this.pages.size, bytes: this.bytes }; }

  private store(key: string, workspaceId: string, conversationId: string, json: Page) {
    if (this.pages.has(key)) return;
    this.pages.set(key, json);
    this.bytes += json.length;
    let convs = this.index.get(workspaceId);
    if (!convs) this.index.set(workspaceId, (convs = new Map()));
    let keys = convs.get(conversationId);
    if (!keys) convs.set(conversationId, (keys = new Set()));
    keys.add(key);
    for (const [oldest] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      const [ws, conv] = oldest.split('/');
      this.drop(ws, conv, oldest);
    }
  }

  private drop(workspaceId: string, conversationId: string, key: string) {
    const json = this.pages.get(key);
    if (json === undefined) return;
    this.pages.delete(key);
    this.bytes -= json.length;
    const convs = this.index.get(workspaceId);
    const keys = convs?.get(conversationId);
    keys?.delete(key);
    if (keys && !keys.size) convs!.delete(conversationId);
    if (convs && !convs.size) this.index.delete(workspaceId);
  }

  private forget(workspaceId?: string, conversationId?: string) {
    const prefix = workspaceId === undefined ? '' : conversationId === undefined ? `${workspaceId}/` : `${workspaceId}/${conversationId}/`;
    for (const [key, flight] of this.flights) if (key.startsWith(prefix)) { flight.stale = true; this.flights.delete(key); }
    const workspaces = workspaceId === undefined ? [...this.index.keys()] : [workspaceId];
    for (const ws of workspaces) {
      const convs = this.index.get(ws);
      if (!convs) continue;
      for (const conv of conversationId === undefined ? [...convs.keys()] : [conversationId]) {
        for (const key of [...(convs.get(conv) ?? [])]) this.drop(ws, conv, key);
      }
    }
  }
}

const caches = new WeakMap<Platform, MessagePageCache>();

/** This node's message page cache, listening to the bus from its first use. CANDOR_PAGE_CACHE_MB=0 turns it off. */
export function messagePageCache(app: Platform): MessagePageCache {
  let cache = caches.get(app);
  if (!cache) {
    const c = (cache = new MessagePageCache(Number(process.env.CANDOR_PAGE_CACHE_MB ?? 32) * 1024 * 1024));
    caches.set(app, c);
    app.bus.subscribe((e) => c.observe(e));
  }
  return cache;
}
