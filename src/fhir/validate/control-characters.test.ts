import { expect, it } from 'vitest';
import { hasControlCharacter } from './control-characters.js';

it.each([
  ['plain text', false],
  ['tab\there', false],
  ['line\nbreak\r\n', false],
  ['nul\u0000', true],
  ['bell\u0007', true],
  ['vertical\u000btab', true],
  ['unit separator\u001f', true],
  ['space is 32: ', false],
  ['delete \u007f is not below 32', false],
])('%j: %s', (text, expected) => {
  expect(hasControlCharacter(text)).toBe(expected);
});
