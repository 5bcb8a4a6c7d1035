import { sql } from 'drizzle-orm';
import type { Platform } from '../platform/platform.ts';
import { systemCtx } from '../platform/ctx.ts';
import { findWorkspaceBySlug } from '../domains/workspaces/index.ts';
import { createIncident } from '../domains/status/index.ts';
import { DEMO_SLUG } from './seed-demo.ts';
import { rowsOf } from '../platform/bulk.ts';

/**
 * What the demo portal needs beyond the seed, made on start and idempotent: the outage going on
 * now (the seed's latest outage conversations name its area) as a published incident on the
 * status page, so a customer there can find out why their internet is down; and one customer to
 * try, in that area, whose bills changed month to month. A few queries; nothing is sent
 * (the incident does not notify: the seed's customers already wrote in about it).
 */
export async function ensureDemoPortal(app: Platform): Promise<{ email: string; name: string | null; area: string } | null> {
  const ws = await findWorkspaceBySlug({ ctx: systemCtx(app, ''), slug: DEMO_SLUG });
  if (!ws) return null;
  const ctx = systemCtx(app, ws.id, 'demo-portal');
  const [open] = rowsOf<{ area: string }>(await app.db.execute(sql`
    select sc.service_area_id as area from incidents i
    join incident_components ic on ic.workspace_id = i.workspace_id and ic.incident_id = i.id
    join status_components sc on sc.workspace_id = ic.workspace_id and sc.id = ic.component_id
    where i.workspace_id = ${ws.id} and i.kind = 'incident' and i.published and i.resolved_at is null and i.impact in ('major', 'critical')
    order by i.started_at desc limit 1`));
  let areaId = open?.area;
  if (!areaId) {
    const [latest] = rowsOf<{ area: string; started: string }>(await app.db.execute(sql`
      select c.service_area_id as area, min(c.created_at)::text as started from conversations c
      where c.workspace_id = ${ws.id} and 'outage' = any(c.tags) and c.service_area_id is not null and c.created_at > now() - interval '1 day'
      group by c.service_area_id order by max(c.created_at) desc limit 1`));
    const [first] = rowsOf<{ id: string }>(await app.db.execute(sql`select id from service_areas where workspace_id = ${ws.id} order by code limit 1`));
    areaId = latest?.area ?? first?.id;
    if (!areaId) return null;
    await createIncident({ ctx, input: {
      name: 'Fibre cable cut by groundworks', impact: 'critical', status: 'identified', areaIds: [areaId], notify: false,
      startedAt: latest ? new Date(latest.started).toISOString() : undefined,
      body: 'A contractor cut one of our fibre cables during roadworks. A splicing crew is on site; we expect service back within a few hours. Nothing at home needs fixing.',
    } });
  }
  const [who] = rowsOf<{ email: string; name: string | null; area: string }>(await app.db.execute(sql`
    select cu.email, cu.name, sa.name as area from subscriptions s
    join customers cu on cu.workspace_id = s.workspace_id and cu.id = s.customer_id and cu.merged_into_id is null and cu.email is not null
    join service_areas sa on sa.workspace_id = s.workspace_id and sa.id = s.service_area_id
    where s.workspace_id = ${ws.id} and s.service_area_id = ${areaId} and s.status = 'active'
    order by (select count(*) from invoices i join invoice_lines l on l.workspace_id = i.workspace_id and l.invoice_id = i.id
              where i.workspace_id = s.workspace_id and i.customer_id = cu.id and l.kind in ('proration', 'credit', 'fee', 'usage')) desc, cu.id
    limit 1`));
  return who ?? null;
}
