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
import { Migration20261205030000SoleDecisions } from './migrations/Migration20261205030000SoleDecisions';
import { Migration20261205170000DeadlineJobHorizon } from './migrations/Migration20261205170000DeadlineJobHorizon';
import { Migration20261205190000WrittenCaseVersion } from './migrations/Migration20261205190000WrittenCaseVersion';
import { Migration20261205235000ClockFactsOnResult } from './migrations/Migration20261205235000ClockFactsOnResult';
import { Migration20261206020000DropClockPendingIndex } from './migrations/Migration20261206020000DropClockPendingIndex';

/**
 * The migrations' classes, for the one step that applies them (migrate.ts loads this file when it
 * runs). Listed, not globbed, so the same list runs from ts-jest and from compiled JS; their names
 * must be MIGRATION_NAMES, in that order (migration-names.spec.ts).
 */
export const MIGRATIONS = [
  Migration20261125000000Initial,
  Migration20261125050000Sla,
  Migration20261125100000Merchants,
  Migration20261125150000OpsIndexes,
  Migration20261125160000IdempotencyKeyPath,
  Migration20261203100000WalletTransport,
  Migration20261203110000RefundLedger,
  Migration20261203120000StrandedWork,
  Migration20261203130000SlaAlwaysOnCalendar,
  Migration20261203140000CustomerNotifications,
  Migration20261203150000CustomerApi,
  Migration20261203155000CaseMessagesAndMacros,
  Migration20261203170000AgentAccounts,
  Migration20261203171000AgentTotp,
  Migration20261203172000CaseLogChain,
  Migration20261203183930ReconcilerPendingIds,
  Migration20261203186391AgentLastLogin,
  Migration20261203196394OutboxRequestId,
  Migration20261203200100CalendarShippedDefinition,
  Migration20261203200200MerchantRefunds,
  Migration20261203200300WebhookSecretRotation,
  Migration20261203200400QueueViewsAndLinks,
  Migration20261203200500TestMode,
  Migration20261203200600Reports,
  Migration20261203210500ReportRollups,
  Migration20261205030000SoleDecisions,
  Migration20261205170000DeadlineJobHorizon,
  Migration20261205190000WrittenCaseVersion,
  Migration20261205235000ClockFactsOnResult,
  Migration20261206020000DropClockPendingIndex,
].map((migration) => ({ name: migration.name, class: migration }));
