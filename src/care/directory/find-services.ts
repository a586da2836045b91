// The community resource directory's question, "who can help this patient with food, in Spanish,
// near home": HealthcareServices whose category is the need (the Gravity Project's SDOH category
// codes, as the assessment's concerns use them), that serve in the language (HealthcareService.
// communication, BCP-47), ranked by great-circle distance from the patient's home (the address's
// FHIR geolocation extension) to the service's Location.position. Pure.
import type { Address, HealthcareService, Location } from '@medplum/fhirtypes';

export const SDOH_CATEGORY_SYSTEM =
  'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes';
export const GEOLOCATION_URL = 'http://hl7.org/fhir/StructureDefinition/geolocation';

/** Everyday words for the needs, to the SDOH category codes they stand for. */
const NEED_WORDS: Readonly<Record<string, readonly string[]>> = {
  food: ['food-insecurity'],
  housing: ['housing-instability', 'inadequate-housing'],
  transportation: ['transportation-insecurity'],
  utilities: ['utility-insecurity'],
  safety: ['interpersonal-safety'],
};

/** English names of the languages the directory commonly lists, to their BCP-47 codes. */
const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  english: 'en',
  spanish: 'es',
  chinese: 'zh',
  vietnamese: 'vi',
  korean: 'ko',
  russian: 'ru',
  arabic: 'ar',
  french: 'fr',
  'haitian creole': 'ht',
  portuguese: 'pt',
  tagalog: 'tl',
  polish: 'pl',
};

export const LANGUAGE_DISPLAY: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(LANGUAGE_NAMES).map(([name, code]) => [code, name.replace(/\b\w/g, (c) => c.toUpperCase())]),
);

export function needCategories(need: string): string[] {
  const key = need.trim().toLowerCase();
  return [...(NEED_WORDS[key] ?? [key])];
}

export function languageCode(language: string): string {
  const key = language.trim().toLowerCase();
  return (LANGUAGE_NAMES[key] ?? key).split('-')[0] as string;
}

export interface Point {
  readonly latitude: number;
  readonly longitude: number;
}

/** Haversine distance in kilometres (mean Earth radius 6,371.0088 km, IUGG). */
export function distanceKm(a: Point, b: Point): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The coordinates of an address (its geolocation extension), if recorded. */
export function addressPoint(address: Address | undefined): Point | undefined {
  const geo = address?.extension?.find((e) => e.url === GEOLOCATION_URL);
  const latitude = geo?.extension?.find((e) => e.url === 'latitude')?.valueDecimal;
  const longitude = geo?.extension?.find((e) => e.url === 'longitude')?.valueDecimal;
  return latitude !== undefined && longitude !== undefined ? { latitude, longitude } : undefined;
}

export function servesNeed(service: HealthcareService, categories: readonly string[]): boolean {
  return (service.category ?? []).some((c) =>
    (c.coding ?? []).some((x) => x.system === SDOH_CATEGORY_SYSTEM && categories.includes(x.code ?? '')),
  );
}

export function servesLanguage(service: HealthcareService, language: string): boolean {
  const wanted = languageCode(language);
  return (service.communication ?? []).some((c) =>
    (c.coding ?? []).some((x) => x.code !== undefined && x.code.toLowerCase().split('-')[0] === wanted),
  );
}

export interface FoundService {
  readonly service: HealthcareService;
  readonly location: Location | undefined;
  /** From the origin to the nearest of the service's locations; undefined without coordinates. */
  readonly distanceKm: number | undefined;
}

export interface ServiceQuery {
  /** SDOH category codes; empty: any. */
  readonly categories: readonly string[];
  readonly language?: string | undefined;
  readonly origin?: Point | undefined;
  /** Only services within this distance of the origin. */
  readonly withinKm?: number | undefined;
}

export function findServices(
  services: readonly HealthcareService[],
  locations: ReadonlyMap<string, Location>,
  query: ServiceQuery,
): FoundService[] {
  const found: FoundService[] = [];
  for (const service of services) {
    if (service.active === false) continue;
    if (query.categories.length && !servesNeed(service, query.categories)) continue;
    if (query.language && !servesLanguage(service, query.language)) continue;
    let nearest: { location: Location | undefined; distance: number | undefined } = {
      location: locations.get(service.location?.[0]?.reference ?? ''),
      distance: undefined,
    };
    if (query.origin) {
      for (const ref of service.location ?? []) {
        const location = locations.get(ref.reference ?? '');
        const p = location?.position;
        if (!p) continue;
        const d = distanceKm(query.origin, p);
        if (nearest.distance === undefined || d < nearest.distance) nearest = { location, distance: d };
      }
    }
    if (query.withinKm !== undefined && (nearest.distance === undefined || nearest.distance > query.withinKm)) continue;
    found.push({
      service,
      location: nearest.location,
      distanceKm: nearest.distance === undefined ? undefined : Math.round(nearest.distance * 10) / 10,
    });
  }
  return found.sort(
    (a, b) =>
      (a.distanceKm ?? Number.POSITIVE_INFINITY) - (b.distanceKm ?? Number.POSITIVE_INFINITY) ||
      (a.service.name ?? '').localeCompare(b.service.name ?? ''),
  );
}
