/** HTML that is already escaped (or built from escaped parts); everything else is escaped on interpolation. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]);
}

function interpolate(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/** Tagged template: interpolated values are escaped unless they are SafeHtml (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i += 1) out += interpolate(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** A value usable in an id or fragment, whatever the interface or task name contains. */
export function anchorId(prefix: string, name: string): string {
  return `${prefix}-${name.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.codePointAt(0)?.toString(16)}`)}`;
}

/**
 * The palette, chosen for WCAG AA contrast on white (4.5:1 for text): every colour a test checks.
 * rx/tx only fill bars, which need 3:1 against the background.
 */
export const palette = {
  fg: '#1a1a1a',
  bg: '#ffffff',
  muted: '#4d4d4d',
  panel: '#f3f4f6',
  border: '#8c8c8c',
  link: '#0b57d0',
  ok: '#1b6e20',
  warning: '#8a4b00',
  failed: '#b00020',
  rx: '#1f6fb4',
  tx: '#c2410c',
} as const;

const css = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:${palette.fg};background:${palette.bg}}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
header{display:flex;flex-wrap:wrap;align-items:baseline;gap:.25rem 1.5rem;padding-top:.75rem;border-bottom:1px solid ${palette.border}}
header p{margin:0;font-size:1.4rem;font-weight:700}
nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:.5rem 0}
a{color:${palette.link}}
a[aria-current=page]{font-weight:700;text-decoration:none;color:${palette.fg}}
h1{font-size:1.5rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1.05rem}
.links{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:.75rem;list-style:none;padding:0}
.links a{display:block;padding:.75rem 1rem;border:1px solid ${palette.border};border-radius:.4rem;background:${palette.panel}}
.card{border:1px solid ${palette.border};border-radius:.4rem;padding:0 1rem 1rem;margin:1rem 0;background:${palette.bg}}
pre{background:${palette.panel};color:${palette.fg};padding:.75rem;overflow-x:auto;font-size:.85rem;border-radius:.3rem}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid ${palette.border};vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.state-ok{color:${palette.ok}}.state-warning{color:${palette.warning}}
.state-failed,.state-unavailable{color:${palette.failed};font-weight:700}
tr.state-failed td,tr.state-unavailable td{color:${palette.failed}}
.note{border-left:.3rem solid ${palette.warning};background:${palette.panel};padding:.5rem .75rem;margin:.75rem 0}
.muted{color:${palette.muted}}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1rem}
figure{margin:0}figcaption{font-weight:600}
svg{width:100%;height:auto;display:block}
.legend span{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 .8em;vertical-align:middle}
footer{border-top:1px solid ${palette.border};margin-top:2rem;padding:.75rem 1rem;color:${palette.muted};font-size:.9rem}
@media (max-width:40rem){body{font-size:15px}header p{font-size:1.2rem}
.tasks thead{position:absolute;left:-9999px}
.tasks tr{display:block;padding:.4rem 0;border-bottom:1px solid ${palette.border}}
.tasks td{display:block;border:0;padding:.1rem .25rem;text-align:left}
.tasks td:not(:first-child)::before{content:attr(data-label) ": ";color:${palette.muted}}}
`
  .trim()
  .replace(/\n/g, '');

export interface PageFrame {
  brand: string;
  /** Heading after the brand (the host name by default). */
  title: string;
  /** The page's own name, e.g. "Traffic"; undefined on the landing page. */
  sub?: string;
  /** Relative path from this page to the site root: "./" or "../". */
  prefix: string;
  generated: Date;
  /** The navigation entries (href relative to the site root). */
  nav: { href: string; text: string }[];
  /** The href (relative to the root) of this page, marked as current in the navigation. */
  self: string;
}

/** The full HTML document of one page; works without JavaScript. */
export function renderPage(frame: PageFrame, body: SafeHtml): string {
  const title = [frame.brand, frame.title, frame.sub].filter(Boolean).join(' · ');
  const nav = frame.nav.map(
    (link) =>
      html`<li><a href="${frame.prefix}${link.href}"${link.href === frame.self ? new SafeHtml(' aria-current="page"') : ''}>${link.text}</a></li>`,
  );
  const stamp = frame.generated.toISOString().replace(/\.\d+Z$/, 'Z');
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${new SafeHtml(css)}</style>
</head>
<body>
<header><p>${frame.brand} <a href="${frame.prefix}index.html">${frame.title}</a></p>
<nav aria-label="Site"><ul>${nav}</ul></nav></header>
<main>
<h1>${frame.sub ?? 'Status'}</h1>
${body}
</main>
<footer>Generated by photon at <time datetime="${stamp}">${stamp}</time>.</footer>
</body>
</html>
`.value;
}
