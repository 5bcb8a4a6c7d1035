import type { ReactNode } from 'react';

/**
 * A small, safe markdown subset for transparency statements: paragraphs, `#`–`###` headings, `-`
 * lists, **bold**, *italic*, `code` and [links](https://…). It builds React elements, never HTML
 * strings, so nothing an admin types can inject markup; only http(s) and mailto links are kept.
 */
export function Markdown({ source }: { source: string }) {
  const blocks: ReactNode[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (para.length) blocks.push(<p key={blocks.length}>{inline(para.join(' '))}</p>);
    if (list.length) blocks.push(<ul key={blocks.length}>{list.map((l, i) => <li key={i}>{inline(l)}</li>)}</ul>);
    para = []; list = [];
  };
  for (const line of lines) {
    const h = /^(#{1,3})\s+(.*)$/.exec(line);
    const li = /^\s*[-*]\s+(.*)$/.exec(line);
    if (!line.trim()) flush();
    else if (h) { flush(); const Tag = (`h${h[1].length + 2}`) as 'h3' | 'h4' | 'h5'; blocks.push(<Tag key={blocks.length}>{inline(h[2])}</Tag>); }
    else if (li) { if (para.length) { const p = para; para = []; blocks.push(<p key={blocks.length}>{inline(p.join(' '))}</p>); } list.push(li[1]); }
    else { if (list.length) flush(); para.push(line.trim()); }
  }
  flush();
  return <>{blocks}</>;
}

const token = /(\*\*[^*]+\*\*|\*[^*]+\*|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/g;

function inline(text: string): ReactNode[] {
  return text.split(token).filter(Boolean).map((part, i) => {
    if (part.startsWith('**') && part.endsWith('**')) return <strong key={i}>{part.slice(2, -2)}</strong>;
    if (part.startsWith('`') && part.endsWith('`')) return <code key={i}>{part.slice(1, -1)}</code>;
    const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part);
    if (link) return /^(https?:|mailto:)/i.test(link[2]) ? <a key={i} href={link[2]} rel="nofollow noopener">{link[1]}</a> : <span key={i}>{link[1]}</span>;
    if (part.startsWith('*') && part.endsWith('*') && part.length > 2) return <em key={i}>{part.slice(1, -1)}</em>;
    return <span key={i}>{part}</span>;
  });
}
