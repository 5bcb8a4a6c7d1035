import { PermanentDeliveryError } from '../../domains/conversations/index.ts';

export type ProviderErrors = {
  /** The provider's own reason, read from its JSON answer; the answer's text when this gives none. */
  reasonOf: (body: any, status: number) => string | undefined;
  /** A refusal the provider marks as temporary although its status is another 4xx (Graph's throttling codes). */
  transient?: (body: any) => boolean;
  /** The words the agent and the job log read; default `<provider> answered <status>: <reason>`. */
  describe?: (status: number, reason: string, body: any) => string;
};

/**
 * One outbound call to a provider's API, with the delivery job's retry rules: a network error, a
 * timeout, 408, 429, 5xx or a refusal the provider calls transient throws a plain Error (the job
 * retries with backoff); any other 4xx throws PermanentDeliveryError carrying the provider's own
 * reason. Error messages never contain the URL (Telegram puts the bot token in it).
 */
export async function callProvider(
  provider: string, url: string, init: RequestInit, { reasonOf, transient, describe }: ProviderErrors, timeoutMs = 15_000,
): Promise<{ status: number; body: any }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    throw new Error(`${provider} unreachable: ${e.name === 'TimeoutError' ? `no answer in ${timeoutMs / 1000}s` : (e.cause?.code ?? e.message)}`);
  }
  const text = await res.text().catch(() => '');
  let body: any = null;
  try { body = text ? JSON.parse(text) : null; } catch { /* not JSON: the text is the reason */ }
  if (res.ok) return { status: res.status, body };
  const reason = (body && reasonOf(body, res.status)) || text.slice(0, 300) || res.statusText || 'no reason given';
  const message = describe ? describe(res.status, reason, body) : `${provider} answered ${res.status}: ${reason}`;
  if (res.status >= 500 || res.status === 408 || res.status === 429 || (body && transient?.(body))) throw new Error(message);
  throw new PermanentDeliveryError(message);
}
