import { formatMoney } from '../billing/index.ts';
import type { Ctx } from '../../platform/ctx.ts';
import { getMyInvoice } from './list-my-invoices.ts';

type Explained = Awaited<ReturnType<typeof getMyInvoice>>;

const csvCell = (v: string | number) => {
  const s = String(v);
  // A leading = + - @ would be a formula in a spreadsheet: quote it behind an apostrophe.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The invoice as CSV: one row per line with its plain-language explanation, then the total. */
export function invoiceCsv(inv: Explained): string {
  const rows: (string | number)[][] = [['invoice', 'position', 'kind', 'description', 'amount', 'currency', 'explanation']];
  for (const l of inv.lines) rows.push([inv.number, l.position, l.kind, l.description, (l.amountCents / 100).toFixed(2), inv.currency, l.explanation]);
  rows.push([inv.number, '', 'total', `${inv.periodStart} to ${inv.periodEnd}`, (inv.totalCents / 100).toFixed(2), inv.currency, inv.summary]);
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** PDF strings take ( ) \ escaped, and only Latin-1 in the standard fonts: anything else becomes '?'. */
const pdfText = (s: string) => s.replace(/[—–]/g, '-').replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/−/g, '-').replace(/€/g, 'EUR ')
  .replace(/[^\x20-\x7e\xa0-\xff]/g, '?').replace(/([()\\])/g, '\\$1');

function wrap(s: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of s.split(/\s+/)) {
    if ((line + ' ' + w).trim().length > width) { if (line) out.push(line); line = w; } else line = (line + ' ' + w).trim();
  }
  if (line) out.push(line);
  return out;
}

/** The invoice as a one-page PDF (A4, Helvetica), written by hand: no dependency for a table of text. */
export function invoicePdf(inv: Explained, company: string): Buffer {
  const m = (c: number) => formatMoney(c, inv.currency);
  const text: [number, number, number, string][] = []; // x, y, size, text
  let y = 800;
  const put = (x: number, size: number, s: string) => text.push([x, y, size, s]);
  put(50, 18, `${company} - invoice ${inv.number}`); y -= 24;
  put(50, 10, `Period ${inv.periodStart} to ${inv.periodEnd} · issued ${inv.issuedAt.slice(0, 10)} · due ${inv.dueAt.slice(0, 10)} · ${inv.status}`); y -= 28;
  for (const l of inv.lines) {
    put(50, 11, l.description.slice(0, 70)); put(470, 11, m(l.amountCents)); y -= 14;
    for (const w of wrap(l.explanation, 95)) { put(60, 8.5, w); y -= 11; }
    y -= 6;
  }
  y -= 6; put(50, 12, 'Total'); put(470, 12, m(inv.totalCents)); y -= 16;
  put(50, 10, `Paid ${m(inv.paidCents)}`); y -= 24;
  for (const w of wrap(inv.summary, 95)) { put(50, 9, w); y -= 12; }
  const stream = text.map(([x, yy, size, s]) => `BT /F1 ${size} Tf ${x} ${yy} Td (${pdfText(s)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => { offsets.push(Buffer.byteLength(body, 'latin1')); body += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** My invoice as a document: PDF or CSV. */
export async function getMyInvoiceDocument({ ctx, id, format, company }: { ctx: Ctx; id: string; format: 'pdf' | 'csv'; company: string }) {
  const inv = await getMyInvoice({ ctx, id });
  return format === 'pdf'
    ? { body: invoicePdf(inv, company), contentType: 'application/pdf', filename: `${inv.number}.pdf` }
    : { body: Buffer.from(invoiceCsv(inv), 'utf8'), contentType: 'text/csv; charset=utf-8', filename: `${inv.number}.csv` };
}
