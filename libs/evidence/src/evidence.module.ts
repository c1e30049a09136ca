import { Module } from '@nestjs/common';
import { CasesModule } from '@app/cases';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { IdempotencyModule } from '@app/idempotency';
import { MerchantsModule } from '@app/merchants';
import { EvidenceStorage } from './storage/evidence-storage';
import { EvidenceSweeper } from './storage/evidence-sweeper';
import { ScratchCleaner } from './storage/scratch-cleaner';
import { createEvidenceStorage } from './storage/create-evidence-storage';
import { CustomerEvidenceFiles } from './customer-evidence';
import { AgentEvidenceUploadInterceptor } from './upload/agent-evidence-upload.interceptor';
import { EvidenceUploadInterceptor } from './upload/evidence-upload.interceptor';
import { RecordCustomerEvidence } from './use-cases/record-customer-evidence';
import { UploadEvidenceForCustomer } from './use-cases/upload-evidence-for-customer';
import { DeleteEvidenceFile } from './use-cases/delete-evidence-file';
import { GetMerchantEvidence } from './use-cases/get-merchant-evidence';
import { ListCaseEvidence } from './use-cases/list-case-evidence';
import { OpenEvidenceFile } from './use-cases/open-evidence-file';
import { StageEvidenceFields } from './use-cases/stage-evidence-fields';
import { StageEvidenceFiles } from './use-cases/stage-evidence-files';
import { SubmitEvidence } from './use-cases/submit-evidence';
import { ShareEvidenceWithMerchant } from './use-cases/share-evidence-with-merchant';
import { ListSharedCustomerEvidence } from './use-cases/list-shared-customer-evidence';

const USE_CASES = [
  StageEvidenceFields,
  StageEvidenceFiles,
  DeleteEvidenceFile,
  GetMerchantEvidence,
  SubmitEvidence,
  ListCaseEvidence,
  OpenEvidenceFile,
  RecordCustomerEvidence,
  UploadEvidenceForCustomer,
  ShareEvidenceWithMerchant,
  ListSharedCustomerEvidence,
];

/**
 * Dispute evidence: staging, files, submission. Storage follows EVIDENCE_STORAGE: local disk by
 * default, or an S3-compatible bucket (S3CompatibleEvidenceStorage on @aws-sdk/client-s3).
 */
@Module({
  imports: [CasesModule, MerchantsModule, IdempotencyModule],
  providers: [
    { provide: EvidenceStorage, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createEvidenceStorage(config.evidence) },
    EvidenceUploadInterceptor,
    AgentEvidenceUploadInterceptor,
    CustomerEvidenceFiles,
    ScratchCleaner,
    ...USE_CASES,
  ],
  exports: [EvidenceStorage, EvidenceUploadInterceptor, AgentEvidenceUploadInterceptor, CustomerEvidenceFiles, ScratchCleaner, IdempotencyModule, ...USE_CASES],
})
export class EvidenceModule {}

/** The orphan sweep (a timer); imported by the workers, never by a plain API process. */
@Module({
  imports: [EvidenceModule],
  providers: [EvidenceSweeper],
  exports: [EvidenceSweeper],
})
export class EvidenceWorkerModule {}
