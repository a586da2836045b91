import { describe, expect, it } from 'vitest';
import { takeFrames } from './mllp-transport.js';

const frame = (text: string) => `\x0b${text}\x1c\r`;
const take = (raw: string) => {
  const { frames, rest } = takeFrames(Buffer.from(raw, 'latin1'));
  return { frames: frames.map((f) => f.toString('latin1')), rest: rest.toString('latin1') };
};

describe('takeFrames (MLLP: <VT> message <FS><CR>)', () => {
  it.each([
    ['one frame', frame('MSH|1'), ['MSH|1'], ''],
    ['two in one chunk', frame('MSH|1') + frame('MSH|2'), ['MSH|1', 'MSH|2'], ''],
    ['a frame and the start of the next', `${frame('MSH|1')}\x0bMSH|2`, ['MSH|1'], '\x0bMSH|2'],
    ['an end not yet followed by its CR', '\x0bMSH|1\x1c', [], '\x0bMSH|1\x1c'],
    ['an FS inside the message', frame('MSH|a\x1cb'), ['MSH|a\x1cb'], ''],
    ['bytes before the start block are dropped', `noise${frame('MSH|1')}`, ['MSH|1'], ''],
    ['nothing framed at all', 'noise', [], ''],
    ['an empty frame', frame(''), [''], ''],
  ])('%s', (_, raw, frames, rest) => {
    expect(take(raw)).toEqual({ frames, rest });
  });
});
