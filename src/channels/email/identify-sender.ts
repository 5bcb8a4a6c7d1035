import type { EmailConfig } from './config.ts';
import type { MailAddress, ParsedEmail } from './parse-email.ts';
import { isNoReply } from './automated-mail.ts';
import { reachesMailbox, splitAddress } from './addresses.ts';

/** Who an inbound mail is from, for Candor: the address its customer is found by, and which header said so. */
export type MailSender = { address: MailAddress; via: 'from' | 'reply-to' | 'sender' | 'return-path' | 'envelope'; relay?: string };

const valid = (a: MailAddress | null | undefined): a is MailAddress => !!a && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a.address) && a.address.length <= 320;

/** Is this address one of the workspace's relays (listed as itself or as `@domain`), or a no-reply address of the mailbox's own domain? */
export function isRelay(address: string, cfg: Pick<EmailConfig, 'address' | 'relaySenders'> | null): boolean {
  const a = address.toLowerCase();
  const domain = splitAddress(a).domain;
  if ((cfg?.relaySenders ?? []).some((r) => (r.startsWith('@') ? domain === r.slice(1) || domain.endsWith(`.${r.slice(1)}`) : r === a))) return true;
  return !!cfg && domain === splitAddress(cfg.address).domain && isNoReply(a);
}

/**
 * The person an inbound mail is from. A web form or shop relays other people's messages from its
 * own address: for a relay (config.relaySenders, or a no-reply address of the mailbox's own
 * domain) the person is the Reply-To, so two submissions by two people are two customers.
 * Without a usable From, the Reply-To, Sender and Return-Path (then the SMTP envelope sender)
 * stand in, in that order. Null when none of them gives an address: the mail is quarantined.
 * Our own mailbox is never the person.
 */
export function identifySender(mail: ParsedEmail, cfg: Pick<EmailConfig, 'address' | 'relaySenders'> | null, envelopeFrom?: string | null): MailSender | null {
  const ours = (a: MailAddress) => !!cfg && reachesMailbox(a.address, cfg.address);
  if (valid(mail.from) && isRelay(mail.from.address, cfg)) {
    if (valid(mail.replyTo) && !ours(mail.replyTo)) return { address: mail.replyTo, via: 'reply-to', relay: mail.from.address };
    return { address: mail.from, via: 'from' };
  }
  if (valid(mail.from)) return { address: mail.from, via: 'from' };
  if (valid(mail.replyTo) && !ours(mail.replyTo)) return { address: mail.replyTo, via: 'reply-to' };
  if (valid(mail.sender) && !ours(mail.sender)) return { address: mail.sender, via: 'sender' };
  if (valid(mail.returnPath) && !ours(mail.returnPath)) return { address: mail.returnPath, via: 'return-path' };
  const env = envelopeFrom ? { address: envelopeFrom.toLowerCase() } : null;
  if (valid(env) && !ours(env)) return { address: env, via: 'envelope' };
  return null;
}
