import type { ChannelRow } from '../../domains/channels/index.ts';
import { PermanentDeliveryError } from '../../domains/conversations/index.ts';
import { callProvider, type ProviderErrors } from '../shared/provider-http.ts';

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

/** How Graph refuses: `{ error: { message, code, is_transient, error_data: { details } } }`. */
const graphErrors = (label: string): ProviderErrors => ({
  reasonOf: (b) => {
    const e = b?.error ?? {};
    const details: string | undefined = e.error_data?.details;
    return [e.message, details && !String(e.message ?? '').includes(details) ? details : null].filter(Boolean).join(' — ') || undefined;
  },
  transient: (b) => b?.error?.is_transient === true || transientCodes.has(Number(b?.error?.code)),
  describe: (status, reason, b) => `${label} refused the message (HTTP ${status}${b?.error?.code !== undefined ? `, code ${b.error.code}` : ''}): ${reason}`,
});

/**
 * POSTs JSON to the Graph API with the token as a bearer credential (kept out of URLs and logs),
 * under the shared retry rules (callProvider) plus Graph's own: its throttling codes and
 * `is_transient` errors are retried although their status is a 4xx.
 */
export async function postGraph<T>(url: string, token: string, body: unknown, label: string): Promise<T> {
  const answer = await callProvider(label, url, {
    method: 'POST', body: JSON.stringify(body),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
  }, graphErrors(label), TIMEOUT_MS);
  if (!answer.body || typeof answer.body !== 'object') throw new Error(`${label} answered ${answer.status} without a JSON body`);
  return answer.body as T;
}
