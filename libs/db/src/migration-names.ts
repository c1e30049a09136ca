/**
 * Every migration of this build, in the order they apply. Readiness compares them with what the
 * database has applied; this list is only names so that the API and the worker do not load the
 * migrations and MikroORM's migrator (umzug and its CLI: about 240 modules) to answer a probe.
 * A new migration goes here and into migration-classes.ts (migration-names.spec.ts checks both agree).
 */
export const MIGRATION_NAMES: readonly string[] = [
  'Migration20261125000000Initial',
  'Migration20261125050000Sla',
  'Migration20261125100000Merchants',
  'Migration20261125150000OpsIndexes',
  'Migration20261125160000IdempotencyKeyPath',
  'Migration20261203100000WalletTransport',
  'Migration20261203110000RefundLedger',
  'Migration20261203120000StrandedWork',
  'Migration20261203130000SlaAlwaysOnCalendar',
  'Migration20261203140000CustomerNotifications',
  'Migration20261203150000CustomerApi',
  'Migration20261203155000CaseMessagesAndMacros',
  'Migration20261203170000AgentAccounts',
  'Migration20261203171000AgentTotp',
  'Migration20261203172000CaseLogChain',
  'Migration20261203183930ReconcilerPendingIds',
  'Migration20261203186391AgentLastLogin',
  'Migration20261203196394OutboxRequestId',
  'Migration20261203200100CalendarShippedDefinition',
  'Migration20261203200200MerchantRefunds',
  'Migration20261203200300WebhookSecretRotation',
  'Migration20261203200400QueueViewsAndLinks',
  'Migration20261203200500TestMode',
  'Migration20261203200600Reports',
  'Migration20261203210500ReportRollups',
  'Migration20261205030000SoleDecisions',
  'Migration20261205170000DeadlineJobHorizon',
  'Migration20261205190000WrittenCaseVersion',
  'Migration20261205235000ClockFactsOnResult',
  'Migration20261206020000DropClockPendingIndex',
];
