// A compact model of the FHIR R4 types, built once from the official StructureDefinitions: for each
// type (and each BackboneElement, named by its path) the elements a JSON object may carry, their
// cardinality, types and required bindings. The validator, the search-index extractors and the
// capability statement all read this one model.
import type { ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';

export type TypeKind = 'primitive' | 'complex' | 'resource' | 'backbone';

export interface ElementInfo {
  /** JSON property name; for a choice element the stem without `[x]` (`value` for `value[x]`). */
  readonly name: string;
  /** Path as in the definition, e.g. `Observation.value[x]`. */
  readonly path: string;
  readonly min: number;
  /** `Infinity` for `*`. */
  readonly max: number;
  /** Repeats in JSON (base cardinality above 1). */
  readonly isArray: boolean;
  /** Type codes: primitive or complex type names, `Resource`, or a backbone type named by its path. */
  readonly types: readonly string[];
  readonly isChoice: boolean;
  /** Part of the summary view (`_summary=true`, ElementDefinition.isSummary). */
  readonly isSummary: boolean;
  /** Canonical URL (without version) of a required binding's ValueSet. */
  readonly requiredValueSet?: string;
}

/** One JSON property a type accepts, resolved to its element and (for choices) its concrete type. */
export interface PropertyInfo {
  readonly element: ElementInfo;
  readonly type: string;
}

export interface TypeInfo {
  readonly name: string;
  readonly kind: TypeKind;
  readonly abstract: boolean;
  readonly elements: ReadonlyMap<string, ElementInfo>;
  /** Every JSON key the type accepts (`valueQuantity`, `birthDate`, ...) to its element and type. */
  readonly properties: ReadonlyMap<string, PropertyInfo>;
  /** For primitives: the value pattern given in the definition (anchored). */
  readonly pattern?: RegExp;
}

export interface TypeModel {
  readonly types: ReadonlyMap<string, TypeInfo>;
  readonly resourceTypes: readonly string[];
  getType(name: string): TypeInfo | undefined;
  isResourceType(name: string): boolean;
}

const FHIR_TYPE_EXT = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const REGEX_EXT = 'http://hl7.org/fhir/StructureDefinition/regex';

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** FHIRPath system types (`http://hl7.org/fhirpath/System.String`) appear on ids and primitive values. */
function typeCode(t: NonNullable<ElementDefinition['type']>[number]): string {
  const fhirType = t.extension?.find((e) => e.url === FHIR_TYPE_EXT)?.valueUrl;
  if (fhirType) return fhirType;
  const code = t.code ?? 'Element';
  if (code.startsWith('http://hl7.org/fhirpath/System.')) {
    return code.slice('http://hl7.org/fhirpath/System.'.length).toLowerCase();
  }
  return code;
}

function parseMax(max: string | undefined): number {
  if (max === undefined || max === '*') return Number.POSITIVE_INFINITY;
  return Number.parseInt(max, 10);
}

interface MutableType {
  name: string;
  kind: TypeKind;
  abstract: boolean;
  elements: Map<string, ElementInfo>;
  properties: Map<string, PropertyInfo>;
  pattern?: RegExp;
}

function newType(name: string, kind: TypeKind, abstract: boolean): MutableType {
  return { name, kind, abstract, elements: new Map(), properties: new Map() };
}

function addElement(type: MutableType, element: ElementInfo): void {
  type.elements.set(element.name, element);
  if (element.isChoice) {
    for (const t of element.types) {
      type.properties.set(element.name + capitalize(t), { element, type: t });
    }
  } else {
    type.properties.set(element.name, { element, type: element.types[0] ?? 'Element' });
  }
}

function buildFromDefinition(sd: StructureDefinition, out: Map<string, MutableType>): void {
  const name = sd.type ?? sd.id ?? '';
  const kind: TypeKind = sd.kind === 'resource' ? 'resource' : sd.kind === 'primitive-type' ? 'primitive' : 'complex';
  const root = newType(name, kind, sd.abstract === true);
  out.set(name, root);
  const elements = sd.snapshot?.element ?? [];
  // Paths that are themselves a (backbone) type: the root and every element with children.
  const owners = new Map<string, MutableType>([[name, root]]);
  const contentRefs: { owner: MutableType; def: ElementDefinition; path: string }[] = [];
  const parentPaths = new Set(elements.map((e) => (e.path ?? '').slice(0, (e.path ?? '').lastIndexOf('.'))));
  for (const def of elements) {
    const path = def.path ?? '';
    const dot = path.lastIndexOf('.');
    if (dot < 0) continue;
    const parentPath = path.slice(0, dot);
    const owner = owners.get(parentPath);
    if (!owner) continue;
    const rawName = path.slice(dot + 1);
    const isChoice = rawName.endsWith('[x]');
    const elementName = isChoice ? rawName.slice(0, -3) : rawName;
    if (kind === 'primitive' && elementName === 'value') {
      const regex = def.type?.[0]?.extension?.find((e) => e.url === REGEX_EXT)?.valueString;
      if (regex) root.pattern = new RegExp(`^(?:${regex})$`, 's');
      continue;
    }
    if (def.contentReference) {
      contentRefs.push({ owner, def, path });
      continue;
    }
    const codes = (def.type ?? []).map(typeCode);
    const isBackbone = codes.length === 1 && (codes[0] === 'BackboneElement' || codes[0] === 'Element');
    const hasChildren = parentPaths.has(path);
    let types = codes;
    if (isBackbone && hasChildren) {
      owners.set(path, newType(path, 'backbone', false));
      out.set(path, owners.get(path) as MutableType);
      types = [path];
    }
    const binding = def.binding;
    const baseMax = parseMax(def.base?.max ?? def.max);
    addElement(owner, {
      name: elementName,
      path,
      min: def.min ?? 0,
      max: parseMax(def.max),
      isArray: baseMax > 1,
      types,
      isChoice,
      isSummary: def.isSummary === true,
      ...(binding?.strength === 'required' && binding.valueSet
        ? { requiredValueSet: binding.valueSet.split('|')[0] as string }
        : {}),
    });
  }
  for (const { owner, def, path } of contentRefs) {
    const target = (def.contentReference ?? '').replace(/^#/, '');
    const targetName = target.includes('.') ? target : `${name}.${target}`;
    const baseMax = parseMax(def.base?.max ?? def.max);
    addElement(owner, {
      name: path.slice(path.lastIndexOf('.') + 1),
      path,
      min: def.min ?? 0,
      max: parseMax(def.max),
      isArray: baseMax > 1,
      types: [targetName],
      isChoice: false,
      isSummary: def.isSummary === true,
    });
  }
}

export function buildTypeModel(definitions: readonly StructureDefinition[]): TypeModel {
  const types = new Map<string, MutableType>();
  for (const sd of definitions) buildFromDefinition(sd, types);
  return modelOf(types);
}

function modelOf(types: Map<string, MutableType>): TypeModel {
  const resourceTypes = [...types.values()]
    .filter((t) => t.kind === 'resource' && !t.abstract)
    .map((t) => t.name)
    .sort();
  const resourceSet = new Set(resourceTypes);
  return {
    types,
    resourceTypes,
    getType: (name) => types.get(name),
    isResourceType: (name) => resourceSet.has(name),
  };
}

/** The JSON form of the model, as written to src/fhir/generated/ by scripts/generate-r4-definitions.ts. */
export interface SerializedType {
  n: string;
  k: TypeKind;
  a?: 1;
  p?: string;
  /** name, path, min, max (-1 for *), isArray, types, isChoice, isSummary, required value set */
  e: [string, string, number, number, 0 | 1, string[], 0 | 1, 0 | 1, string?][];
}

export function serializeTypeModel(m: TypeModel): SerializedType[] {
  return [...m.types.values()].map((t) => ({
    n: t.name,
    k: t.kind,
    ...(t.abstract ? { a: 1 as const } : {}),
    ...(t.pattern ? { p: t.pattern.source } : {}),
    e: [...t.elements.values()].map((e) => {
      const row: SerializedType['e'][number] = [
        e.name,
        e.path,
        e.min,
        Number.isFinite(e.max) ? e.max : -1,
        e.isArray ? 1 : 0,
        [...e.types],
        e.isChoice ? 1 : 0,
        e.isSummary ? 1 : 0,
      ];
      if (e.requiredValueSet) row.push(e.requiredValueSet);
      return row;
    }),
  }));
}

export function deserializeTypeModel(rows: readonly SerializedType[]): TypeModel {
  const types = new Map<string, MutableType>();
  for (const row of rows) {
    const t = newType(row.n, row.k, row.a === 1);
    if (row.p) t.pattern = new RegExp(row.p, 's');
    for (const [name, path, min, max, isArray, typeCodes, isChoice, isSummary, vs] of row.e) {
      addElement(t, {
        name,
        path,
        min,
        max: max < 0 ? Number.POSITIVE_INFINITY : max,
        isArray: isArray === 1,
        types: typeCodes,
        isChoice: isChoice === 1,
        isSummary: isSummary === 1,
        ...(vs ? { requiredValueSet: vs } : {}),
      });
    }
    types.set(t.name, t);
  }
  return modelOf(types);
}

export const PRIMITIVE_NUMBER_TYPES: ReadonlySet<string> = new Set([
  'integer',
  'unsignedInt',
  'positiveInt',
  'decimal',
  'integer64',
]);
