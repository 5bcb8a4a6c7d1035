import type { z } from '@hono/zod-openapi';
import type { ReasonSchema, ReasonModelSchema } from '../../../domains/understanding/understanding.schemas.ts';
import { useApi } from '../../use-api.ts';
import type { List } from '../../api.ts';

export type Reason = z.infer<typeof ReasonSchema>;
export type ReasonModel = z.infer<typeof ReasonModelSchema>;

/** The workspace's contact reasons, keyed for lookups by key. */
export function useReasons() {
  const loaded = useApi<List<Reason>>('/reasons');
  const byKey = new Map((loaded.data?.data ?? []).map((r) => [r.key, r]));
  return { reasons: loaded.data?.data ?? [], byKey, loaded };
}

/** A reason's name for people: its taxonomy name, 'Unknown', or the key itself for one since archived. */
export function reasonName(key: string | null | undefined, byKey: Map<string, Reason>): string {
  if (!key) return 'Not yet read';
  if (key === 'unknown') return 'Unknown';
  return byKey.get(key)?.name ?? key.replaceAll('_', ' ');
}

export const percent = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);
