// The care plan hook alone, on a real database: each contribution to the plan gets its Provenance
// (who, in which role, which version), tasks taken out of the plan are cancelled with the reason,
// and a goal that contradicts another on the same measure asks the coordinator to agree one target.
import type { CarePlan, Goal, Provenance, Task } from '@medplum/fhirtypes';
import { expect, it } from 'vitest';
import { careTeamOf, hookBench } from '../../../test/support/hook-test-repository.js';
import { carePlanHook } from './care-plan-hook.js';

const bench = hookBench((clock) => ({ '*': [carePlanHook(clock)] }));
const cardiologist = { who: 'Practitioner/cardio', name: 'Elena Vasquez, MD', role: 'physician' };
const geriatrician = { who: 'Practitioner/geri', name: 'Sam Okafor, MD', role: 'physician' };

const task: Task = { resourceType: 'Task', status: 'requested', intent: 'order', for: { reference: 'Patient/p' } };
const bloodPressureGoal = (below: number): Goal => ({
  resourceType: 'Goal',
  lifecycleStatus: 'active',
  description: { text: `Blood pressure below ${below}` },
  subject: { reference: 'Patient/p' },
  target: [
    {
      measure: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
      detailQuantity: { value: below, unit: 'mm[Hg]' },
    },
  ],
});

it("records who contributed each version of the plan, and writes none for the domain's own writes", async () => {
  const b = await bench.open();
  const plan = (
    await b.as(cardiologist).create({
      resourceType: 'CarePlan',
      status: 'active',
      intent: 'plan',
      subject: { reference: 'Patient/p' },
    })
  ).stored;
  await b.create({ resourceType: 'CarePlan', status: 'draft', intent: 'plan', subject: { reference: 'Patient/p' } });
  const provenances = await b.search<Provenance>('Provenance', [['target', `CarePlan/${plan.id}`]]);
  expect(provenances).toHaveLength(1);
  expect(provenances[0]?.target[0]?.reference).toBe(`CarePlan/${plan.id}/_history/1`);
  expect(provenances[0]?.agent[0]?.who?.reference).toBe('Practitioner/cardio');
  expect(await b.search<Provenance>('Provenance', [])).toHaveLength(1);
});

it('cancels the open task taken out of the plan, with the reason and who changed it', async () => {
  const b = await bench.open();
  const kept = await b.create(task);
  const removed = await b.create(task);
  const plan = await b.create<CarePlan>({
    resourceType: 'CarePlan',
    status: 'active',
    intent: 'plan',
    subject: { reference: 'Patient/p' },
    activity: [{ reference: { reference: `Task/${kept.id}` } }, { reference: { reference: `Task/${removed.id}` } }],
  });
  await b.as(cardiologist).update('CarePlan', plan.id, { ...plan, activity: plan.activity?.slice(0, 1) });
  const [after] = await b.search<Task>('Task', [['_id', removed.id]]);
  expect(after?.status).toBe('cancelled');
  expect(JSON.stringify(after)).toMatch(/removed from the care plan/);
  expect((await b.search<Task>('Task', [['_id', kept.id]]))[0]?.status).toBe('requested');
});

it('a goal contradicting another on the same measure gives the coordinator a review task; an agreeing one does not', async () => {
  const b = await bench.open();
  await b.create(careTeamOf('p'));
  await b.as(cardiologist).create(bloodPressureGoal(130));
  await b.as(geriatrician).create(bloodPressureGoal(130));
  const review = () =>
    b.search<Task>('Task', [['code', 'http://careloop.org/fhir/CodeSystem/task-type|care-plan-review']]);
  expect(await review()).toEqual([]);
  await b.as(geriatrician).create(bloodPressureGoal(150));
  const [task] = await review();
  expect(task).toMatchObject({ owner: { reference: 'Practitioner/c' }, priority: 'urgent' });
  expect(task?.description).toMatch(/Blood pressure below 150" \(by Sam Okafor, MD, physician\)/);
});
