import { analyse } from 'chardet';
// The MIME splitter mailparser itself is built on (same version): it rewrites a part's headers and passes every other byte through.
import { Splitter, Joiner } from '@zone-eu/mailsplit';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const isUtf8 = (b: Buffer) => { try { utf8.decode(b); return true; } catch { return false; } };
const norm = (c: string | false | undefined) => (c || '').toLowerCase().replace(/[^a-z0-9]/g, '');
/** Declarations that say nothing about 8-bit bytes, or that mail clients write without meaning it. */
const VAGUE = new Set(['', 'usascii', 'ascii', 'utf8', 'iso88591', 'latin1', 'windows1252', 'cp1252', 'iso885915']);
/** ISO-2022-JP's escape sequences (RFC 1468): JIS X 0208-1978/1983, JIS X 0201 Roman, ASCII. */
const JIS_ESCAPE = /\x1b\$[@B]|\x1b\(J/;
/** chardet names that libmime / iconv-lite decode. */
const DECODABLE = new Set(['windows-1250', 'windows-1251', 'windows-1253', 'windows-1254', 'windows-1255', 'windows-1256', 'iso-8859-2', 'iso-8859-5', 'iso-8859-7',
  'iso-8859-8', 'iso-8859-9', 'koi8-r', 'shift_jis', 'euc-jp', 'euc-kr', 'gb18030', 'big5']);

/** A text part's bytes without their transfer encoding. */
function contentBytes(body: Buffer, encoding: string | false): Buffer {
  if (encoding === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (encoding === 'quoted-printable') {
    return Buffer.from(body.toString('latin1').replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  }
  return body;
}

/**
 * The charset a text part's bytes are really in, when its declaration is missing or wrong; null
 * when the declaration stands. 7-bit text with ISO-2022-JP escapes is ISO-2022-JP; 8-bit text
 * that is valid UTF-8 is UTF-8 (Latin text hardly ever is); other 8-bit text is what chardet
 * finds with some confidence (Cyrillic, Greek, Shift_JIS …), else Windows-1252, the superset of
 * Latin-1 that every mail client falls back to.
 */
export function detectCharset(bytes: Buffer, declared: string | false | undefined): string | null {
  const d = norm(declared);
  if (!bytes.some((b) => b >= 0x80)) return JIS_ESCAPE.test(bytes.toString('latin1')) && d !== 'iso2022jp' ? 'iso-2022-jp' : null;
  if (!VAGUE.has(d)) return null;
  if (isUtf8(bytes)) return d === 'utf8' ? null : 'utf-8';
  if (d !== '' && d !== 'usascii' && d !== 'ascii' && d !== 'utf8') return null; // declared Latin and not UTF-8: it stands
  const best = analyse(bytes).find((c) => c.name !== 'UTF-8' && c.name !== 'ASCII');
  const name = best?.name.toLowerCase();
  if (best && best.confidence >= 30 && name && DECODABLE.has(name)) return name;
  return 'windows-1252';
}

/**
 * The raw message with every text part's charset declared as its bytes really are (see
 * detectCharset), so the parser decodes them instead of storing mojibake or U+FFFD. Parts whose
 * declaration stands, and every byte of every part, pass through unchanged; when nothing needed
 * changing the very same buffer is returned. The raw message kept in quarantine is the original.
 */
export async function repairCharsets(raw: Buffer): Promise<Buffer> {
  // Nothing to detect in 7-bit ASCII without escapes or encoded parts.
  if (!raw.some((b) => b >= 0x80 || b === 0x1b) && !/quoted-printable|base64/i.test(raw.toString('latin1'))) return raw;
  const chunks: any[] = [];
  const splitter: any = new Splitter();
  const done = new Promise<void>((resolve, reject) => { splitter.on('end', resolve); splitter.on('error', reject); });
  splitter.on('data', (c: any) => chunks.push(c));
  splitter.end(raw);
  await done;
  const bodies = new Map<any, Buffer[]>();
  for (const c of chunks) if (c.type === 'body' && c.node) (bodies.get(c.node) ?? bodies.set(c.node, []).get(c.node)!).push(c.value);
  let changed = false;
  for (const c of chunks) {
    if (c.type !== 'node' || c.multipart) continue;
    const type = String(c.contentType || 'text/plain');
    if (!/^text\/(plain|html|enriched)$/i.test(type) || /attachment/i.test(String(c.headers?.getFirst?.('content-disposition') ?? ''))) continue;
    const bytes = contentBytes(Buffer.concat(bodies.get(c) ?? []), c.encoding);
    const charset = detectCharset(bytes, c.charset);
    if (!charset) continue;
    if (!c.contentType) c.setContentType('text/plain');
    c.setCharset(charset);
    changed = true;
  }
  if (!changed) return raw;
  const joiner: any = new Joiner();
  const out: Buffer[] = [];
  const joined = new Promise<void>((resolve, reject) => { joiner.on('end', resolve); joiner.on('error', reject); });
  joiner.on('data', (b: Buffer) => out.push(b));
  for (const c of chunks) joiner.write(c);
  joiner.end();
  await joined;
  return Buffer.concat(out);
}
