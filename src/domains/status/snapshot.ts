import { createHash } from 'node:crypto';
import { systemCtx } from '../../platform/ctx.ts';
import type { Platform } from '../../platform/platform.ts';
import { findWorkspaceBySlug } from '../workspaces/index.ts';
import { loadStatusPageData, type StatusPageData } from './page-data.ts';
import { buildStatuspageV2 } from './statuspage-v2.ts';
import { atomFeed, rssFeed } from './feeds.ts';
import { publicStatusUrl } from './public-url.ts';

export type SnapshotFile = { body: string; etag: string; type: string };
type Entry = { files: Map<string, SnapshotFile>; builtAt: number; dirty: boolean; building?: Promise<void> };
export type PageRenderer = (data: StatusPageData, urls: { page: string; api: string }) => string;

/** Events after which a workspace's page is rebuilt before it is served again. */
const changes = /^(incident\.|status\.|service_area\.|maintenance\.)/;

/**
 * The public page, its JSON and its feeds, built once per change and served from memory: a
 * request never queries the database unless the page changed (an incident, maintenance, a setting,
 * an area) or the snapshot is older than `maxAgeMs` (uptime bars and the desk's record move with
 * time). A change marks the workspace dirty; the next request waits for the one rebuild every
 * request then shares. A stale (old, unchanged) snapshot is served at once while it is rebuilt.
 */
export class StatusSnapshots {
  private entries = new Map<string, Entry>();
  private slugs = new Map<string, { id: string | null; at: number }>();
  private unsubscribe: () => void;

  constructor(private readonly app: Platform, private readonly render: PageRenderer, private readonly maxAgeMs = 60_000) {
    this.unsubscribe = app.bus.subscribe((e) => {
      if (e.workspaceId && changes.test(e.type)) this.invalidate(e.workspaceId);
      if (e.type === 'bus.reconnected') for (const v of this.entries.values()) v.dirty = true;
    });
  }

  invalidate(workspaceId: string): void {
    const e = this.entries.get(workspaceId);
    if (e) e.dirty = true;
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
      e = { files: new Map(), builtAt: 0, dirty: true };
      this.entries.set(workspaceId, e);
    }
    if (e.dirty || !e.builtAt) await this.rebuild(workspaceId, e);
    else if (Date.now() - e.builtAt > this.maxAgeMs && !e.building) void this.rebuild(workspaceId, e).catch((err) => this.app.log.warn({ err }, 'status snapshot rebuild failed'));
    return e.files.get(name) ?? null;
  }

  private rebuild(workspaceId: string, e: Entry): Promise<void> {
    if (e.building) return e.dirty ? e.building.then(() => (e.dirty ? this.rebuild(workspaceId, e) : undefined)) : e.building;
    e.dirty = false;
    e.building = this.build(workspaceId).then((files) => { e.files = files; e.builtAt = Date.now(); }, (err) => { e.dirty = true; throw err; })
      .finally(() => { e.building = undefined; });
    return e.building;
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
