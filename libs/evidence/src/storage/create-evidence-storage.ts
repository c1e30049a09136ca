import { join } from 'node:path';
import type { AppConfig } from '@app/config';
import { AwsSdkObjectStoreClient } from './aws-sdk-object-store-client';
import type { EvidenceStorage } from './evidence-storage';
import { LocalDiskEvidenceStorage } from './local-disk-storage';
import { S3CompatibleEvidenceStorage } from './s3-compatible-storage';

/** The adapter EVIDENCE_STORAGE selects (see libs/config). */
export function createEvidenceStorage(evidence: AppConfig['evidence']): EvidenceStorage {
  const settings = evidence.storage;
  if (settings.kind === 'local') return new LocalDiskEvidenceStorage(evidence.storageDir);
  // Uploads are parsed to temporary files first (limits, magic bytes, digest), then sent to the bucket.
  return new S3CompatibleEvidenceStorage(AwsSdkObjectStoreClient.fromConfig(settings), settings.bucket, join(evidence.storageDir, '.incoming'));
}
