import { createPostgresDatabase } from '../../../test/support/test-database.js';
import { describeStoreContract } from '../store-contract.js';
import { openPostgresStore } from './open-postgres-store.js';

describeStoreContract('PostgreSQL', async () => {
  const database = await createPostgresDatabase();
  const store = await openPostgresStore(database.url);
  return {
    store,
    cleanup: async () => {
      await store.close();
      await database.drop();
    },
  };
});
