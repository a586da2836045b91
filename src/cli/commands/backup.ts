// `careloop backup <file>`: a consistent online copy of the database while the server runs.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openStore } from '../../store/open-store.js';
import { readConfig } from '../config.js';

export async function backup(args: readonly string[]): Promise<number> {
  const target = args[0];
  if (!target) {
    console.error('usage: careloop backup <file>');
    return 2;
  }
  const destination = resolve(target);
  if (existsSync(destination)) {
    console.error(`${destination} already exists; choose a new file`);
    return 1;
  }
  const store = await openStore(readConfig().database);
  try {
    await store.backup(destination);
    const counts = await store.countByType();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`Backed up ${total} resources to ${destination}`);
    return 0;
  } finally {
    await store.close();
  }
}
