// The $export job (HL7 FHIR Bulk Data Access IG v2): system, patient and group level. The job writes
// NDJSON files under the export directory and records the manifest's output list as its result.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Group } from '@medplum/fhirtypes';
import { patientCompartmentParams } from '../../fhir/compartment/patient-compartment.js';
import type { Job, Store } from '../../store/store.js';
import type { JobHandler } from '../job-runner.js';
import { writeNdjsonExport } from './write-ndjson-export.js';

export const BULK_EXPORT_JOB = 'bulk-export';

export interface BulkExportPayload {
  readonly level: 'system' | 'patient' | 'group';
  readonly groupId?: string;
  readonly types?: readonly string[];
  readonly since?: number;
  readonly transactionTime: string;
  readonly request: string;
  /** The client that asked for it (only it may poll and download). */
  readonly owner?: string;
}

export interface BulkExportResult {
  readonly output: readonly { type: string; file: string; count: number }[];
}

/** Types a patient-level export covers: Patient and every type in the patient compartment. */
export function patientLevelTypes(allTypes: readonly string[]): string[] {
  return allTypes.filter((t) => t === 'Patient' || patientCompartmentParams(t).length > 0);
}

async function groupPatients(store: Store, groupId: string): Promise<string[]> {
  const v = await store.readCurrent('Group', groupId);
  if (!v?.json) return [];
  const group = JSON.parse(v.json) as Group;
  return (group.member ?? [])
    .map((m) => m.entity?.reference ?? '')
    .filter((r) => r.startsWith('Patient/'))
    .map((r) => r.slice('Patient/'.length));
}

export function exportDirectory(root: string, jobId: string): string {
  return join(root, jobId);
}

export function bulkExportHandler(exportRoot: string): JobHandler {
  return async (job: Job, store: Store): Promise<BulkExportResult> => {
    const payload = job.payload as BulkExportPayload;
    const present = Object.keys(await store.countByType());
    let types = payload.types ? [...payload.types] : present;
    let patientIds: string[] | undefined;
    if (payload.level !== 'system') {
      types = types.filter((t) => patientLevelTypes([t]).length > 0);
      if (payload.level === 'group') patientIds = await groupPatients(store, payload.groupId ?? '');
      else {
        patientIds = [];
        for await (const p of store.scan({ resourceType: 'Patient' })) patientIds.push(p.id);
      }
    }
    let cancelled = false;
    const output = await writeNdjsonExport(
      store,
      exportDirectory(exportRoot, job.id),
      {
        types: types.filter((t) => present.includes(t)),
        ...(payload.since !== undefined ? { since: payload.since } : {}),
        ...(patientIds ? { patientIds } : {}),
      },
      {
        onProgress: (done, type) => {
          void store.getJob(job.id).then((j) => {
            if (!j || j.status === 'cancelled') cancelled = true;
          });
          void store.updateJob(job.id, { progress: `${done} resources written (now ${type})` });
        },
        isCancelled: () => cancelled,
      },
    );
    if (cancelled) {
      rmSync(exportDirectory(exportRoot, job.id), { recursive: true, force: true });
    }
    return { output };
  };
}
