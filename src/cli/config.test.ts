import { describe, expect, it } from 'vitest';
import { readConfig } from './config.js';

describe('the clinic time zone setting', () => {
  it.each([
    [undefined, 'America/New_York'], // the documented default
    ['', 'America/New_York'],
    ['America/Chicago', 'America/Chicago'],
    ['UTC', 'UTC'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
  ])('CARELOOP_TIMEZONE=%s is %s', (value, zone) => {
    expect(readConfig(value === undefined ? {} : { CARELOOP_TIMEZONE: value }).timeZone).toBe(zone);
  });
  it.each(['EST5', 'Eastern', 'America/Springfield', '+05:00'])('refuses %s at start', (value) => {
    expect(() => readConfig({ CARELOOP_TIMEZONE: value })).toThrow(/CARELOOP_TIMEZONE must be an IANA time zone/);
  });
  it('reminders go out at an hour of the clinic day', () => {
    expect(readConfig({}).reminderHour).toBe(8);
    expect(readConfig({ CARELOOP_REMINDER_HOUR: '7' }).reminderHour).toBe(7);
    expect(() => readConfig({ CARELOOP_REMINDER_HOUR: '24' })).toThrow(/0 to 23/);
  });
});

describe('the feed organization setting', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['Organization/demo-clinic', 'Organization/demo-clinic'],
  ])('CARELOOP_FEED_ORGANIZATION=%s is %s', (value, organization) => {
    expect(readConfig(value === undefined ? {} : { CARELOOP_FEED_ORGANIZATION: value }).feedOrganization).toBe(
      organization,
    );
  });
  it.each(['demo-clinic', 'Practitioner/x', 'Organization/a b'])('refuses %s at start', (value) => {
    expect(() => readConfig({ CARELOOP_FEED_ORGANIZATION: value })).toThrow(/CARELOOP_FEED_ORGANIZATION must be/);
  });
});
