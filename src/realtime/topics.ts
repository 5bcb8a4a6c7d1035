import type { Ctx } from '../platform/ctx.ts';
import type { DomainEvent } from '../platform/events.ts';
import { can, mayRead } from '../platform/authz.ts';
import { AppError } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { getConversation } from '../domains/conversations/index.ts';
import { getCustomer } from '../domains/customers/index.ts';

/**
 * What a socket can listen to:
 *  - `inbox`: every conversation.* and message.* event of the workspace;
 *  - `conversation:<id>`: events about that conversation;
 *  - `customer:<id>`: events about that customer (a merged-away id follows the surviving record).
 */
export type Subscription = { topic: string; matches(event: DomainEvent): boolean };

const isConversationEvent = (e: DomainEvent) => e.type.startsWith('conversation.') || e.type.startsWith('message.');

/**
 * Resolves and authorises a topic for this ctx through the verbs that guard the same data over
 * HTTP, so another workspace's id answers not_found exactly as GET would.
 */
export async function authorizeTopic(ctx: Ctx, topic: unknown): Promise<Subscription> {
  if (typeof topic !== 'string' || topic.length > 100) throw badTopic();
  if (topic === 'inbox') {
    if (!can(ctx, 'conversations:read')) throw new AppError('forbidden', 'Missing permission conversations:read');
    return { topic, matches: isConversationEvent };
  }
  const sep = topic.indexOf(':');
  const kind = topic.slice(0, sep);
  const id = topic.slice(sep + 1);
  if (sep < 0 || !isUuid(id)) throw badTopic();
  if (kind === 'conversation') {
    const conv = await getConversation({ ctx, id });
    return { topic, matches: (e) => e.conversationId === conv.id };
  }
  if (kind === 'customer') {
    const customer = await getCustomer({ ctx, id });
    return { topic, matches: (e) => e.customerId === customer.id || (e.type === 'customer.merged' && e.data.sourceId === customer.id) };
  }
  throw badTopic();
}

/**
 * Whether this actor may see this event at all, by the permission that reads its kind
 * (authz.ts readFamilies): conversation content needs conversations:read, an invoice billing:read,
 * and a kind of no known family every read permission.
 */
export function maySee(ctx: Ctx, event: DomainEvent): boolean {
  return mayRead(ctx, event.type);
}

const badTopic = () => new AppError('validation_failed', "topic: expected 'inbox', 'conversation:<uuid>' or 'customer:<uuid>'",
  { fields: [{ path: 'topic', message: 'unknown topic' }] });
