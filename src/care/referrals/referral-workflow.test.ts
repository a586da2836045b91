import type { Task } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { checkReferralTransition, fulfilmentTask, isReferralRequest, requestStatusFor } from './referral-workflow.js';

const task = (status: Task['status'], extra: Partial<Task> = {}): Task => ({
  resourceType: 'Task',
  status,
  intent: 'order',
  ...extra,
});
const outcome = { output: [{ type: { text: 'outcome' }, valueReference: { reference: 'DocumentReference/r' } }] };
const reason = { statusReason: { text: 'Not taking new clients' } };

describe('checkReferralTransition (Gravity closed-loop referral states)', () => {
  it.each([
    [undefined, 'requested', {}, true],
    [undefined, 'draft', {}, true],
    [undefined, 'accepted', {}, false],
    ['requested', 'received', {}, true],
    ['requested', 'accepted', {}, true],
    ['requested', 'rejected', reason, true],
    ['requested', 'rejected', {}, false],
    ['requested', 'in-progress', {}, false],
    ['requested', 'completed', outcome, false],
    ['requested', 'cancelled', {}, true],
    ['received', 'accepted', {}, true],
    ['received', 'rejected', reason, true],
    ['received', 'requested', {}, false],
    ['accepted', 'in-progress', {}, true],
    ['accepted', 'completed', outcome, true],
    ['accepted', 'completed', {}, false],
    ['accepted', 'rejected', reason, false],
    ['in-progress', 'completed', outcome, true],
    ['in-progress', 'completed', {}, false],
    ['in-progress', 'cancelled', {}, true],
    ['in-progress', 'accepted', {}, false],
    ['completed', 'in-progress', {}, false],
    ['rejected', 'accepted', {}, false],
    ['cancelled', 'requested', {}, false],
    ['in-progress', 'in-progress', {}, true],
    ['completed', 'completed', {}, true],
    // On hold and back (Gravity SDOH CC "Checking Task Status"), and failed as an end state.
    ['in-progress', 'on-hold', {}, true],
    ['on-hold', 'in-progress', {}, true],
    ['on-hold', 'cancelled', {}, true],
    ['on-hold', 'completed', outcome, false],
    ['accepted', 'on-hold', {}, false],
    ['in-progress', 'failed', reason, true],
    ['in-progress', 'failed', {}, false],
    ['on-hold', 'failed', reason, true],
    ['accepted', 'failed', reason, true],
    ['requested', 'failed', reason, false],
    ['failed', 'in-progress', {}, false],
    ['failed', 'completed', outcome, false],
  ] as const)('%s -> %s', (from, to, extra, ok) => {
    const result = checkReferralTransition(from ? task(from) : undefined, task(to, extra as Partial<Task>));
    expect(result.ok).toBe(ok);
  });

  it('says what is missing in words', () => {
    const result = checkReferralTransition(task('accepted'), task('completed'));
    expect(result).toEqual({
      ok: false,
      issues: ['A referral is completed with its outcome (Task.output: a report, a note or the appointment)'],
    });
    expect(checkReferralTransition(task('completed'), task('in-progress'))).toEqual({
      ok: false,
      issues: ['A referral that is completed is closed and cannot become in-progress'],
    });
  });
});

describe('the fulfilment task', () => {
  it('goes to the performer, for the patient, about the request, with its priority', () => {
    const request = {
      resourceType: 'ServiceRequest' as const,
      id: 'sr1',
      status: 'active' as const,
      intent: 'order' as const,
      priority: 'urgent' as const,
      category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005' }] }],
      code: { text: 'Food assistance' },
      subject: { reference: 'Patient/p' },
      requester: { reference: 'Practitioner/c' },
      performer: [{ reference: 'Organization/food-bank', display: 'Food bank' }],
    };
    expect(isReferralRequest(request)).toBe(true);
    expect(fulfilmentTask(request, '2026-11-30T10:00:00Z')).toMatchObject({
      status: 'requested',
      priority: 'urgent',
      focus: { reference: 'ServiceRequest/sr1' },
      for: { reference: 'Patient/p' },
      owner: { reference: 'Organization/food-bank' },
      requester: { reference: 'Practitioner/c' },
      description: 'Referral: Food assistance',
      code: { coding: [{ code: 'fulfill' }] },
    });
  });
  it.each([
    ['completed', 'completed'],
    ['cancelled', 'revoked'],
    ['accepted', undefined],
    ['rejected', undefined],
    ['failed', undefined],
    ['on-hold', 'on-hold'],
    ['in-progress', 'active'],
  ] as const)('a %s task makes the request %s', (status, expected) => {
    expect(requestStatusFor(status)).toBe(expected);
  });
});
