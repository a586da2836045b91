// Worker thread for `careloop import`: runs the import loop on its own database connection.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../store/open-store.js';
import { createFhirRepository } from '../../store/repository/create-fhir-repository.js';
import { type ImportEvent, type ImportInput, runImportLoop } from './import-loop.js';

export interface WorkerInput extends ImportInput {
  readonly database: string;
}

export type WorkerMessage =
  | ImportEvent
  | { readonly kind: 'finished' }
  | { readonly kind: 'failed'; readonly message: string };

const port = parentPort;
if (!port) throw new Error('import-worker must run in a worker thread');
const input = workerData as WorkerInput;
const post = (message: WorkerMessage): void => port.postMessage(message);

try {
  const store = await openStore(input.database, { bulk: true });
  await runImportLoop(input, store, createFhirRepository(store), post);
  await store.close();
  post({ kind: 'finished' });
} catch (err) {
  post({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
}
