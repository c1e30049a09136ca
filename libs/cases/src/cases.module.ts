import { Module } from '@nestjs/common';
import { SlaModule } from '@app/sla';
import { WalletModule } from '@app/wallet';
import { PostCommitDispatcher } from './dispatch/post-commit-dispatcher';
import { AddCaseNote } from './use-cases/add-case-note';
import { AssignCase } from './use-cases/assign-case';
import { FireDeadline } from './use-cases/fire-deadline';
import { GetCase } from './use-cases/get-case';
import { GetCaseTimeline } from './use-cases/get-case-timeline';
import { GetQueueStats } from './use-cases/get-queue-stats';
import { ListCases } from './use-cases/list-cases';
import { OpenCase } from './use-cases/open-case';
import { RedriveCaseDeadlines } from './use-cases/redrive-case-deadlines';
import { RedriveCaseEffects } from './use-cases/redrive-case-effects';
import { SendCaseEvent } from './use-cases/send-case-event';
import { VerifyCaseReplay } from './use-cases/verify-case-replay';
import { ListRefundMismatches } from './use-cases/list-refund-mismatches';
import { ReconcileRefunds } from './use-cases/reconcile-refunds';
import { ReceiveWalletEvent } from './use-cases/receive-wallet-event';
import { RecordWalletOutcome } from './wallet/record-wallet-outcome';

const USE_CASES = [RedriveCaseEffects, RedriveCaseDeadlines, OpenCase, SendCaseEvent, FireDeadline, AssignCase, AddCaseNote, GetCase, ListCases, GetCaseTimeline, VerifyCaseReplay, GetQueueStats, RecordWalletOutcome, ReceiveWalletEvent, ReconcileRefunds, ListRefundMismatches];

/** The case engine's use cases. Needs DbModule, QueuesModule and ConfigModule in the app. */
@Module({
  // The wallet: OpenCase holds a case's transaction against it.
  imports: [SlaModule, WalletModule],
  providers: [PostCommitDispatcher, ...USE_CASES],
  exports: [PostCommitDispatcher, SlaModule, ...USE_CASES],
})
export class CasesModule {}
