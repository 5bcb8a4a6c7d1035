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
