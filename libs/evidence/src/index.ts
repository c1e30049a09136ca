export { EvidenceModule, EvidenceWorkerModule } from './evidence.module';
export { EvidenceSweeper, type SweepResult } from './storage/evidence-sweeper';
export { ScratchCleaner } from './storage/scratch-cleaner';
export { EvidenceStorage, type StoredObject } from './storage/evidence-storage';
export { LocalDiskEvidenceStorage } from './storage/local-disk-storage';
export { S3CompatibleEvidenceStorage, type ObjectStoreClient } from './storage/s3-compatible-storage';
export { AwsSdkObjectStoreClient } from './storage/aws-sdk-object-store-client';
export { createEvidenceStorage } from './storage/create-evidence-storage';
export {
  EvidenceUploadInterceptor,
  EvidenceUploadParser,
  UploadedEvidence,
  type EvidenceUpload,
  type UploadForm,
  type UploadRequest,
  type UploadedEvidenceFile,
} from './upload/evidence-upload.interceptor';
export { AgentEvidenceUploadInterceptor } from './upload/agent-evidence-upload.interceptor';
export {
  CUSTOMER_EVIDENCE_CATEGORIES,
  CustomerEvidenceFiles,
  customerEvidenceCategory,
  type CustomerEvidenceCategory,
  type CustomerEvidenceUpload,
  type RecordCustomerFiles,
} from './customer-evidence';
export { RecordCustomerEvidence, type RecordCustomerEvidenceCommand } from './use-cases/record-customer-evidence';
export { UploadEvidenceForCustomer } from './use-cases/upload-evidence-for-customer';
export { EVIDENCE_CONTENT_TYPES, sniffContentType, type EvidenceContentType } from './upload/magic-bytes';
export { contentDisposition, evidenceDownloadHeaders, safeDisplayName } from './upload/file-name';
export { EVIDENCE_FILE_CATEGORIES, EVIDENCE_TEXT_FIELDS, customerEvidenceLocked, type EvidenceFileCategory, type EvidenceTextField } from './evidence-rules';
export type { EvidenceFileView, EvidenceSubmissionView, EvidenceView } from './evidence-view';
export { StageEvidenceFields, type StageEvidenceFieldsCommand } from './use-cases/stage-evidence-fields';
export { StageEvidenceFiles } from './use-cases/stage-evidence-files';
export { DeleteEvidenceFile } from './use-cases/delete-evidence-file';
export { GetMerchantEvidence } from './use-cases/get-merchant-evidence';
export { SubmitEvidence, type SubmitEvidenceCommand } from './use-cases/submit-evidence';
export { ListCaseEvidence } from './use-cases/list-case-evidence';
export { OpenEvidenceFile, type EvidenceFileDownload } from './use-cases/open-evidence-file';
export { ShareEvidenceWithMerchant } from './use-cases/share-evidence-with-merchant';
export { ListSharedCustomerEvidence } from './use-cases/list-shared-customer-evidence';
