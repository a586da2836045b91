import type { HealthcareService, Location } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { distanceKm, findServices, languageCode, needCategories, SDOH_CATEGORY_SYSTEM } from './find-services.js';

describe('distanceKm (haversine)', () => {
  it.each([
    // One degree of latitude is about 111.2 km on the mean sphere.
    [{ latitude: 0, longitude: 0 }, { latitude: 1, longitude: 0 }, 111.2],
    [{ latitude: 42.3601, longitude: -71.0589 }, { latitude: 42.3601, longitude: -71.0589 }, 0],
    // Boston to New York City, about 306 km great-circle.
    [{ latitude: 42.3601, longitude: -71.0589 }, { latitude: 40.7128, longitude: -74.006 }, 306.1],
  ])('%j to %j is %f km', (a, b, km) => {
    expect(distanceKm(a, b)).toBeCloseTo(km, 0);
  });
});

it.each([
  ['food', ['food-insecurity']],
  ['Housing', ['housing-instability', 'inadequate-housing']],
  ['utility-insecurity', ['utility-insecurity']],
])('need %s means %j', (need, codes) => {
  expect(needCategories(need)).toEqual(codes);
});

it.each([
  ['Spanish', 'es'],
  ['es-MX', 'es'],
  ['vi', 'vi'],
])('language %s is %s', (name, code) => {
  expect(languageCode(name)).toBe(code);
});

describe('findServices: food, in Spanish, near home', () => {
  const service = (id: string, need: string, languages: string[], locations: string[]): HealthcareService => ({
    resourceType: 'HealthcareService',
    id,
    name: id,
    category: [{ coding: [{ system: SDOH_CATEGORY_SYSTEM, code: need }] }],
    communication: languages.map((code) => ({ coding: [{ system: 'urn:ietf:bcp:47', code }] })),
    location: locations.map((l) => ({ reference: `Location/${l}` })),
  });
  const location = (id: string, latitude: number, longitude: number): [string, Location] => [
    `Location/${id}`,
    { resourceType: 'Location', id, position: { latitude, longitude } },
  ];
  const locations = new Map([
    location('near', 42.36, -71.06),
    location('mid', 42.4, -71.1),
    location('far', 42.9, -71.5),
  ]);
  const services = [
    service('pantry-es-far', 'food-insecurity', ['en', 'es'], ['far']),
    service('pantry-en-near', 'food-insecurity', ['en'], ['near']),
    service('pantry-es-two-sites', 'food-insecurity', ['es'], ['far', 'mid']),
    service('housing-es-near', 'housing-instability', ['es'], ['near']),
  ];
  const home = { latitude: 42.36, longitude: -71.06 };
  it('keeps the services for the need in the language, nearest first, by their nearest site', () => {
    const found = findServices(services, locations, {
      categories: ['food-insecurity'],
      language: 'Spanish',
      origin: home,
    });
    expect(found.map((f) => [f.service.id, f.distanceKm])).toEqual([
      ['pantry-es-two-sites', 5.5],
      ['pantry-es-far', 70],
    ]);
  });
  it('within a distance', () => {
    const found = findServices(services, locations, { categories: ['food-insecurity'], origin: home, withinKm: 10 });
    expect(found.map((f) => f.service.id)).toEqual(['pantry-en-near', 'pantry-es-two-sites']);
  });
});
