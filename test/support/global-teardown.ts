import { databaseUrlFor, dropDatabase, listDatabases } from '../../libs/db/src/database-admin';

export default async function globalTeardown(): Promise<void> {
  const templateUrl = process.env.TEST_TEMPLATE_DATABASE_URL;
  const runId = process.env.TEST_RUN_ID;
  if (!templateUrl || !runId) return;
  for (const name of await listDatabases(templateUrl, `dispute_test_${runId}`)) {
    await dropDatabase(databaseUrlFor(templateUrl, name));
  }
}
