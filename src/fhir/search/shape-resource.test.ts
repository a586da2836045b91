import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { shapeResource } from './shape-resource.js';

const patient: Patient = {
  resourceType: 'Patient',
  id: '1',
  meta: { versionId: '2' },
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">x</div>' },
  name: [{ family: 'Doe' }],
  gender: 'female',
  photo: [{ contentType: 'image/png', data: 'AAAA' }],
  contact: [{ name: { family: 'Roe' } }],
};

describe('shapeResource', () => {
  it('_summary=true keeps summary elements only and marks the result subsetted', () => {
    const r = shapeResource(patient, 'true', undefined) as Patient;
    expect(r.name).toBeDefined();
    expect(r.gender).toBe('female');
    expect(r.photo).toBeUndefined();
    expect(r.contact).toBeUndefined();
    expect(r.meta?.tag?.[0]?.code).toBe('SUBSETTED');
  });

  it('_summary=data drops the narrative', () => {
    const r = shapeResource(patient, 'data', undefined) as Patient;
    expect(r.text).toBeUndefined();
    expect(r.photo).toBeDefined();
  });

  it('_elements keeps what was asked and the mandatory elements', () => {
    const r = shapeResource(patient, undefined, ['gender']) as Patient;
    expect(Object.keys(r).sort()).toEqual(['gender', 'id', 'meta', 'resourceType']);
  });

  it('returns the resource untouched when nothing is asked', () => {
    expect(shapeResource(patient, undefined, undefined)).toBe(patient);
  });
});
