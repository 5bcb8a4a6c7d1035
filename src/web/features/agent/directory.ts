import { useEffect, useState } from 'react';
import { api, type Agent, type Customer, type List } from '../../api.ts';
import { shortId } from '../../format.ts';

// Small per-tab caches for names shown beside conversations: customers by id, the agent list.
const customers = new Map<string, Promise<Customer>>();
const agentLists = new Map<string, Promise<Agent[]>>();

export function fetchCustomer(id: string, fresh = false): Promise<Customer> {
  let p = fresh ? undefined : customers.get(id);
  if (!p) {
    p = api<Customer>(`/customers/${id}`);
    customers.set(id, p);
    p.catch(() => customers.delete(id));
  }
  return p;
}

/** The customer, once loaded (undefined until then, or if it cannot be read). */
export function useCustomer(id: string | null | undefined): Customer | undefined {
  const [customer, setCustomer] = useState<Customer | undefined>(undefined);
  useEffect(() => {
    setCustomer(undefined);
    if (!id) return;
    let alive = true;
    fetchCustomer(id).then((c) => { if (alive) setCustomer(c); }, () => {});
    return () => { alive = false; };
  }, [id]);
  return customer;
}

/** Everyone on the team, by id (for "who wrote this"). Keyed by workspace so a new sign-in starts fresh. */
export function useAgents(workspaceId: string): Map<string, Agent> {
  const [map, setMap] = useState(new Map<string, Agent>());
  useEffect(() => {
    let p = agentLists.get(workspaceId);
    if (!p) {
      p = api<List<Agent>>('/agents').then((r) => r.data);
      agentLists.set(workspaceId, p);
      p.catch(() => agentLists.delete(workspaceId));
    }
    let alive = true;
    p.then((list) => { if (alive) setMap(new Map(list.map((a) => [a.id, a]))); }, () => {});
    return () => { alive = false; };
  }, [workspaceId]);
  return map;
}

/** What to call a customer: their name, else how they reached us, else a short id. */
export function customerName(c: Customer | undefined, id: string): string {
  if (!c) return `Customer ${shortId(id)}`;
  return c.name || c.email || c.phone || c.identities[0]?.value || `Customer ${shortId(id)}`;
}
