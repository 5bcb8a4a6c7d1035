import addressparser from 'nodemailer/lib/addressparser/index.js';
import { parseEmail, type MailAddress, type ParsedEmail } from './parse-email.ts';

/**
 * The lines mail clients put above a forwarded or quoted original: Gmail's
 * `---------- Forwarded message ---------`, Thunderbird's `-------- Forwarded Message --------`,
 * Outlook's `-----Original Message-----` (and its translations) or its rule of underscores,
 * Apple Mail's `Begin forwarded message:`, and their translations.
 */
const MARKER = new RegExp([
  String.raw`^-{2,}\s*(?:forwarded message|original message|message transféré|message d'origine|nachricht im original|ursprüngliche nachricht|weitergeleitete nachricht|doorgestuurd bericht|oorspronkelijk bericht|messaggio inoltrato|messaggio originale|mensaje reenviado|mensaje original|mensagem encaminhada|mensagem original|vidarebefordrat meddelande|ursprungligt meddelande|wiadomość przekazana|oryginalna wiadomość|переадресованное сообщение|исходное сообщение|転送されたメッセージ|转发的邮件|原始邮件)\s*-{2,}\s*$`,
  String.raw`^(?:begin forwarded message|début du message réexpédié|anfang der weitergeleiteten nachricht|inizio messaggio inoltrato|comienzo del mensaje reenviado)\s*:\s*$`,
  String.raw`^_{10,}\s*$`,
].join('|'), 'imu');
/** The header line naming the original sender, in the languages clients write it. */
const FROM_LINE = /^\s*\**\s*(?:from|von|de|van|da|od|från|fra|fra|lähettäjä|от|差出人|发件人|寄件者|보낸 사람)\s*\**\s*[:：]\s*\**\s*(.+?)\s*$/imu;

/** An address in a forwarded header line: `Name <a@b>`, `Name [mailto:a@b]` (Outlook), `"a@b" <a@b>`, `a@b`. */
function addressIn(line: string): MailAddress | null {
  const mailto = /^(.*?)\s*\[mailto:([^\]\s]+)\]/i.exec(line);
  const value = mailto ? `${mailto[1].replace(/^["']|["']$/g, '')} <${mailto[2]}>` : line;
  try {
    const [a] = (addressparser(value.replace(/\*/g, ''), { flatten: true }) as { address?: string; name?: string }[]).filter((x) => x.address && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(x.address));
    return a ? { address: a.address!.toLowerCase(), name: a.name && a.name.toLowerCase() !== a.address!.toLowerCase() ? a.name : undefined } : null;
  } catch { return null; }
}

/**
 * The original sender of a forwarded mail: the From of an attached `message/rfc822` (the
 * first), else the From line of the first forwarded block in the text (within the ten lines
 * after its marker, so an address quoted further down the body is never taken). Null when the
 * mail carries no forwarded original.
 */
export async function forwardedOriginal(mail: ParsedEmail): Promise<{ from: MailAddress; subject: string | null; how: 'attached' | 'inline' } | null> {
  for (const f of mail.files) {
    if (!/^message\/rfc822$/i.test(f.contentType)) continue;
    try {
      const inner = await parseEmail(f.content);
      if (inner.from) return { from: inner.from, subject: inner.subject, how: 'attached' };
    } catch { /* an unreadable attachment names nobody */ }
  }
  const text = mail.text.replace(/\r\n?/g, '\n');
  const marker = MARKER.exec(text);
  if (!marker) return null;
  const block = text.slice(marker.index + marker[0].length).replace(/^\n+/, '').split('\n').slice(0, 10).map((l) => l.replace(/^>\s?/, '')).join('\n');
  const line = FROM_LINE.exec(block);
  const from = line && addressIn(line[1]);
  if (!from) return null;
  const subject = /^\s*\**\s*(?:subject|betreff|objet|onderwerp|oggetto|asunto|assunto|ämne|emne|temat|тема|件名|主题|主旨)\s*\**\s*[:：]\s*\**\s*(.+?)\s*$/imu.exec(block)?.[1] ?? null;
  return { from, subject, how: 'inline' };
}
