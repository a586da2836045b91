import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import {
  applyPreferences,
  CONTACT_METHOD_URL,
  CONTACT_TIMES_URL,
  readPreferences,
  WHAT_MATTERS_URL,
} from './patient-preferences.js';

const base: Patient = {
  resourceType: 'Patient',
  id: 'p',
  extension: [{ url: 'http://example.org/other', valueString: 'kept' }],
  communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'en' }] }, preferred: true }],
};

describe('patient preferences', () => {
  it('reads what is set, and empty strings for what is not', () => {
    expect(readPreferences(base)).toEqual({ language: 'en', contactMethod: '', contactTimes: '', whatMattersMost: '' });
    expect(readPreferences({ resourceType: 'Patient' })).toEqual({
      language: '',
      contactMethod: '',
      contactTimes: '',
      whatMattersMost: '',
    });
  });

  it('writes and reads back, keeping other extensions and languages', () => {
    const prefs = {
      language: 'es',
      contactMethod: 'sms',
      contactTimes: 'Mornings',
      whatMattersMost: ' Staying in my own home ',
    };
    const next = applyPreferences(base, prefs);
    expect(readPreferences(next)).toEqual({ ...prefs, whatMattersMost: 'Staying in my own home' });
    expect(next.extension?.map((e) => e.url)).toEqual([
      'http://example.org/other',
      CONTACT_METHOD_URL,
      CONTACT_TIMES_URL,
      WHAT_MATTERS_URL,
    ]);
    expect(next.communication?.map((c) => [c.language.coding?.[0]?.code, c.preferred])).toEqual([
      ['es', true],
      ['en', false],
    ]);
  });

  it('clears a preference when it is emptied', () => {
    const set = applyPreferences(base, {
      language: 'en',
      contactMethod: 'phone',
      contactTimes: 'Evenings',
      whatMattersMost: 'x',
    });
    const cleared = applyPreferences(set, { language: 'en', contactMethod: '', contactTimes: '', whatMattersMost: '' });
    expect(cleared.extension?.map((e) => e.url)).toEqual(['http://example.org/other']);
  });
});
