import { and, eq } from 'drizzle-orm';
import { customers } from '../../db/schema/index.ts';
import { withTransaction, type Ctx } from '../../platform/ctx.ts';
import { audit } from '../../platform/audit.ts';
import { emit } from '../../platform/events.ts';
import { parseInput } from '../../platform/errors.ts';
import { loadCustomer } from '../customers/get-customer.ts';
import { PreferencesInput } from './portal.schemas.ts';
import { asSystem, recordSelf, selfOf } from './self.ts';

type CustomerRow = typeof customers.$inferSelect;
const prefsOf = (c: CustomerRow) => ({
  preferredChannel: (c.channelPrefs.preferred ?? null) as 'email' | 'sms' | 'whatsapp' | 'telegram' | 'messenger' | 'portal' | null,
  quietHours: c.channelPrefs.quietHours ?? null,
  language: c.language,
  notices: { serviceNotices: c.consent.serviceNotices !== false, surveys: c.consent.surveys, marketing: c.consent.marketing },
});

/** My preferences: the channel I hear on, quiet hours, language, which notices I want. */
export async function getMyPreferences({ ctx }: { ctx: Ctx }) {
  return prefsOf(await loadCustomer(asSystem(ctx), selfOf(ctx, 'customer')));
}

/** Changes my preferences; the same fields the agent sees and the notices obey. */
export async function updateMyPreferences({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const customerId = selfOf(ctx, 'customer');
  const data = parseInput(PreferencesInput, input);
  return withTransaction(ctx, async (tx) => {
    const c = await loadCustomer(asSystem(tx), customerId);
    const before = prefsOf(c);
    const channelPrefs = { ...c.channelPrefs };
    if (data.preferredChannel !== undefined) channelPrefs.preferred = data.preferredChannel;
    if (data.quietHours !== undefined) channelPrefs.quietHours = data.quietHours;
    const consent = { ...c.consent, ...(data.notices ?? {}), updatedAt: new Date().toISOString() };
    const [row] = await tx.db.update(customers).set({ channelPrefs, consent, language: data.language ?? c.language, updatedAt: new Date() })
      .where(and(eq(customers.workspaceId, ctx.workspaceId), eq(customers.id, customerId))).returning();
    const after = prefsOf(row);
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]));
    if (changed.length) {
      await audit(tx, { action: 'customer.preferences_updated', entityType: 'customer', entityId: customerId, before, after });
      await recordSelf(tx, { customerId, kind: 'preferences.updated', summary: `updated preferences (${changed.join(', ')})`, data: { changed, after } });
      emit(tx, 'customer.updated', { customerId, data: { changes: changed } });
    }
    return after;
  });
}
