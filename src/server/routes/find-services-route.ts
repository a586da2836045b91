// HealthcareService/$find-services: the community resource directory, "who can help this patient
// with food, in Spanish, near home" (src/care/directory/find-services.ts). `need` (food, housing,
// transportation, utilities, safety, or an SDOH category code; repeat or comma-separate), `language`
// (a name or BCP-47 code), `patient` (distance from their home; with no need given, the patient's
// open social needs from assessment), `near` (latitude|longitude instead of a patient), `within-km`.
import type { Bundle, BundleEntry, Condition, HealthcareService, Location, Patient } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import {
  addressPoint,
  findServices,
  needCategories,
  type Point,
  SDOH_CATEGORY_SYSTEM,
} from '../../care/directory/find-services.js';
import { badRequest } from '../../fhir/outcome.js';
import { readByIds, searchEvery } from '../../store/read-every-page.js';
import { baseUrlOf, FHIR_JSON } from '../http/fhir-reply.js';
import { queryPairs, type RouteDeps } from './resource-routes.js';

export const SERVICE_DISTANCE_URL = 'http://careloop.org/fhir/StructureDefinition/distance-km';
const KNOWN = new Set(['need', 'language', 'patient', 'near', 'within-km', '_count']);

function parseNear(value: string): Point {
  const [lat, lon] = value.split('|').map(Number);
  if (lat === undefined || lon === undefined || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90)
    throw badRequest(`near must be latitude|longitude, not '${value}'`, 'near');
  return { latitude: lat, longitude: lon };
}

/** The SDOH categories of the patient's active health concerns (raised by assessment). */
async function openSocialNeeds(req: { fhir: Parameters<typeof searchEvery>[0] }, patient: string): Promise<string[]> {
  const conditions = await searchEvery<Condition>(req.fhir, 'Condition', [
    ['patient', patient],
    ['clinical-status', 'active'],
  ]);
  const codes = conditions.flatMap((c) =>
    (c.category ?? []).flatMap((cat) =>
      (cat.coding ?? []).filter((x) => x.system === SDOH_CATEGORY_SYSTEM).map((x) => x.code ?? ''),
    ),
  );
  return [...new Set(codes.filter(Boolean))];
}

export function registerFindServicesRoute(app: FastifyInstance, deps: RouteDeps): void {
  app.get('/fhir/HealthcareService/$find-services', async (req, reply) => {
    const pairs = queryPairs(req);
    for (const [k] of pairs) if (!KNOWN.has(k)) throw badRequest(`Unknown parameter '${k}' for $find-services`, k);
    const get = (k: string) => pairs.filter(([key]) => key === k).map(([, v]) => v);
    const patientId = get('patient')[0]?.replace(/^Patient\//, '');
    const patient = patientId
      ? (JSON.parse((await req.fhir.read('Patient', patientId)).json as string) as Patient)
      : undefined;
    const needs = get('need')
      .flatMap((n) => n.split(','))
      .filter(Boolean);
    const categories = needs.length
      ? needs.flatMap(needCategories)
      : patientId
        ? await openSocialNeeds(req, patientId)
        : [];
    const near = get('near')[0];
    const origin = near
      ? parseNear(near)
      : addressPoint(patient?.address?.find((a) => a.use === 'home') ?? patient?.address?.[0]);
    const within = get('within-km')[0];
    const withinKm = within === undefined ? undefined : Number(within);
    if (withinKm !== undefined && !(withinKm > 0)) throw badRequest('within-km must be a positive number', 'within-km');
    if (withinKm !== undefined && !origin)
      throw badRequest('within-km needs a place to measure from: near=, or a patient whose address has coordinates');
    const services = await searchEvery<HealthcareService>(req.fhir, 'HealthcareService', [['active', 'true']]);
    const locationIds = [
      ...new Set(services.flatMap((s) => (s.location ?? []).map((l) => l.reference?.split('/')[1] ?? ''))),
    ];
    const locations = await readByIds<Location>(req.fhir, 'Location', locationIds);
    const found = findServices(services, new Map(locations.map((l) => [`Location/${l.id}`, l])), {
      categories,
      language: get('language')[0],
      origin,
      withinKm,
    }).slice(0, Math.min(Number(get('_count')[0] ?? 50) || 50, 200));
    const base = baseUrlOf(req, deps.baseUrl);
    const included = new Map<string, Location>();
    for (const f of found) if (f.location?.id) included.set(f.location.id, f.location);
    const entry: BundleEntry[] = [
      ...found.map((f) => ({
        fullUrl: `${base}/HealthcareService/${f.service.id}`,
        resource: f.service,
        search: {
          mode: 'match' as const,
          ...(f.distanceKm !== undefined
            ? { extension: [{ url: SERVICE_DISTANCE_URL, valueDecimal: f.distanceKm }] }
            : {}),
        },
      })),
      ...[...included.values()].map((l) => ({
        fullUrl: `${base}/Location/${l.id}`,
        resource: l,
        search: { mode: 'include' as const },
      })),
    ];
    const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', total: found.length, entry };
    return reply.type(FHIR_JSON).send(JSON.stringify(bundle));
  });
}
