// Bad input never becomes a 500: each malformed or oversized request of the issue is refused with
// the status the FHIR HTTP and JSON specifications call for, an OperationOutcome that says why,
// and nothing stored — on both databases.
import type { Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
let f: string;
let id: string;

beforeAll(async () => {
  server = await startTestServer();
  f = server.fhir;
  id = (await http<{ id: string }>('POST', `${f}/Patient`, { resourceType: 'Patient', name: [{ family: 'Seed' }] }))
    .body.id;
});
afterAll(async () => {
  await server.close();
});

const deepExtensions = (n: number) =>
  `{"resourceType":"Patient","extension":[${'{"url":"http://x","extension":['.repeat(n)}{"url":"http://y","valueString":"z"}${']}'.repeat(n)}]}`;
const deepArrays = (n: number) => `{"resourceType":"Patient","x":${'['.repeat(n)}${']'.repeat(n)}}`;
const many = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i));
const transaction = (entry: unknown[]) => ({ resourceType: 'Bundle', type: 'transaction', entry });
const form = { 'content-type': 'application/x-www-form-urlencoded' };

type Case = [
  name: string,
  method: string,
  path: () => string,
  body: unknown,
  status: number,
  says: RegExp,
  headers?: Record<string, string>,
];

const CASES: Case[] = [
  [
    'a NUL byte in a resource',
    'POST',
    () => 'Patient',
    '{"resourceType":"Patient","name":[{"family":"a\\u0000b"}]}',
    400,
    /Control character/,
  ],
  [
    'a control character in a resource',
    'POST',
    () => 'Patient',
    '{"resourceType":"Patient","gender":"male","name":[{"text":"x\\u0007"}]}',
    400,
    /Control character/,
  ],
  ['a NUL byte in a search value', 'GET', () => 'Patient?name=a%00b', undefined, 400, /control character/],
  ['a NUL byte in a token', 'GET', () => 'Patient?identifier=a%00%7Cb', undefined, 400, /control character/],
  ['a NUL byte in a parameter name', 'GET', () => 'Patient?na%00me=x', undefined, 400, /control character/],
  ['a NUL byte in an id', 'GET', () => 'Patient/a%00b', undefined, 400, /Invalid id/],
  [
    '_offset beyond 64 bits',
    'GET',
    () => 'Patient?_offset=99999999999999999999999',
    undefined,
    400,
    /_offset may be at most/,
  ],
  ['_offset of 2^63', 'GET', () => 'Patient?_offset=9223372036854775808', undefined, 400, /_offset may be at most/],
  [
    'a history _offset beyond 64 bits',
    'GET',
    () => `Patient/${id}/_history?_offset=99999999999999999999`,
    undefined,
    400,
    /_offset/,
  ],
  ['a system history _count that is not a number', 'GET', () => '_history?_count=lots', undefined, 400, /_count/],
  [
    'an $everything _offset beyond 64 bits',
    'GET',
    () => `Patient/${id}/$everything?_offset=99999999999999999999`,
    undefined,
    400,
    /_offset/,
  ],
  [
    'a version number beyond 64 bits',
    'GET',
    () => `Patient/${id}/_history/99999999999999999999`,
    undefined,
    404,
    /not found/,
  ],
  ['a version number beyond 32 bits', 'GET', () => `Patient/${id}/_history/2147483648`, undefined, 404, /not found/],
  [
    'an If-Match version beyond 64 bits',
    'PUT',
    () => `Patient/${id}`,
    () => ({ resourceType: 'Patient', id }),
    412,
    /Precondition failed/,
    { 'if-match': 'W/"99999999999999999999"' },
  ],
  ['date=ap2020', 'GET', () => 'Patient?birthdate=ap2020', undefined, 200, /searchset/],
  ['date=ap with a month', 'GET', () => 'Observation?date=ap2020-01', undefined, 200, /searchset/],
  [
    'thousands of parameters (POST _search)',
    'POST',
    () => 'Patient/_search',
    many(3000, (i) => `name=a${i}`).join('&'),
    400,
    /at most 100 parameters/,
    form,
  ],
  [
    'thousands of OR values',
    'POST',
    () => 'Patient/_search',
    `name=${many(1000, (i) => `a${i}`).join(',')}`,
    400,
    /at most 100 values/,
    form,
  ],
  ['a huge value', 'POST', () => 'Patient/_search', `name=${'a'.repeat(20_000)}`, 400, /at most 8000 characters/, form],
  [
    'thousands of sort keys',
    'GET',
    () => `Patient?_sort=${many(1000, () => 'name').join(',')}`,
    undefined,
    400,
    /_sort may have at most 10 keys/,
  ],
  [
    'hundreds of _include values',
    'POST',
    () => 'Patient/_search',
    many(50, () => '_include=Patient:organization').join('&'),
    400,
    /_include/,
    form,
  ],
  [
    'a URL longer than the server reads',
    'GET',
    () => `Patient?${many(3000, (i) => `name=a${i}`).join('&')}`,
    undefined,
    431,
    /POST _search/,
  ],
  [
    'JSON nested thousands deep (extensions)',
    'POST',
    () => 'Patient',
    deepExtensions(2000),
    400,
    /nested more than 128 levels/,
  ],
  [
    'JSON nested 100,000 deep (arrays)',
    'POST',
    () => 'Patient',
    deepArrays(100_000),
    400,
    /nested more than 128 levels|Invalid JSON/,
  ],
  ['a Bundle entry that is null', 'POST', () => '', transaction([null]), 400, /must be an object/],
  ['a Bundle entry that is a string', 'POST', () => '', transaction(['x']), 400, /must be an object/],
  [
    'a Bundle entry with a number for its URL',
    'POST',
    () => '',
    transaction([{ request: { method: 'GET', url: 5 } }]),
    400,
    /request\.url/,
  ],
  [
    'a Bundle entry whose request is an array',
    'POST',
    () => '',
    transaction([{ request: [] }]),
    400,
    /request must be an object/,
  ],
  [
    'a Bundle entry whose resource has no type',
    'POST',
    () => '',
    transaction([{ resource: {}, request: { method: 'POST', url: 'Patient' } }]),
    400,
    /must be a resource/,
  ],
  [
    'a Bundle whose entry is an object',
    'POST',
    () => '',
    { resourceType: 'Bundle', type: 'batch', entry: {} },
    400,
    /array|entry/,
  ],
  [
    'duplicate fullUrls',
    'POST',
    () => '',
    transaction(
      [1, 2].map(() => ({
        fullUrl: 'urn:uuid:6f1b0d1a-6f4e-4c42-9a38-111111111111',
        resource: { resourceType: 'Patient' },
        request: { method: 'POST', url: 'Patient' },
      })),
    ),
    400,
    /bdl-7/,
  ],
  [
    'a contained resource without an id',
    'POST',
    () => 'Patient',
    { resourceType: 'Patient', contained: [{ resourceType: 'Organization', name: 'x' }] },
    400,
    /has no id/,
  ],
  [
    'nested contained resources',
    'POST',
    () => 'Patient',
    {
      resourceType: 'Patient',
      contained: [{ resourceType: 'Organization', id: 'o', contained: [{ resourceType: 'Organization', id: 'p' }] }],
      managingOrganization: { reference: '#o' },
    },
    400,
    /dom-2/,
  ],
  [
    'contained resources sharing an id',
    'POST',
    () => 'Patient',
    {
      resourceType: 'Patient',
      contained: [
        { resourceType: 'Organization', id: 'o' },
        { resourceType: 'Location', id: 'o' },
      ],
    },
    400,
    /repeats the id/,
  ],
  [
    'a contained resource with a version',
    'POST',
    () => 'Patient',
    { resourceType: 'Patient', contained: [{ resourceType: 'Organization', id: 'o', meta: { versionId: '3' } }] },
    400,
    /dom-4/,
  ],
  ['invalid JSON', 'POST', () => 'Patient', '{"resourceType":"Patient",', 400, /Invalid JSON/],
];

describe('hostile input', () => {
  it.each(CASES)('%s', async (_name, method, path, body, status, says, headers = {}) => {
    const before = (await http<Bundle>('GET', `${f}/Patient?_summary=count`)).body.total;
    const sent = typeof body === 'function' ? (body as () => unknown)() : body;
    const res = await http<OperationOutcome>(method, path() ? `${f}/${path()}` : f, sent, headers);
    expect(res.status, res.text.slice(0, 300)).toBe(status);
    expect(res.text).toMatch(says);
    if (status >= 400) expect(res.body?.resourceType).toBe('OperationOutcome');
    expect((await http<Bundle>('GET', `${f}/Patient?_summary=count`)).body.total).toBe(before);
  });
});
