import { join } from 'node:path';
import { makeTempDir } from '../../../test/support/temp-dir.js';
import { describeStoreContract } from '../store-contract.js';
import { openSqliteStore } from './open-sqlite-store.js';

describeStoreContract('SQLite', async () => {
  const dir = makeTempDir();
  const store = openSqliteStore(join(dir.path, 'contract.db'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      dir.remove();
    },
  };
});
