import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { SqlTransactions } from '@app/db';
import { SlaModule } from '@app/sla';
import { WalletModule } from '@app/wallet';
import { CaseClock } from './case-clock';
import { ContactBox } from './customer-contact/contact-box';
import { PostCommitDispatcher } from './dispatch/post-commit-dispatcher';
import { AddCaseNote } from './use-cases/add-case-note';
import { AssignCase } from './use-cases/assign-case';
import { FireDeadline } from './use-cases/fire-deadline';
import { GetCase } from './use-cases/get-case';
import { GetCaseTimeline } from './use-cases/get-case-timeline';
import { GetQueueStats } from './use-cases/get-queue-stats';
import { ListApprovals } from './use-cases/list-approvals';
import { ListCases } from './use-cases/list-cases';
import { OpenCase } from './use-cases/open-case';
import { RedriveCaseDeadlines } from './use-cases/redrive-case-deadlines';
import { RedriveCaseEffects } from './use-cases/redrive-case-effects';
import { RevealCustomerContact } from './use-cases/reveal-customer-contact';
import { SendCaseEvent } from './use-cases/send-case-event';
import { VerifyCaseReplay } from './use-cases/verify-case-replay';
import { ListFailedWork } from './use-cases/list-failed-work';
import { ListRefundMismatches } from './use-cases/list-refund-mismatches';
import { ReconcileRefunds } from './use-cases/reconcile-refunds';
import { ReceiveWalletEvent } from './use-cases/receive-wallet-event';
import { RecordWalletOutcome } from './wallet/record-wallet-outcome';
import { ExportCaseReport } from './reports/export-case-report';
import { ExportCases } from './reports/export-cases';
import { GetCaseReport } from './reports/get-case-report';
import { GetRelatedCases } from './case-links/get-related-cases';
import { LinkCases } from './case-links/link-cases';
import { MergeCase } from './case-links/merge-case';
import { UnlinkCases } from './case-links/unlink-cases';
import { DeleteSavedView } from './saved-views/delete-saved-view';
import { ListSavedViews } from './saved-views/list-saved-views';
import { SaveView } from './saved-views/save-view';
import { UpdateSavedView } from './saved-views/update-saved-view';

const USE_CASES = [
  ListApprovals,
  RedriveCaseEffects,
  RedriveCaseDeadlines,
  ListFailedWork,
  OpenCase,
  SendCaseEvent,
  FireDeadline,
  AssignCase,
  AddCaseNote,
  GetCase,
  ListCases,
  GetCaseTimeline,
  VerifyCaseReplay,
  GetQueueStats,
  RecordWalletOutcome,
  ReceiveWalletEvent,
  ReconcileRefunds,
  ListRefundMismatches,
  RevealCustomerContact,
  GetCaseReport,
  ExportCaseReport,
  ExportCases,
  GetRelatedCases,
  LinkCases,
  UnlinkCases,
  MergeCase,
  ListSavedViews,
  SaveView,
  UpdateSavedView,
  DeleteSavedView,
];

/** The case engine's use cases. Needs DbModule, QueuesModule and ConfigModule in the app. */
@Module({
  // The wallet: OpenCase holds a case's transaction against it. The admin audit log: contact reveals and approvals.
  imports: [SlaModule, WalletModule, AuditModule],
  providers: [
    PostCommitDispatcher,
    SqlTransactions,
    CaseClock,
    { provide: ContactBox, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new ContactBox(config.notifications.piiKeys) },
    ...USE_CASES,
  ],
  exports: [PostCommitDispatcher, SqlTransactions, CaseClock, SlaModule, ContactBox, ...USE_CASES],
})
export class CasesModule {}
