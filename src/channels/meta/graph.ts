import type { ChannelRow } from '../../domains/channels/index.ts';
import { PermanentDeliveryError } from '../../domains/conversations/index.ts';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_VERSION = 'v21.0';
const TIMEOUT_MS = 20_000;

/** Graph error codes that mean "slow down / try again", even when the HTTP status is a 4xx. */
const transientCodes = new Set([1, 2, 4, 17, 32, 341, 613, 80007, 130429, 131000, 131016, 131056]);

/** `{graphBaseUrl}/{graphVersion}` for a channel: configurable so tests (and proxies) can stand in for Meta. */
export function graphRoot(channel: ChannelRow): string {
  const base = String(channel.config.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, '');
  const version = String(channel.config.graphVersion ?? DEFAULT_GRAPH_VERSION).replace(/^\/+|\/+$/g, '');
  return `${base}/${encodeURIComponent(version)}`;
}

export function requireSecret(channel: ChannelRow, name: string, label: string): string {
  const v = channel.secrets[name];
  if (!v) throw new PermanentDeliveryError(`${label} channel "${channel.name}" has no ${name} secret configured`);
  return v;
}

/**
 * POSTs JSON to the Graph API with the token as a bearer credential (kept out of URLs and logs).
 * A 4xx is the provider refusing this message: PermanentDeliveryError with its own words. 5xx,
 * 408/429, Graph's throttling codes, `is_transient` errors and network failures throw a plain
 * Error, so the job queue retries with backoff.
 */
export async function postGraph<T>(url: string, token: string, body: unknown, label: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
    });
  } catch (err) {
    throw new Error(`${label} unreachable: ${(err as Error).message}`);
  }
  const text = await res.text();
  let json: any = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: described below */ }
  if (res.ok) {
    if (!json || typeof json !== 'object') throw new Error(`${label} answered ${res.status} without a JSON body`);
    return json as T;
  }
  const e = json?.error ?? {};
  const details: string | undefined = e.error_data?.details;
  const reason = [e.message ?? (text.slice(0, 300) || res.statusText), details && !String(e.message ?? '').includes(details) ? details : null].filter(Boolean).join(' — ');
  const message = `${label} refused the message (HTTP ${res.status}${e.code !== undefined ? `, code ${e.code}` : ''}): ${reason}`;
  if (res.status >= 500 || res.status === 408 || res.status === 429 || e.is_transient === true || transientCodes.has(Number(e.code))) throw new Error(message);
  throw new PermanentDeliveryError(message);
}
