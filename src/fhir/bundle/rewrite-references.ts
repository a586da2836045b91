// Rewrites the links inside resources when a transaction assigns ids (R4 §3.1.0.11.2): every
// reference, uri, url, oid or uuid value equal to a mapped fullUrl, and href/src attributes in the
// narrative, become the server's `Type/id`.

const HREF = /(\s(?:href|src)=")([^"]*)(")/g;

/** Replaces mapped links in place; returns how many values changed. */
export function rewriteReferencesInPlace(value: unknown, map: ReadonlyMap<string, string>): number {
  if (map.size === 0) return 0;
  let changes = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v = node[i];
        if (typeof v === 'string') {
          const m = map.get(v);
          if (m !== undefined) {
            node[i] = m;
            changes++;
          }
        } else if (typeof v === 'object' && v !== null) visit(v);
      }
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const obj = node as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const v = obj[key];
      if (typeof v === 'string') {
        const m = map.get(v);
        if (m !== undefined) {
          obj[key] = m;
          changes++;
        } else if (key === 'div' && v.includes('=')) {
          obj[key] = v.replace(HREF, (all, a: string, link: string, b: string) => {
            const target = map.get(link);
            if (target === undefined) return all;
            changes++;
            return `${a}${target}${b}`;
          });
        }
      } else if (typeof v === 'object' && v !== null) {
        visit(v);
      }
    }
  };
  visit(value);
  return changes;
}

/** Every `reference` string in a resource (for finding conditional references such as `Patient?identifier=x`). */
export function collectReferences(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) collectReferences(v, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.add(v);
      else if (typeof v === 'object' && v !== null) collectReferences(v, out);
    }
  }
  return out;
}
