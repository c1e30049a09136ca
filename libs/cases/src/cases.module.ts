import { Module } from '@nestjs/common';
import { PostCommitDispatcher } from './dispatch/post-commit-dispatcher';
import { AddCaseNote } from './use-cases/add-case-note';
import { AssignCase } from './use-cases/assign-case';
import { FireDeadline } from './use-cases/fire-deadline';
import { GetCase } from './use-cases/get-case';
import { GetCaseTimeline } from './use-cases/get-case-timeline';
import { ListCases } from './use-cases/list-cases';
import { OpenCase } from './use-cases/open-case';
import { SendCaseEvent } from './use-cases/send-case-event';
import { VerifyCaseReplay } from './use-cases/verify-case-replay';

const USE_CASES = [OpenCase, SendCaseEvent, FireDeadline, AssignCase, AddCaseNote, GetCase, ListCases, GetCaseTimeline, VerifyCaseReplay];

/** The case engine's use cases. Needs DbModule, QueuesModule and ConfigModule in the app. */
@Module({
  providers: [PostCommitDispatcher, ...USE_CASES],
  exports: [PostCommitDispatcher, ...USE_CASES],
})
export class CasesModule {}
