import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { channels, type ChannelKind } from '../../db/schema/index.ts';
import type { Platform } from '../../platform/platform.ts';
import type { ChannelRow } from './channels.ts';

/**
 * A system query across workspaces, for listeners that receive before they know the tenant
 * (the SMTP server): the active channels of a kind whose `config.address` is one of these
 * addresses (compared in lower case), oldest first. Callers route to the oldest when a second
 * workspace configures the same address, so a newcomer cannot take over another's mail.
 */
export async function findChannelsByAddress({ app, kind, addresses }: { app: Platform; kind: ChannelKind; addresses: string[] }): Promise<ChannelRow[]> {
  const wanted = [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter(Boolean))];
  if (!wanted.length) return [];
  return app.db.select().from(channels)
    .where(and(eq(channels.kind, kind), eq(channels.active, true), inArray(sql<string>`lower(${channels.config}->>'address')`, wanted)))
    .orderBy(asc(channels.createdAt), asc(channels.id));
}
