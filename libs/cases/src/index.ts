export { CasesModule } from './cases.module';
export { CLOCK, WALLET, senderOf, type Actor } from './actor';
export { CaseClock } from './case-clock';
export { PostCommitDispatcher, type CommittedWork } from './dispatch/post-commit-dispatcher';
export { JOB_HEAD_SQL } from './dispatch/deadline-jobs';
export { OpenCase, type OpenCaseCommand } from './use-cases/open-case';
export { SendCaseEvent, type SendCaseEventCommand, type SentCaseEvent } from './use-cases/send-case-event';
export { FireDeadline, type FireDeadlineOutcome } from './use-cases/fire-deadline';
export { AssignCase, type AssignCaseCommand } from './use-cases/assign-case';
export { AddCaseNote } from './use-cases/add-case-note';
export { GetCase } from './use-cases/get-case';
export { ListApprovals, MAX_APPROVALS_PAGE, type ApprovalPage, type ApprovalView } from './use-cases/list-approvals';
export { ListCases, type CasePage, type ListCasesQuery } from './use-cases/list-cases';
export { GetCaseTimeline, type TimelineEntry } from './use-cases/get-case-timeline';
export { VerifyCaseReplay, type ReplayMismatch } from './use-cases/verify-case-replay';
export { GetCaseReport } from './reports/get-case-report';
export { ExportCaseReport, type CsvExport } from './reports/export-case-report';
export { ExportCases, EXPORT_BATCH } from './reports/export-cases';
export { REPORT_NAMES, rebuildReportRollups, refreshReportRollups, type CaseReport, type ReportName } from './reports/case-reports';
export { HISTOGRAM_RELATIVE_ERROR } from './reports/report-rollups';
export { REPORT_INTERVALS, MAX_REPORT_DAYS, type ReportFilterInput, type ReportInterval } from './reports/report-filters';
export { GetQueueStats, DUE_SOON_MS, type QueueStats, type QueueCounts } from './use-cases/get-queue-stats';
export type { CaseSummaryView, CaseView, DeadlineView, RefundView, SlaClockView } from './views/case-view';
export { RedriveCaseEffects } from './use-cases/redrive-case-effects';
export { RedriveCaseDeadlines } from './use-cases/redrive-case-deadlines';
export {
  DEFAULT_FAILED_WORK_CASES,
  FAILED_DEADLINES_SQL,
  FAILED_EFFECTS_SQL,
  FAILED_WORK_CASES_SQL,
  ListFailedWork,
  MAX_FAILED_WORK_CASES,
  type FailedWorkCase,
  type FailedWorkPage,
} from './use-cases/list-failed-work';
export { ReceiveWalletEvent, type ReceiveWalletEventCommand, type WalletEventAnswer } from './use-cases/receive-wallet-event';
export { RecordWalletOutcome, type RefundOutcome, type AccountActionOutcome, type OutcomeResult } from './wallet/record-wallet-outcome';
// The command's SQL, for the benchmark's pgbench side to issue the very same statements.
export { LOCK_CASE_SQL, LOCK_LIVE_DEADLINES_SQL, loadedStateOf } from './lock-case';
// A case's rows as plain objects, for the other reads that show a case (the customer's view).
export { CASE_SQL, DEADLINE_SELECT_LIST, caseFromRow, deadlineFromRow, type CaseRow, type DeadlineRow } from './case-rows';
export { planCaseWrites } from './case-writes';
export { recordTransition } from './transition-recorder';
export { ReconcileRefunds, type RefundReconciliationReport } from './use-cases/reconcile-refunds';
export { ListRefundMismatches, type RefundMismatchView } from './use-cases/list-refund-mismatches';
export { RevealCustomerContact, type RevealedContact } from './use-cases/reveal-customer-contact';
export { ContactBox } from './customer-contact/contact-box';
export type { CustomerInput, CustomerContactView } from './customer-contact/customer-contact-record';
export { GetRelatedCases, RELATED_LIMIT, type RelatedCasesView, type CaseLinkView } from './case-links/get-related-cases';
export { LinkCases } from './case-links/link-cases';
export { UnlinkCases } from './case-links/unlink-cases';
export { MergeCase, type MergeCaseCommand, type MergedCase } from './case-links/merge-case';
export { ListSavedViews } from './saved-views/list-saved-views';
export { SaveView, type SaveViewCommand } from './saved-views/save-view';
export { UpdateSavedView, type UpdateSavedViewCommand } from './saved-views/update-saved-view';
export { DeleteSavedView } from './saved-views/delete-saved-view';
export { SAVED_VIEW_PARAMS, MAX_SAVED_VIEWS, type SavedViewQuery, type SavedViewView, type ViewOwner } from './saved-views/saved-view';
