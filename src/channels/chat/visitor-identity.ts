import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ChannelRow } from '../../domains/channels/index.ts';
import { normaliseIdentity } from '../../domains/customers/index.ts';
import { AppError } from '../../platform/errors.ts';
import type { ChatConfig } from './chat-config.ts';

/** The widget's first frame: who is chatting. */
export const HelloFrame = z.object({
  type: z.literal('hello'),
  /** The anonymous visitor's credential from an earlier visit (kept in the browser's localStorage). */
  visitorId: z.string().max(200).optional(),
  /** The business's id of a signed-in customer, and hex HMAC-SHA256(identitySecret, userId). */
  userId: z.string().min(1).max(500).optional(),
  userHash: z.string().max(200).optional(),
  name: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
});
export type Hello = z.infer<typeof HelloFrame>;

/** Who a socket speaks for once the hello was accepted. */
export type Visitor = {
  /** The identity its messages are ingested under. */
  identity: { kind: 'portal'; value: string };
  verified: boolean;
  /** For an anonymous visitor: the credential the widget keeps (only its hash is stored). */
  visitorId?: string;
  name?: string;
  /** A contact address for offline replies (never linked as an identity: see README). */
  email?: string;
};

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const VISITOR_ID = /^[0-9a-f]{40}$/;

/** A new anonymous visitor credential: 160 random bits. */
export const newVisitorId = () => randomBytes(20).toString('hex');

/** Intercom's identity verification: hex HMAC-SHA256 of the user id with the workspace's secret. */
export const userHashOf = (secret: string, userId: string) => createHmac('sha256', secret).update(userId, 'utf8').digest('hex');

function hashMatches(secret: string, userId: string, userHash: string | undefined): boolean {
  if (!userHash || !/^[0-9a-f]{64}$/i.test(userHash)) return false;
  return timingSafeEqual(Buffer.from(userHashOf(secret, userId), 'hex'), Buffer.from(userHash, 'hex'));
}

/**
 * The identity value of a verified customer id: `ext:<userId>`. Portal identities are stored in
 * lower case, so upper-case letters (and the escape character) are escaped as `~x` / `~~` to keep
 * `Ab` and `ab` apart; an id with other characters, or too long, is stored as `ext:~#<sha256>`.
 */
export function userIdentityValue(userId: string): string {
  if (/^[\x21-\x7e]+$/.test(userId)) {
    const escaped = userId.replace(/[~A-Z]/g, (c) => (c === '~' ? '~~' : `~${c.toLowerCase()}`));
    if (escaped.length <= 196) return `ext:${escaped}`;
  }
  return `ext:~#${sha256(userId)}`;
}

/** The identity value of an anonymous visitor: a hash of its credential, as sessions and API keys are stored. */
export const anonymousIdentityValue = (visitorId: string) => `anon:${sha256(visitorId)}`;

const cleanName = (s: string | undefined) => s?.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 200) || undefined;
function cleanEmail(s: string | undefined): string | undefined {
  if (!s) return undefined;
  try { return normaliseIdentity('email', s); } catch { return undefined; }
}

/**
 * Decides who a hello speaks for. With `secrets.identitySecret` set, a userId must come with its
 * userHash (wrong or missing: unauthenticated, nothing stored) and an anonymous visitor is refused
 * unless `config.allowAnonymous`. Without a secret a userId cannot be verified and is ignored: the
 * visitor is anonymous. An anonymous visitor keeps the well-formed visitorId it brings, else gets a new one.
 */
export function identifyVisitor(channel: ChannelRow, cfg: ChatConfig, hello: Hello): Visitor {
  const secret = channel.secrets.identitySecret || undefined;
  const name = cleanName(hello.name);
  const email = cleanEmail(hello.email);
  if (secret && hello.userId !== undefined) {
    if (!hashMatches(secret, hello.userId, hello.userHash)) throw new AppError('unauthenticated', 'userHash does not match userId');
    return { identity: { kind: 'portal', value: userIdentityValue(hello.userId) }, verified: true, name, email };
  }
  if (secret && !cfg.allowAnonymous) throw new AppError('unauthenticated', 'This chat is for signed-in customers: userId and userHash are required');
  const visitorId = hello.visitorId && VISITOR_ID.test(hello.visitorId) ? hello.visitorId : newVisitorId();
  return { identity: { kind: 'portal', value: anonymousIdentityValue(visitorId) }, verified: false, visitorId, name, email };
}
