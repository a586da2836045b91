// A stored C-CDA document as words a person reads: each section's title and its narrative (the
// human-readable part every C-CDA section carries, CDA R2 §4.3.5), taken as text from the XML —
// never inserted as markup, so nothing in a document from elsewhere runs in the workspace.
export interface ReadableSection {
  /** Its place in the document (titles repeat). */
  readonly key: string;
  readonly title: string;
  readonly text: string;
}

const CDA = 'urn:hl7-org:v3';

/** The text of a narrative block: table rows and paragraphs on their own lines, cells apart. */
function textOf(node: Node): string {
  const lines: string[] = [];
  let line = '';
  const walk = (n: Node): void => {
    if (n.nodeType === 3) {
      line += n.textContent ?? '';
      return;
    }
    const name = (n as Element).localName ?? '';
    const block = ['paragraph', 'tr', 'item', 'br', 'caption', 'list', 'table', 'thead', 'tbody'].includes(name);
    if (block && line.trim()) {
      lines.push(line);
      line = '';
    }
    for (const c of Array.from(n.childNodes)) walk(c);
    if (name === 'td' || name === 'th') line += '\t';
    if (block && line.trim()) {
      lines.push(line);
      line = '';
    }
  };
  walk(node);
  if (line.trim()) lines.push(line);
  return lines
    .map((l) => l.replace(/[ \t\r\n]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

export function readableSections(xml: string): ReadableSection[] {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return [];
  return Array.from(doc.getElementsByTagNameNS(CDA, 'section')).flatMap((section, index) => {
    const own = (name: string) => Array.from(section.children).find((c) => c.localName === name);
    const title = own('title')?.textContent?.trim() ?? '';
    const narrative = own('text');
    const text = narrative ? textOf(narrative) : '';
    return title || text ? [{ key: `section-${index}`, title: title || 'Untitled section', text }] : [];
  });
}
