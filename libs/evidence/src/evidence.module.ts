import { Module } from '@nestjs/common';
import { CasesModule } from '@app/cases';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { MerchantsModule } from '@app/merchants';
import { EvidenceStorage } from './storage/evidence-storage';
import { LocalDiskEvidenceStorage } from './storage/local-disk-storage';
import { EvidenceUploadInterceptor } from './upload/evidence-upload.interceptor';
import { DeleteEvidenceFile } from './use-cases/delete-evidence-file';
import { GetMerchantEvidence } from './use-cases/get-merchant-evidence';
import { ListCaseEvidence } from './use-cases/list-case-evidence';
import { OpenEvidenceFile } from './use-cases/open-evidence-file';
import { StageEvidenceFields } from './use-cases/stage-evidence-fields';
import { StageEvidenceFiles } from './use-cases/stage-evidence-files';
import { SubmitEvidence } from './use-cases/submit-evidence';

const USE_CASES = [StageEvidenceFields, StageEvidenceFiles, DeleteEvidenceFile, GetMerchantEvidence, SubmitEvidence, ListCaseEvidence, OpenEvidenceFile];

/**
 * Dispute evidence: staging, files, submission. Storage is local disk by default; production may
 * override the EvidenceStorage provider with an S3CompatibleEvidenceStorage.
 */
@Module({
  imports: [CasesModule, MerchantsModule],
  providers: [
    { provide: EvidenceStorage, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new LocalDiskEvidenceStorage(config.evidence.storageDir) },
    EvidenceUploadInterceptor,
    ...USE_CASES,
  ],
  exports: [EvidenceStorage, EvidenceUploadInterceptor, ...USE_CASES],
})
export class EvidenceModule {}
