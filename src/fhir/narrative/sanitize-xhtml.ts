// Narrative (Narrative.div) that users write is sanitized on the way in: only the XHTML the FHIR
// narrative rules allow (R4 §2.4.0.1: basic formatting, tables, lists, links and images, no scripts,
// forms, frames, objects, event handlers or styles that run code), and link and image URLs limited
// to safe schemes. The one place that uses htmlparser2.
import { Parser } from 'htmlparser2';

const ALLOWED_ELEMENTS = new Set([
  'a',
  'abbr',
  'acronym',
  'b',
  'big',
  'blockquote',
  'br',
  'caption',
  'cite',
  'code',
  'col',
  'colgroup',
  'dd',
  'dfn',
  'div',
  'dl',
  'dt',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'li',
  'ol',
  'p',
  'pre',
  'q',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'tt',
  'ul',
  'var',
]);

/** Elements whose content goes too (not just their tags). */
const DROP_WITH_CONTENT = new Set([
  'script',
  'style',
  'svg',
  'math',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'template',
  'noscript',
  'head',
  'title',
  'textarea',
  'select',
  'form',
]);

const GLOBAL_ATTRIBUTES = new Set(['class', 'id', 'lang', 'xml:lang', 'dir', 'title', 'style']);
const ELEMENT_ATTRIBUTES: Record<string, ReadonlySet<string>> = {
  a: new Set(['href', 'name']),
  img: new Set(['src', 'alt', 'width', 'height']),
  td: new Set(['colspan', 'rowspan', 'headers', 'align', 'valign']),
  th: new Set(['colspan', 'rowspan', 'headers', 'scope', 'align', 'valign']),
  col: new Set(['span', 'width']),
  colgroup: new Set(['span', 'width']),
  table: new Set(['summary', 'width', 'border', 'cellpadding', 'cellspacing']),
  blockquote: new Set(['cite']),
  q: new Set(['cite']),
  div: new Set(['xmlns']),
};

const VOID_ELEMENTS = new Set(['br', 'hr', 'img', 'col']);

/** Link targets: web and mail links, telephone numbers, anchors and relative references. */
export function isSafeUrl(value: string, forImage = false): boolean {
  // Browsers ignore control characters and whitespace inside a scheme: "java\tscript:" runs.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes.
  const compact = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(compact)?.[1];
  if (scheme === undefined) return true;
  if (['http', 'https', 'mailto', 'tel', 'urn'].includes(scheme)) return true;
  return forImage && scheme === 'data' && /^data:image\/(png|gif|jpeg|webp);/.test(compact);
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

function safeStyle(style: string): boolean {
  const compact = style.replace(/[\s\\]/g, '').toLowerCase();
  return !/(url\(|expression\(|javascript:|behavior:|-moz-binding|@import)/.test(compact);
}

/** Returns the sanitized narrative, always a single `<div xmlns="http://www.w3.org/1999/xhtml">`. */
export function sanitizeXhtml(input: string): string {
  const out: string[] = [];
  const open: string[] = [];
  let dropDepth = 0;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const tag = name.toLowerCase();
        if (dropDepth > 0 || DROP_WITH_CONTENT.has(tag)) {
          if (!VOID_ELEMENTS.has(tag)) dropDepth++;
          return;
        }
        if (!ALLOWED_ELEMENTS.has(tag)) return;
        const allowed = ELEMENT_ATTRIBUTES[tag];
        const attrs: string[] = [];
        for (const [rawName, value] of Object.entries(attributes)) {
          const attr = rawName.toLowerCase();
          if (attr.startsWith('on')) continue;
          if (!GLOBAL_ATTRIBUTES.has(attr) && !allowed?.has(attr)) continue;
          if ((attr === 'href' || attr === 'cite') && !isSafeUrl(value)) continue;
          if (attr === 'src' && !isSafeUrl(value, true)) continue;
          if (attr === 'style' && !safeStyle(value)) continue;
          attrs.push(` ${attr}="${escapeAttribute(value)}"`);
        }
        if (tag === 'a' && !attrs.some((a) => a.startsWith(' href') || a.startsWith(' name'))) {
          // A link whose target was removed stays as its text.
          open.push('');
          return;
        }
        out.push(`<${tag}${attrs.join('')}${VOID_ELEMENTS.has(tag) ? '/>' : '>'}`);
        if (!VOID_ELEMENTS.has(tag)) open.push(tag);
      },
      ontext(text) {
        if (dropDepth === 0) out.push(escapeText(text));
      },
      onclosetag(name) {
        const tag = name.toLowerCase();
        if (dropDepth > 0) {
          if (!VOID_ELEMENTS.has(tag)) dropDepth--;
          return;
        }
        if (VOID_ELEMENTS.has(tag) || !ALLOWED_ELEMENTS.has(tag)) return;
        const i = open.lastIndexOf(tag) >= 0 ? open.lastIndexOf(tag) : open.lastIndexOf('');
        if (i < 0) return;
        while (open.length > i) {
          const t = open.pop() as string;
          if (t) out.push(`</${t}>`);
        }
      },
    },
    { decodeEntities: true, recognizeSelfClosing: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(input);
  parser.end();
  while (open.length) {
    const t = open.pop() as string;
    if (t) out.push(`</${t}>`);
  }
  let html = out.join('');
  // The narrative is one div in the XHTML namespace (R4 §2.4.0.1, txt-1 and txt-3).
  const single = /^<div( [^>]*)?>([\s\S]*)<\/div>$/.exec(html);
  if (!single || (html.match(/<div[ >]/g) ?? []).length !== (html.match(/<\/div>/g) ?? []).length) {
    html = `<div>${html}</div>`;
  }
  return html.replace(/^<div(?: xmlns="[^"]*")?/, '<div xmlns="http://www.w3.org/1999/xhtml"');
}

/** Sanitizes every narrative in a resource (its own and its contained resources') in place. */
export function sanitizeNarratives(resource: unknown): void {
  if (typeof resource !== 'object' || resource === null) return;
  const r = resource as { text?: { div?: unknown }; contained?: unknown[] };
  if (r.text && typeof r.text.div === 'string') r.text.div = sanitizeXhtml(r.text.div);
  if (Array.isArray(r.contained)) for (const c of r.contained) sanitizeNarratives(c);
}
