import { createHash } from 'node:crypto';
import { systemCtx } from '../../platform/ctx.ts';
import type { Platform } from '../../platform/platform.ts';
import { findWorkspaceBySlug } from '../workspaces/index.ts';
import { loadStatusPageData, type StatusPageData } from './page-data.ts';
import { buildStatuspageV2 } from './statuspage-v2.ts';
import { atomFeed, rssFeed } from './feeds.ts';
import { publicStatusUrl } from './public-url.ts';

export type SnapshotFile = { body: string; etag: string; type: string };
type Entry = {
  files: Map<string, SnapshotFile>; builtAt: number;
  /** Bumped by every change; `builtGen` is the generation the files show, `waitedGen` the last one a request waited for. */
  generation: number; builtGen: number; waitedGen: number;
  building?: Promise<void>;
};
export type PageRenderer = (data: StatusPageData, urls: { page: string; api: string }) => string;

/** Events after which a workspace's page is rebuilt before it is served again. */
const changes = /^(incident\.|status\.|service_area\.|maintenance\.)/;

/**
 * The public page, its JSON and its feeds, built once per change and served from memory: no
 * request queries the database. A change (an incident, maintenance, a setting, an area) starts a
 * rebuild at once; the first request after it waits for that rebuild, so whoever made the change
 * sees it at once; requests that arrive while it is being built get the previous snapshot (at most
 * one rebuild old) instead of queueing behind it, so a surge never waits on the database, even
 * while an incident is updated every second. Snapshots older than `maxAgeMs` (uptime bars and the
 * desk's record move with time) are rebuilt in the background.
 */
export class StatusSnapshots {
  private entries = new Map<string, Entry>();
  private slugs = new Map<string, { id: string | null; at: number }>();
  private unsubscribe: () => void;

  constructor(private readonly app: Platform, private readonly render: PageRenderer, private readonly maxAgeMs = 60_000) {
    this.unsubscribe = app.bus.subscribe((e) => {
      if (e.workspaceId && changes.test(e.type)) this.invalidate(e.workspaceId);
      if (e.type === 'bus.reconnected') for (const id of this.entries.keys()) this.invalidate(id);
    });
  }

  invalidate(workspaceId: string): void {
    const e = this.entries.get(workspaceId);
    if (!e) return;
    e.generation++;
    this.kick(workspaceId, e);
  }

  close(): void { this.unsubscribe(); }

  /** The workspace id of a slug (cached a minute; null: no such workspace). */
  async workspaceOf(slug: string): Promise<string | null> {
    const hit = this.slugs.get(slug);
    if (hit && Date.now() - hit.at < 60_000) return hit.id;
    const ws = /^[a-z0-9][a-z0-9-]{1,62}$/.test(slug) ? await findWorkspaceBySlug({ ctx: systemCtx(this.app, ''), slug }) : null;
    this.slugs.set(slug, { id: ws?.id ?? null, at: Date.now() });
    return ws?.id ?? null;
  }

  /** One file of a workspace's snapshot (index.html, summary.json, history.atom …), or null. */
  async file(workspaceId: string, name: string): Promise<SnapshotFile | null> {
    let e = this.entries.get(workspaceId);
    if (!e) {
      e = { files: new Map(), builtAt: 0, generation: 1, builtGen: 0, waitedGen: 0 };
      this.entries.set(workspaceId, e);
    }
    const gen = e.generation;
    if (!e.builtAt || (e.builtGen < gen && e.waitedGen < gen)) {
      e.waitedGen = gen;
      this.kick(workspaceId, e);
      while (e.builtGen < gen && e.building) await e.building.catch(() => {});
      if (!e.builtAt) throw new Error('the status page could not be built');
    } else if (Date.now() - e.builtAt > this.maxAgeMs && !e.building) {
      e.generation++;
      this.kick(workspaceId, e);
    }
    return e.files.get(name) ?? null;
  }

  /** Starts a rebuild unless one is running; one that ends behind the latest change starts the next. */
  private kick(workspaceId: string, e: Entry): void {
    if (e.building) return;
    const gen = e.generation;
    let ok = false;
    e.building = this.build(workspaceId).then((files) => { e.files = files; e.builtAt = Date.now(); e.builtGen = gen; ok = true; })
      .catch((err) => { this.app.log.warn({ err, workspaceId }, 'status snapshot rebuild failed'); })
      // A failed build is retried by the next request (or change), never in a loop.
      .finally(() => { e.building = undefined; if (ok && e.builtGen < e.generation) this.kick(workspaceId, e); });
  }

  private async build(workspaceId: string): Promise<Map<string, SnapshotFile>> {
    const data = await loadStatusPageData(systemCtx(this.app, workspaceId, 'status-page'));
    const page = publicStatusUrl(data.workspace.slug);
    const files = new Map<string, SnapshotFile>();
    const put = (name: string, body: string, type: string) => files.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
    for (const [name, json] of Object.entries(buildStatuspageV2(data, page))) put(name, JSON.stringify(json), 'application/json; charset=utf-8');
    put('history.atom', atomFeed(data, page), 'application/atom+xml; charset=utf-8');
    put('history.rss', rssFeed(data, page), 'application/rss+xml; charset=utf-8');
    put('index.html', this.render(data, { page, api: `${page}/api/v2` }), 'text/html; charset=utf-8');
    return files;
  }
}
