import type { Ctx, Role } from './ctx.ts';
import { AppError } from './errors.ts';

export const permissions = [
  'customers:read', 'customers:write', 'conversations:read', 'conversations:write',
  'messages:ingest', 'billing:read', 'billing:write', 'workspace:admin', 'audit:read',
  'status:read', 'status:write',
] as const;
export type Permission = (typeof permissions)[number];

const rolePermissions: Record<Role, readonly Permission[]> = {
  admin: permissions,
  supervisor: permissions.filter((p) => p !== 'workspace:admin'),
  agent: ['customers:read', 'customers:write', 'conversations:read', 'conversations:write', 'billing:read', 'status:read'],
};

export function can(ctx: Ctx, permission: Permission): boolean {
  const a = ctx.actor;
  switch (a.type) {
    case 'system': return true;
    case 'agent': return rolePermissions[a.role].includes(permission);
    case 'apiKey': return a.scopes.includes(permission) || a.scopes.includes('*');
    default: return false;
  }
}

/** First line of every verb: may this actor do this here? */
export function authorize(ctx: Ctx, permission: Permission): void {
  if (!can(ctx, permission)) throw new AppError('forbidden', `Missing permission ${permission}`);
}

/**
 * What reading a kind of fact needs, by its family (the part of `invoice.issued` before the dot):
 * timeline entries and realtime events alike. A kind of no family here is for callers who may
 * read all three (an agent, a `*` key): a new kind never reaches a narrow key by accident. A domain
 * that adds a family of facts adds it here.
 */
export const readFamilies: Record<string, Permission> = {
  customer: 'customers:read', identity: 'customers:read',
  conversation: 'conversations:read', message: 'conversations:read',
  invoice: 'billing:read', payment: 'billing:read', plan: 'billing:read', subscription: 'billing:read', usage: 'billing:read', service_area: 'billing:read',
};
const allReads: Permission[] = ['customers:read', 'conversations:read', 'billing:read'];

/** Whether this actor may read facts of this kind (`message.received`, `invoice.paid` …). */
export function mayRead(ctx: Ctx, kind: string): boolean {
  const p = readFamilies[kind.slice(0, kind.indexOf('.'))];
  return p ? can(ctx, p) : allReads.every((x) => can(ctx, x));
}

/** Whether this actor may read every kind (no filtering needed). */
export const mayReadAll = (ctx: Ctx): boolean => allReads.every((x) => can(ctx, x));
