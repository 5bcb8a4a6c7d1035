import { CsvError } from './errors.ts';
import type { LabelledExample } from './types.ts';

type Row = { fields: string[]; line: number };

/**
 * RFC 4180 records: quoted fields with "" escapes, commas and CR/LF inside quotes, CRLF or LF
 * (or lone CR) line endings, a leading UTF-8 BOM. Each row carries the physical line it starts on.
 */
function* records(text: string): Generator<Row> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quotedOpenLine = 0;
    for (;;) {
      if (i >= n) { fields.push(field); break; }
      const ch = text[i];
      if (quotedOpenLine) {
        if (ch === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          quotedOpenLine = 0; i++; continue;
        }
        if (ch === '\r') { line++; field += '\n'; i += text[i + 1] === '\n' ? 2 : 1; continue; }
        if (ch === '\n') line++;
        field += ch; i++;
        continue;
      }
      if (ch === '"' && field.trim() === '') { field = ''; quotedOpenLine = line; i++; continue; }
      if (ch === ',') { fields.push(field); field = ''; i++; continue; }
      if (ch === '\r' || ch === '\n') {
        i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        fields.push(field);
        break;
      }
      field += ch; i++;
    }
    if (quotedOpenLine) throw new CsvError(`line ${quotedOpenLine}: a quoted field opened here is never closed (unterminated quote)`, quotedOpenLine);
    yield { fields, line: start };
  }
}

/** Rows that are wholly empty (a blank line) are skipped. */
const isBlank = (r: Row) => r.fields.length === 1 && r.fields[0].trim() === '';

/**
 * Reads a labelled CSV: a header row, then rows whose first column is the text and second the
 * label (extra columns ignored). Throws CsvError naming the line for a row without a label,
 * an unterminated quote, or a file with no data rows.
 */
export function readLabelledCsv(text: string): LabelledExample[] {
  const out: LabelledExample[] = [];
  let header = false;
  for (const row of records(text)) {
    if (isBlank(row)) continue;
    if (!header) { header = true; continue; }
    if (row.fields.length < 2) throw new CsvError(`line ${row.line}: no label (second column) in this row`, row.line);
    const label = row.fields[1].trim();
    if (!label) throw new CsvError(`line ${row.line}: empty label (second column) in this row`, row.line);
    out.push({ text: row.fields[0], label });
  }
  if (!header) throw new CsvError('the CSV file is empty: expected a header row (text,label) and labelled rows');
  if (!out.length) throw new CsvError('the CSV file has a header but no labelled rows');
  return out;
}
