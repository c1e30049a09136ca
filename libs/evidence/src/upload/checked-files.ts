import { DomainError, DomainErrorCode } from '@app/domain';
import { newStorageKey } from '../storage/storage-key';
import { safeDisplayName } from './file-name';
import { EVIDENCE_CONTENT_TYPES, sniffContentType, type EvidenceContentType } from './magic-bytes';
import type { UploadedEvidenceFile } from './evidence-upload.interceptor';

export interface CheckedEvidenceFile extends UploadedEvidenceFile {
  contentType: EvidenceContentType;
  /** The uploader's file name made safe to show. */
  name: string;
  storageKey: string;
}

/**
 * Judges every uploaded file by its bytes before any is stored: a type we do not take, or a
 * declared type the content contradicts, is a 415 for the whole upload.
 */
export function checkUploadedFiles(files: UploadedEvidenceFile[], now: Date): CheckedEvidenceFile[] {
  return files.map((file) => {
    const contentType = sniffContentType(file.head);
    const name = safeDisplayName(file.originalName);
    if (!contentType) {
      throw new DomainError(DomainErrorCode.UnsupportedMediaType, `"${name}" is not a PDF, PNG, JPEG or plain-text file (judged by its content, not its name).`, {
        filename: name,
        accepted: EVIDENCE_CONTENT_TYPES,
      });
    }
    const declared = file.declaredType.toLowerCase().split(';')[0]!.trim();
    // No declared type, or the generic one, is fine; any other type must match the content.
    if (declared !== '' && declared !== 'application/octet-stream' && declared !== contentType) {
      throw new DomainError(DomainErrorCode.UnsupportedMediaType, `"${name}" was sent as ${declared} but its content is ${contentType}.`, {
        filename: name,
        declared,
        detected: contentType,
      });
    }
    return { ...file, contentType, name, storageKey: newStorageKey(now) };
  });
}
