// Builds Careloop's drug knowledge base (content/drug-knowledge/knowledge.json) from the public
// files in ../shared/data/drug-knowledge (see its SOURCES.md) and the curated files beside the
// output. Run `npm run build:drug-knowledge` after either changes; the output is committed, so
// neither the server nor CI needs the source files. Every interaction and class keeps its source.
//
//   node scripts/build-drug-knowledge.mjs [source folder]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const from = process.argv[2] ?? join(process.cwd(), '..', 'shared', 'data', 'drug-knowledge');
const out = join(process.cwd(), 'content', 'drug-knowledge');
const read = (name) => readFileSync(join(from, name), 'utf8').replace(/^\uFEFF/, '');
const lines = (text) => text.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
const norm = (name) => name.trim().toLowerCase().replace(/\s+/g, ' ');

const SOURCES = {
  'onc-high':
    'ONC high-priority drug-drug interactions (Phansalkar S et al. JAMIA 2012;19:735-743), mapped to ingredients; dbmi-pitt/public-PDDI-analysis ONC_High_Priority_Mapped.csv',
  'onc-non-interruptive':
    'ONC non-interruptive drug-drug interactions (Phansalkar S et al. JAMIA 2013;20:489-493), by class and ingredient; dbmi-pitt/public-PDDI-analysis ONC_Non_Interuptive_List_Mapped_Formatted.csv',
  worldvista:
    'ANSM (French national formulary) interaction thesaurus in English, WorldVista annotation for 65 drugs; dbmi-pitt/public-PDDI-analysis worldvista-combined-r01-65.tsv and worldvista-drug-class-vs-drug-class-r01-65.tsv',
  ndfrt:
    'NDF-RT (US Department of Veterans Affairs) ingredient names with RxNorm CUIs; dbmi-pitt/public-PDDI-analysis NDFRT_RxNorm_mapping.csv',
};

/** ANSM levels to FHIR DetectedIssue severity (contre-indication, association déconseillée, précaution d'emploi, à prendre en compte). */
const ANSM = {
  contraindication: ['high', 3],
  'not recommended': ['moderate', 2],
  'precaution for use': ['moderate', 2],
  'take into account': ['low', 1],
};

// Ingredients: NDF-RT rows that name an ingredient (not a VA product, no strengths, no brackets).
const ingredients = new Map();
for (const line of lines(read('NDFRT_RxNorm_mapping.csv')).slice(1)) {
  const [rxcui, , name] = line.split(';');
  if (!name || name.includes('[') || /\d/.test(name)) continue;
  const key = norm(name);
  if (!ingredients.has(key)) ingredients.set(key, rxcui);
}

// International names (INN) to the US names RxNorm and US medication lists use (curated/names.json):
// every fact is keyed by the US name, so that "meperidine" meets the ONC list's "pethidine".
const curatedNames = JSON.parse(readFileSync(join(out, 'curated', 'names.json'), 'utf8'));
SOURCES['curated-names'] = curatedNames.source;
const usName = (name) => curatedNames.usNames[norm(name)] ?? norm(name);

const interactions = new Map();
function addInteraction(a, b, severity, rank, description, source) {
  const [x, y] = [usName(a), usName(b)].sort();
  if (!x || !y || x === y) return;
  const key = `${x}|${y}`;
  const current = interactions.get(key);
  if (!current || current.rank < rank) interactions.set(key, { a: x, b: y, severity, rank, description, source });
}

const classes = new Map();
function addMember(className, member, source) {
  const name = className
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/^NSAIDS?$/i, 'NSAIDs');
  if (!name || !member) return;
  const entry = classes.get(name) ?? { source, members: new Set() };
  entry.members.add(norm(member));
  classes.set(name, entry);
}

// ONC high priority: always the highest (rank 4), whatever another source says.
for (const line of lines(read('ONC_High_Priority_Mapped.csv'))) {
  const [a, , b] = line.split('$');
  if (a && b) addInteraction(a, b, 'high', 4, 'ONC high-priority interaction: must always alert', 'onc-high');
}

// ONC non-interruptive: index, class 1, drug 1, DrugBank id, 2 URLs, class 2, drug 2, ...
for (const line of lines(read('ONC_Non_Interuptive_List_Mapped_Formatted.csv'))) {
  const f = line.split(',');
  const [class1, drug1, class2, drug2] = [f[1], f[2], f[6], f[7]];
  if (!drug1 || !drug2) continue;
  addMember(class1, drug1, 'onc-non-interruptive');
  addMember(class2, drug2, 'onc-non-interruptive');
  addInteraction(
    drug1,
    drug2,
    'low',
    1,
    `ONC non-interruptive: ${class1.trim()} with ${class2.trim()}`,
    'onc-non-interruptive',
  );
}

// WorldVista, ingredient pairs: id, name 1, rxcui 1, name 2, rxcui 2, description, severity, comment.
for (const line of lines(read('worldvista-combined-r01-65.tsv')).slice(1)) {
  const f = line.split('\t');
  const level = ANSM[(f[6] ?? '').trim().toLowerCase()];
  if (!level || !f[1] || !f[3]) continue;
  addInteraction(f[1], f[3], level[0], level[1], (f[5] ?? '').trim(), 'worldvista');
}

// WorldVista, class against class expanded to ingredients (a CSV with quoted fields).
function parseCsvLine(line) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}
for (const line of lines(read('worldvista-drug-class-vs-drug-class-r01-65.tsv')).slice(1)) {
  const f = parseCsvLine(line);
  const level = ANSM[(f[12] ?? '').trim().toLowerCase()];
  const [drug1, class1, drug2, class2] = [f[14], f[18], f[20], f[24]];
  if (!drug1 || !drug2) continue;
  if (class1) addMember(class1, drug1, 'worldvista');
  if (class2) addMember(class2, drug2, 'worldvista');
  if (level) addInteraction(drug1, drug2, level[0], level[1], (f[11] ?? '').trim(), 'worldvista');
}

// VA NDF-RT interactions (ndfrt-interactions.csv): Critical and Significant, below the ONC list.
// The VA files digoxin's interactions under DIGITALIS (SOURCES.md, caveat 1): they hold for the
// glycosides it covers, digoxin and digitoxin.
SOURCES['ndfrt-interactions'] =
  'US Department of Veterans Affairs NDF-RT 2014.07.07 drug-drug interactions ("[VA Drug Interaction]" concepts), as extracted by dbmi-pitt/public-PDDI-analysis (ndfrt-interactions.csv); public domain';
const VA_SEVERITY = { Critical: ['high', 3], Significant: ['moderate', 2] };
const DIGITALIS = ['digoxin', 'digitoxin'];
for (const f of lines(read('ndfrt-interactions.csv'))
  .slice(1)
  .map((l) => parseCsvLine(l))) {
  const [a, , b, , severity, nui] = f;
  const level = VA_SEVERITY[severity];
  if (!level || !a || !b) continue;
  const description = `VA NDF-RT 2014: ${severity.toLowerCase()} interaction (NUI ${nui.replace(/\|/g, ', ')})`;
  for (const x of a === 'digitalis' ? DIGITALIS : [a])
    for (const y of b === 'digitalis' ? DIGITALIS : [b])
      addInteraction(x, y, level[0], level[1], description, 'ndfrt-interactions');
}

// FDA labels of cardiovascular drugs (fda-cv-label-interactions.csv): a sentence of the label that
// states a clinical effect or advice, between two named ingredients. Labels grade no severity:
// moderate, unless the sentence says contraindicated or life-threatening. Statements that an
// interaction is absent are not interactions.
SOURCES['fda-labels'] =
  'FDA-approved labeling of 173 cardiovascular drugs (DailyMed SPL, 2013-2014 versions), interaction sentences annotated by the US National Library of Medicine, as extracted by dbmi-pitt/public-PDDI-analysis (fda-cv-label-interactions.csv); cite the DailyMed set id';
const NO_INTERACTION =
  /\b(no (clinically )?(significant|relevant|meaningful)|not (clinically )?significant|did not (alter|affect|change|significantly)|no (effect|change|interaction)|not affect)/i;
for (const f of lines(read('fda-cv-label-interactions.csv'))
  .slice(1)
  .map((l) => parseCsvLine(l))) {
  const [a, rxA, b, rxB, type, , severityText, , , setId, label, , , sentence] = f;
  if (!a || !b || !rxA || !rxB || !['Specific_Interaction', 'Caution_Interaction'].includes(type)) continue;
  if (!sentence || NO_INTERACTION.test(sentence)) continue;
  const grave = /contraindicat|life-threatening|fatal/i.test(`${severityText} ${sentence}`);
  const text = sentence.length > 280 ? `${sentence.slice(0, 277)}...` : sentence;
  addInteraction(
    a,
    b,
    grave ? 'high' : 'moderate',
    grave ? 3 : 2,
    `FDA label ${label} (DailyMed set id ${setId}): ${text}`,
    'fda-labels',
  );
}

const curatedClasses = JSON.parse(readFileSync(join(out, 'curated', 'classes.json'), 'utf8'));
SOURCES['curated-classes'] = curatedClasses.source;
for (const [name, c] of Object.entries(curatedClasses.classes))
  for (const m of c.members) addMember(name, m, 'curated-classes');

const knowledge = {
  generatedBy: 'scripts/build-drug-knowledge.mjs',
  sources: SOURCES,
  ingredients: [...ingredients].sort(([a], [b]) => a.localeCompare(b)),
  // A class named for an effect (drugs that prolong QT, lower the seizure threshold, sedate...)
  // groups drugs for interactions, not for therapeutic duplication.
  classes: Object.fromEntries(
    [...classes]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, c]) => [
        name,
        {
          source: c.source,
          kind: /induc|sedative|lower the|atropinic|mixed adrenergic|torsades/i.test(name) ? 'effect' : 'therapeutic',
          members: [...c.members].sort(),
        },
      ]),
  ),
  interactions: [...interactions.values()]
    .sort((x, y) => x.a.localeCompare(y.a) || x.b.localeCompare(y.b))
    .map((i) => [i.a, i.b, i.severity, i.description, i.source]),
};
writeFileSync(join(out, 'knowledge.json'), `${JSON.stringify(knowledge)}\n`);
console.log(
  `drug knowledge: ${knowledge.ingredients.length} ingredients, ${Object.keys(knowledge.classes).length} classes, ${knowledge.interactions.length} interactions`,
);
