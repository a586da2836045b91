import { describe, expect, it } from 'vitest';
import { newResourceId } from './new-resource-id.js';

describe('newResourceId', () => {
  it('makes RFC 9562 version 7 UUIDs carrying the time', () => {
    const id = newResourceId(Date.parse('2026-11-25T12:00:00.000Z'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse('2026-11-25T12:00:00.000Z'));
  });

  it('increases strictly, even within one millisecond and if the clock steps back', () => {
    const ids = [newResourceId(5000), ...Array.from({ length: 5000 }, () => newResourceId(5000)), newResourceId(4000)];
    for (let i = 1; i < ids.length; i++) expect((ids[i] as string) > (ids[i - 1] as string)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
