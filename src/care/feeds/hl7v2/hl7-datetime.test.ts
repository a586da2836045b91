import { describe, expect, it } from 'vitest';
import { hl7Date, hl7Instant } from './hl7-datetime.js';

describe('hl7Date', () => {
  it.each([
    ['19880818', '1988-08-18'],
    ['198808181126+0215', '1988-08-18'],
    ['198808', '1988-08'],
    ['1988', '1988'],
    ['19881318', undefined],
    ['', undefined],
    ['tomorrow', undefined],
  ])('%j -> %j', (value, expected) => expect(hl7Date(value)).toBe(expected));
});

describe('hl7Instant', () => {
  it.each([
    // With an offset: exactly that instant.
    ['20150208113419+0110', '2015-02-08T10:24:19.000Z'],
    ['20050110045502+0700', '2005-01-09T21:55:02.000Z'],
    ['20150208113419.1234-0500', '2015-02-08T16:34:19.000Z'],
    // Without: the clinic's zone (New York, winter -5 h; summer -4 h).
    ['201502081134', '2015-02-08T16:34:00.000Z'],
    ['20150708113419', '2015-07-08T15:34:19.000Z'],
    // Not a time of day: no instant.
    ['20150208', undefined],
    ['20152508113419', undefined],
    ['20150208256000', undefined],
    ['', undefined],
  ])('%j -> %j', (value, expected) => expect(hl7Instant(value, 'America/New_York')).toBe(expected));
});
