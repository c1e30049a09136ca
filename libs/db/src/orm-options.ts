import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver, type Options } from '@mikro-orm/postgresql';
import { ENTITIES } from './entities';
import { Migration20261125000000Initial } from './migrations/Migration20261125000000Initial';
import { Migration20261125050000Sla } from './migrations/Migration20261125050000Sla';
import { Migration20261125100000Merchants } from './migrations/Migration20261125100000Merchants';
import { Migration20261125150000OpsIndexes } from './migrations/Migration20261125150000OpsIndexes';
import { Migration20261125160000IdempotencyKeyPath } from './migrations/Migration20261125160000IdempotencyKeyPath';
import { Migration20261203100000WalletTransport } from './migrations/Migration20261203100000WalletTransport';
import { Migration20261203110000RefundLedger } from './migrations/Migration20261203110000RefundLedger';
import { Migration20261203120000StrandedWork } from './migrations/Migration20261203120000StrandedWork';
import { Migration20261203130000SlaAlwaysOnCalendar } from './migrations/Migration20261203130000SlaAlwaysOnCalendar';
import { Migration20261203140000CustomerNotifications } from './migrations/Migration20261203140000CustomerNotifications';
import { Migration20261203150000CustomerApi } from './migrations/Migration20261203150000CustomerApi';
import { Migration20261203155000CaseMessagesAndMacros } from './migrations/Migration20261203155000CaseMessagesAndMacros';
import { Migration20261203170000AgentAccounts } from './migrations/Migration20261203170000AgentAccounts';
import { Migration20261203171000AgentTotp } from './migrations/Migration20261203171000AgentTotp';
import { Migration20261203172000CaseLogChain } from './migrations/Migration20261203172000CaseLogChain';
import { Migration20261203183930ReconcilerPendingIds } from './migrations/Migration20261203183930ReconcilerPendingIds';
import { Migration20261203186391AgentLastLogin } from './migrations/Migration20261203186391AgentLastLogin';
import { Migration20261203196394OutboxRequestId } from './migrations/Migration20261203196394OutboxRequestId';
import { Migration20261203200100CalendarShippedDefinition } from './migrations/Migration20261203200100CalendarShippedDefinition';
import { Migration20261203200200MerchantRefunds } from './migrations/Migration20261203200200MerchantRefunds';
import { Migration20261203200300WebhookSecretRotation } from './migrations/Migration20261203200300WebhookSecretRotation';
import { Migration20261203200400QueueViewsAndLinks } from './migrations/Migration20261203200400QueueViewsAndLinks';
import { Migration20261203200500TestMode } from './migrations/Migration20261203200500TestMode';
import { Migration20261203200600Reports } from './migrations/Migration20261203200600Reports';
import { Migration20261203210500ReportRollups } from './migrations/Migration20261203210500ReportRollups';

/** Migrations are listed, not globbed, so the same list runs from ts-jest and from compiled JS. */
export const MIGRATIONS = [
  { name: 'Migration20261125000000Initial', class: Migration20261125000000Initial },
  { name: 'Migration20261125050000Sla', class: Migration20261125050000Sla },
  { name: 'Migration20261125100000Merchants', class: Migration20261125100000Merchants },
  { name: 'Migration20261125150000OpsIndexes', class: Migration20261125150000OpsIndexes },
  { name: 'Migration20261125160000IdempotencyKeyPath', class: Migration20261125160000IdempotencyKeyPath },
  { name: 'Migration20261203100000WalletTransport', class: Migration20261203100000WalletTransport },
  { name: 'Migration20261203110000RefundLedger', class: Migration20261203110000RefundLedger },
  { name: 'Migration20261203120000StrandedWork', class: Migration20261203120000StrandedWork },
  { name: 'Migration20261203130000SlaAlwaysOnCalendar', class: Migration20261203130000SlaAlwaysOnCalendar },
  { name: 'Migration20261203140000CustomerNotifications', class: Migration20261203140000CustomerNotifications },
  { name: 'Migration20261203150000CustomerApi', class: Migration20261203150000CustomerApi },
  { name: 'Migration20261203155000CaseMessagesAndMacros', class: Migration20261203155000CaseMessagesAndMacros },
  { name: 'Migration20261203170000AgentAccounts', class: Migration20261203170000AgentAccounts },
  { name: 'Migration20261203171000AgentTotp', class: Migration20261203171000AgentTotp },
  { name: 'Migration20261203172000CaseLogChain', class: Migration20261203172000CaseLogChain },
  { name: 'Migration20261203183930ReconcilerPendingIds', class: Migration20261203183930ReconcilerPendingIds },
  { name: 'Migration20261203186391AgentLastLogin', class: Migration20261203186391AgentLastLogin },
  { name: 'Migration20261203196394OutboxRequestId', class: Migration20261203196394OutboxRequestId },
  { name: 'Migration20261203200100CalendarShippedDefinition', class: Migration20261203200100CalendarShippedDefinition },
  { name: 'Migration20261203200200MerchantRefunds', class: Migration20261203200200MerchantRefunds },
  { name: 'Migration20261203200300WebhookSecretRotation', class: Migration20261203200300WebhookSecretRotation },
  { name: 'Migration20261203200400QueueViewsAndLinks', class: Migration20261203200400QueueViewsAndLinks },
  { name: 'Migration20261203200500TestMode', class: Migration20261203200500TestMode },
  { name: 'Migration20261203200600Reports', class: Migration20261203200600Reports },
  { name: 'Migration20261203210500ReportRollups', class: Migration20261203210500ReportRollups },
];

export function ormOptions(databaseUrl: string, overrides: Partial<Options> = {}): Options {
  return {
    driver: PostgreSqlDriver,
    clientUrl: databaseUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false },
    // The schema comes from migrations only; nothing syncs it at runtime.
    ensureDatabase: false,
    // Any use of the global EntityManager outside a request or job context is a bug.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    pool: { min: 0, max: 20 },
    ...overrides,
  };
}
