// A small FHIR XML reader for test fixtures published only as XML (the HL7 FHIRPath Patch cases):
// parses the XML and converts it to FHIR JSON using the type model for arrays and primitive types.
import { getTypeModel } from '../../src/fhir/definitions/r4-definitions.js';

export interface XmlElement {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  /** The raw XML of the element's content (for xhtml). */
  raw: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#root', attrs: {}, children: [], raw: '' };
  const stack: { el: XmlElement; start: number }[] = [{ el: root, start: 0 }];
  const tag =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    if (m[0].startsWith('<!--') || m[0].startsWith('<?')) continue;
    const [all, closing, name = '', attrText = '', selfClosing] = m;
    const top = stack[stack.length - 1] as { el: XmlElement; start: number };
    if (closing) {
      top.el.raw = xml.slice(top.start, m.index);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
      attrs[a[1] as string] = decode(a[2] ?? a[3] ?? '');
    const el: XmlElement = { name, attrs, children: [], raw: '' };
    top.el.children.push(el);
    if (!selfClosing) stack.push({ el, start: m.index + all.length });
  }
  return root;
}

function convertValue(el: XmlElement, type: string): unknown {
  const model = getTypeModel();
  const info = model.getType(type);
  if (type === 'xhtml') {
    // Whitespace between tags is layout of the fixture file, not content.
    return `<div xmlns="http://www.w3.org/1999/xhtml">${el.raw.replace(/>\s+</g, '><').trim()}</div>`;
  }
  if (info?.kind === 'primitive' || type === 'string') {
    const v = el.attrs.value ?? '';
    if (type === 'boolean') return v === 'true';
    if (['integer', 'decimal', 'unsignedInt', 'positiveInt'].includes(type)) return Number(v);
    return v;
  }
  if (type === 'Resource') {
    const inner = el.children[0];
    return inner ? xmlToFhir(inner) : undefined;
  }
  return convertChildren(el, type, {});
}

function convertChildren(el: XmlElement, type: string, out: Record<string, unknown>): Record<string, unknown> {
  const info = getTypeModel().getType(type);
  if (el.attrs.url !== undefined && (type === 'Extension' || el.name === 'extension')) out.url = el.attrs.url;
  if (el.attrs.id !== undefined) out.id = el.attrs.id;
  for (const child of el.children) {
    const prop = info?.properties.get(child.name);
    if (!prop) throw new Error(`Unknown element ${child.name} in ${type}`);
    const value = convertValue(child, prop.type);
    if (prop.element.isArray) out[child.name] = [...((out[child.name] as unknown[]) ?? []), value];
    else out[child.name] = value;
  }
  return out;
}

/** Converts a FHIR XML resource element to FHIR JSON. */
export function xmlToFhir(el: XmlElement): Record<string, unknown> {
  return convertChildren(el, el.name, { resourceType: el.name });
}
