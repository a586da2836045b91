// The one part of the store layer src/care may import: the types of what a care hook is given (the
// write event, a reader inside the transaction, the writes it may make) and of the repository the
// content installer writes through. Types only: the care domain holds no SQL and calls no store
// function; the lint rule in biome.json enforces it.
export type { FhirRepository } from './repository/create-fhir-repository.js';
export type {
  HookReader,
  HookTable,
  TxRepository,
  WriteAgent,
  WriteEvent,
  WriteHook,
} from './repository/repository-context.js';
