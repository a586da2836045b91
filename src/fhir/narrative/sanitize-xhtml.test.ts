import { describe, expect, it } from 'vitest';
import { isSafeUrl, sanitizeNarratives, sanitizeXhtml } from './sanitize-xhtml.js';

const NS = '<div xmlns="http://www.w3.org/1999/xhtml">';

describe('sanitizeXhtml', () => {
  it.each<[string, string, string]>([
    ['keeps allowed markup', '<div><p>Take <b>two</b> tablets</p></div>', `${NS}<p>Take <b>two</b> tablets</p></div>`],
    ['removes scripts with their content', '<div>ok<script>alert(1)</script></div>', `${NS}ok</div>`],
    ['removes event handlers', '<div><p onclick="steal()" class="x">hi</p></div>', `${NS}<p class="x">hi</p></div>`],
    ['removes javascript: links', '<div><a href="javascript:alert(1)">x</a></div>', `${NS}x</div>`],
    [
      'removes javascript: links hidden by leading spaces and controls',
      '<div><a href=" \u0001java\tscript:alert(1)">x</a></div>',
      `${NS}x</div>`,
    ],
    ['removes encoded javascript: links', '<div><a href="&#106;avascript:alert(1)">x</a></div>', `${NS}x</div>`],
    ['removes svg', '<div><svg onload="alert(1)"><circle/></svg>text</div>', `${NS}text</div>`],
    [
      'removes iframes, objects and forms',
      '<div><iframe src="x"></iframe><object data="x"></object><form><input/></form>t</div>',
      `${NS}t</div>`,
    ],
    [
      'keeps safe links',
      '<div><a href="https://example.org/a">a</a> <a href="#sec">b</a></div>',
      `${NS}<a href="https://example.org/a">a</a> <a href="#sec">b</a></div>`,
    ],
    [
      'drops unsafe images, keeps safe ones',
      '<div><img src="javascript:x"/><img src="data:image/png;base64,AA==" alt="p"/></div>',
      `${NS}<img/><img src="data:image/png;base64,AA==" alt="p"/></div>`,
    ],
    [
      'drops styles that run code',
      '<div><p style="background:url(javascript:x)">a</p><p style="color:red">b</p></div>',
      `${NS}<p>a</p><p style="color:red">b</p></div>`,
    ],
    ['escapes text', '<div>a &lt;b&gt; &amp; c</div>', `${NS}a &lt;b&gt; &amp; c</div>`],
    ['wraps content that is not one div', '<p>x</p><p>y</p>', `${NS}<p>x</p><p>y</p></div>`],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeXhtml(input)).toBe(expected);
  });

  it('judges URLs', () => {
    expect(isSafeUrl('Patient/1')).toBe(true);
    expect(isSafeUrl('vbscript:x')).toBe(false);
    expect(isSafeUrl('data:text/html,<script>')).toBe(false);
  });

  it('sanitizes contained narratives too', () => {
    const r = {
      resourceType: 'Patient',
      text: { status: 'generated', div: '<div><script>x</script>a</div>' },
      contained: [
        { resourceType: 'Practitioner', text: { status: 'generated', div: '<div onmouseover="x()">b</div>' } },
      ],
    };
    sanitizeNarratives(r);
    expect(r.text.div).toBe(`${NS}a</div>`);
    expect((r.contained[0] as { text: { div: string } }).text.div).toBe(`${NS}b</div>`);
  });
});
