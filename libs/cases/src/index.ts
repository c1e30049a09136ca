export { CasesModule } from './cases.module';
export { CLOCK, REFUND_GATEWAY, senderOf, type Actor } from './actor';
export { PostCommitDispatcher, type CommittedWork } from './dispatch/post-commit-dispatcher';
export { OpenCase, type OpenCaseCommand } from './use-cases/open-case';
export { SendCaseEvent, type SendCaseEventCommand, type SentCaseEvent } from './use-cases/send-case-event';
export { FireDeadline, type FireDeadlineOutcome } from './use-cases/fire-deadline';
export { AssignCase, type AssignCaseCommand } from './use-cases/assign-case';
export { AddCaseNote } from './use-cases/add-case-note';
export { GetCase } from './use-cases/get-case';
export { ListCases, type CasePage, type ListCasesQuery } from './use-cases/list-cases';
export { GetCaseTimeline, type TimelineEntry } from './use-cases/get-case-timeline';
export { VerifyCaseReplay, type ReplayMismatch } from './use-cases/verify-case-replay';
export { GetQueueStats, DUE_SOON_MS, type QueueStats, type QueueCounts } from './use-cases/get-queue-stats';
export type { CaseSummaryView, CaseView, DeadlineView, SlaClockView } from './views/case-view';
export { RedriveCaseEffects } from './use-cases/redrive-case-effects';
// The command's SQL, for the benchmark's pgbench side to issue the very same statements.
export { LOCK_CASE_SQL, LOCK_LIVE_DEADLINES_SQL, loadedStateOf } from './lock-case';
export { planCaseWrites, type SqlStatement } from './case-writes';
export { recordTransition } from './transition-recorder';
