/** Splits `local+tag@domain` into its base address and tag (lower case). */
export function splitAddress(address: string): { base: string; tag: string | null; domain: string } {
  const a = address.trim().toLowerCase().replace(/^<|>$/g, '');
  const at = a.lastIndexOf('@');
  if (at < 1) return { base: a, tag: null, domain: '' };
  const local = a.slice(0, at);
  const domain = a.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus < 1) return { base: a, tag: null, domain };
  return { base: `${local.slice(0, plus)}@${domain}`, tag: local.slice(plus + 1) || null, domain };
}

/** The address a reply to conversation #number goes to: `support+c-<number>@domain`. */
export function replyTokenAddress(channelAddress: string, number: number): string {
  const { base, domain } = splitAddress(channelAddress);
  return `${base.slice(0, base.length - domain.length - 1)}+c-${number}@${domain}`;
}

/** The conversation a reply-token tag names: `c-<number>` or `c-<uuid>`; null for any other tag. */
export function parseReplyToken(tag: string | null): { number: number } | { id: string } | null {
  if (!tag) return null;
  const m = /^c-(?:(\d{1,9})|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))$/i.exec(tag);
  if (!m) return null;
  return m[1] ? { number: Number(m[1]) } : { id: m[2].toLowerCase() };
}

/** Does this address reach the channel's mailbox (exactly, or plus-addressed)? */
export function reachesMailbox(address: string, channelAddress: string): boolean {
  const a = address.trim().toLowerCase();
  const c = channelAddress.trim().toLowerCase();
  return a === c || splitAddress(a).base === c;
}
