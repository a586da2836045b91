// Starts the TypeScript import worker under tsx, so worker threads run the same sources as the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
