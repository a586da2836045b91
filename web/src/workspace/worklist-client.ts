// The worklist as the server decides it (Task/$worklist: the open statuses and the order live on the
// server, src/care/worklist/order-worklist.ts); the web app keeps no copy of either.
import type { Bundle } from '@medplum/fhirtypes';
import { getFhir } from '../api/fhir-client.js';

export interface WorklistQuery {
  /** Practitioner/…: that owner's tasks; else `panel` for every patient the user may see. */
  readonly owner?: string;
  readonly panel?: boolean;
  readonly patient?: string;
  readonly code?: string;
  readonly priority?: string;
  readonly overdue?: boolean;
  /** Include the tasks' patients (names for the list). */
  readonly withPatients?: boolean;
}

export function loadWorklist(q: WorklistQuery): Promise<Bundle> {
  const params = new URLSearchParams();
  if (q.owner) params.set('owner', q.owner);
  if (q.panel) params.set('panel', 'true');
  if (q.patient) params.set('patient', q.patient);
  if (q.code) params.set('code', q.code);
  if (q.priority) params.set('priority', q.priority);
  if (q.overdue) params.set('overdue', 'true');
  if (q.withPatients) params.set('_include', 'Task:patient');
  return getFhir<Bundle>(`Task/$worklist?${params.toString()}`);
}
