import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, createParamDecorator } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import { Observable, from, mergeMap } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DomainError, DomainErrorCode } from '@app/domain';
import { IDEMPOTENCY_HEADER, IdempotencyStore, type IdempotentRequest } from '@app/idempotency';
import { findOwnedDispute, type AuthenticatedMerchant } from '@app/merchants';
import { evidenceBytesUsed, evidenceEventFor, evidenceLocked, tooLarge } from '../evidence-rules';
import { EvidenceStorage } from '../storage/evidence-storage';
import { SNIFF_BYTES } from './magic-bytes';

export interface UploadedEvidenceFile {
  originalName: string;
  declaredType: string;
  tempPath: string;
  sizeBytes: number;
  sha256: string;
  /** The first bytes, for sniffing the type. */
  head: Buffer;
}

export interface EvidenceUpload {
  category: string | undefined;
  files: UploadedEvidenceFile[];
}

interface TemporaryFiles {
  paths: string[];
  /** Settles when each temporary file's writer has closed (finished or destroyed). */
  closed: Array<Promise<void>>;
}

type UploadRequest = IdempotentRequest & { merchant?: AuthenticatedMerchant; evidenceUpload?: EvidenceUpload };

/** Multipart framing (boundaries, part headers) on top of the file bytes themselves. */
const MULTIPART_OVERHEAD = 256 * 1024;
/** After a 413 the rest of the body is read and dropped so the client sees the answer; not forever. */
const DRAIN_CAP = 64 * 1024 * 1024;

/**
 * Streams a multipart upload to temporary files with the limits enforced as bytes arrive: a file
 * over the per-file limit, or files together over what the case has left, stop the upload with a
 * 413 at that byte and leave nothing behind. Ownership and "may evidence be staged now" are
 * checked before a single body byte is read (the latter not for a retry of a request whose
 * answer is stored under its Idempotency-Key). Runs after the merchant guard and before the
 * idempotency interceptor, which hashes the manifest this puts in `request.body`.
 */
@Injectable()
export class EvidenceUploadInterceptor implements NestInterceptor {
  constructor(
    private readonly em: EntityManager,
    private readonly storage: EvidenceStorage,
    private readonly idempotency: IdempotencyStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<UploadRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const temporary: TemporaryFiles = { paths: [], closed: [] };
    // Whatever happens (stored, refused, client gone), temporary files do not outlive the request;
    // they are removed once their writers have closed, so none is created after its removal.
    response.on('close', () => void removeTemporary(temporary));
    return from(this.parse(request, temporary)).pipe(mergeMap(() => next.handle()));
  }

  private async parse(request: UploadRequest, temporary: TemporaryFiles): Promise<void> {
    const merchant = request.merchant;
    if (!merchant) throw new DomainError(DomainErrorCode.Unauthenticated, 'Send a valid API key.');
    const disputeId = String(request.params.id);
    const em = this.em.fork();
    const dispute = await findOwnedDispute(em, merchant.id, disputeId);
    const { maxFileBytes, maxCaseBytes, maxFilesPerRequest } = this.config.evidence;
    // A retry of an upload that already succeeded must get its stored answer, even though the
    // dispute now holds its files (fewer bytes left) or has moved on: the early refusals below are
    // skipped for it, and the idempotency interceptor replays it once the body's digest matches.
    const key = request.headers[IDEMPOTENCY_HEADER];
    const retryOfStored =
      typeof key === 'string' &&
      request.idempotencyScope !== undefined &&
      (await this.idempotency.hasCompleted(request.idempotencyScope, key, request.originalUrl.split('?')[0]!));
    if (!retryOfStored && !evidenceEventFor(dispute)) throw evidenceLocked(disputeId);
    const remaining = retryOfStored ? maxFileBytes * maxFilesPerRequest : maxCaseBytes - (await evidenceBytesUsed(em, dispute.id));
    if (remaining <= 0) throw tooLarge(`This dispute already holds the maximum of ${maxCaseBytes} bytes of evidence files.`, { maxCaseBytes });

    if (!/^multipart\/form-data\s*;/i.test(request.headers['content-type'] ?? '')) {
      throw new DomainError(DomainErrorCode.UnsupportedMediaType, 'Upload files as multipart/form-data.');
    }
    const declaredLength = Number(request.headers['content-length'] ?? NaN);
    const budget = Math.min(remaining, maxFileBytes * maxFilesPerRequest);
    if (Number.isFinite(declaredLength) && declaredLength > budget + MULTIPART_OVERHEAD) {
      drain(request);
      throw tooLarge(`The upload is ${declaredLength} bytes; at most ${maxFileBytes} bytes per file and ${remaining} bytes more for this dispute are accepted.`, {
        maxFileBytes,
        remainingCaseBytes: remaining,
      });
    }

    const incoming = this.storage.incomingDir();
    await mkdir(incoming, { recursive: true, mode: 0o700 });
    request.evidenceUpload = await new Promise<EvidenceUpload>((resolve, reject) => {
      const upload: EvidenceUpload = { category: undefined, files: [] };
      const writers: WriteStream[] = [];
      let writeFailed = false;
      let total = 0;
      let failed = false;
      let parser: ReturnType<typeof busboy>;
      try {
        parser = busboy({
          headers: request.headers,
          defParamCharset: 'utf8',
          limits: { fileSize: Math.min(maxFileBytes, remaining), files: maxFilesPerRequest, fields: 5, fieldSize: 1024, parts: maxFilesPerRequest + 5 },
        });
      } catch (error) {
        // e.g. "multipart/form-data" without a boundary: the client's mistake, not ours.
        drain(request);
        reject(new DomainError(DomainErrorCode.ValidationFailed, `The multipart body cannot be read: ${(error as Error).message}.`, { fields: [{ path: 'content-type', message: 'multipart/form-data with a boundary' }] }));
        return;
      }
      const fail = (error: DomainError) => {
        if (failed) return;
        failed = true;
        request.unpipe(parser);
        for (const writer of writers) writer.destroy();
        drain(request);
        // Answer only once the partial files are gone: "413" means nothing is left on disk.
        void removeTemporary(temporary).finally(() => reject(error));
      };

      parser.on('file', (_field, stream, info) => {
        if (failed) return void stream.resume();
        const tempPath = join(incoming, `${randomUUID()}.part`);
        const hash = createHash('sha256');
        const out = createWriteStream(tempPath, { mode: 0o600 });
        temporary.paths.push(tempPath);
        temporary.closed.push(new Promise<void>((done) => out.on('close', () => done())));
        writers.push(out);
        out.on('error', () => (writeFailed = true));
        stream.on('error', () => {
          writeFailed = true;
          out.destroy();
        });
        const chunks: Buffer[] = [];
        let size = 0;
        let headBytes = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          total += chunk.length;
          hash.update(chunk);
          if (headBytes < SNIFF_BYTES) {
            chunks.push(chunk.subarray(0, SNIFF_BYTES - headBytes));
            headBytes += Math.min(chunk.length, SNIFF_BYTES - headBytes);
          }
          if (total > remaining) {
            fail(tooLarge(`The files exceed the ${maxCaseBytes} bytes of evidence a dispute may hold (${remaining} bytes left).`, { maxCaseBytes, remainingCaseBytes: remaining }));
            stream.destroy();
          }
        });
        stream.on('limit', () => fail(tooLarge(`A file is larger than the ${maxFileBytes} bytes allowed per file.`, { maxFileBytes })));
        stream.pipe(out);
        stream.on('end', () => {
          if (failed) return;
          upload.files.push({
            originalName: info.filename ?? '',
            declaredType: info.mimeType ?? '',
            tempPath,
            sizeBytes: size,
            sha256: hash.digest('hex'),
            head: Buffer.concat(chunks),
          });
        });
      });
      parser.on('field', (name, value, info) => {
        if (name !== 'category' || info.valueTruncated) {
          fail(new DomainError(DomainErrorCode.ValidationFailed, `Unexpected form field "${name}".`, { fields: [{ path: name, message: 'only "category" and files are accepted' }] }));
          return;
        }
        upload.category = value;
      });
      parser.on('filesLimit', () => fail(tooLarge(`At most ${maxFilesPerRequest} files per upload.`, { maxFilesPerRequest })));
      parser.on('partsLimit', () => fail(tooLarge('Too many parts in the upload.')));
      parser.on('fieldsLimit', () => fail(tooLarge('Too many form fields in the upload.')));
      parser.on('error', () => fail(new DomainError(DomainErrorCode.ValidationFailed, 'The multipart body is malformed.')));
      parser.on('close', () => {
        if (failed) return;
        void Promise.all(temporary.closed).then(() => {
          if (failed) return;
          if (writeFailed) return fail(new DomainError(DomainErrorCode.ValidationFailed, 'The upload was interrupted.'));
          if (upload.files.length === 0) {
            return fail(new DomainError(DomainErrorCode.ValidationFailed, 'The upload contains no file.', { fields: [{ path: 'file', message: 'at least one file' }] }));
          }
          resolve(upload);
        });
      });
      request.on('aborted', () => fail(new DomainError(DomainErrorCode.ValidationFailed, 'The upload was interrupted.')));
      request.pipe(parser);
    });
    // What the idempotency key is compared against: the parameters and each file's digest.
    request.body = {
      category: request.evidenceUpload.category ?? null,
      files: request.evidenceUpload.files.map((file) => ({ name: file.originalName, type: file.declaredType, size: file.sizeBytes, sha256: file.sha256 })),
    };
  }
}

async function removeTemporary(temporary: TemporaryFiles): Promise<void> {
  await Promise.all(temporary.closed);
  await Promise.all(temporary.paths.map((path) => rm(path, { force: true })));
}

function drain(request: Request): void {
  let drained = 0;
  request.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_CAP) request.socket.destroy();
  });
  request.resume();
}

export const UploadedEvidence = createParamDecorator((_: unknown, context: ExecutionContext): EvidenceUpload => {
  const upload = context.switchToHttp().getRequest<UploadRequest>().evidenceUpload;
  if (!upload) throw new Error('UploadedEvidence needs the EvidenceUploadInterceptor');
  return upload;
});
