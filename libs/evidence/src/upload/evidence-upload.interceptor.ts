import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, createParamDecorator } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import busboy from 'busboy';
import type { FastifyReply } from 'fastify';
import { Observable, from, mergeMap } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { CaseEntity } from '@app/db';
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
  /** Every form field sent (category included), each within its route's limit. */
  fields: Record<string, string>;
  files: UploadedEvidenceFile[];
}

/** What a route's multipart form may hold besides files. */
export interface UploadForm {
  /** Accepted field names and their maximum length in characters. */
  fields: Record<string, number>;
  /** Whether at least one file is required (an answer to a question may be text alone). */
  requireFile: boolean;
  /** Whether a JSON body with the fields alone (no files) is taken too. */
  acceptsJson?: boolean;
}

interface TemporaryFiles {
  paths: string[];
  /** Settles when each temporary file's writer has closed (finished or destroyed). */
  closed: Array<Promise<void>>;
}

export type UploadRequest = IdempotentRequest & { params: { id: string }; merchant?: AuthenticatedMerchant; evidenceUpload?: EvidenceUpload };

/** Multipart framing (boundaries, part headers) on top of the file bytes themselves. */
const MULTIPART_OVERHEAD = 256 * 1024;
/** After a 413 the rest of the body is read and dropped so the client sees the answer; not forever. */
const DRAIN_CAP = 64 * 1024 * 1024;

/**
 * Streams a multipart upload to temporary files with the limits enforced as bytes arrive: a file
 * over the per-file limit, or files together over what the case has left, stop the upload with a
 * 413 at that byte and leave nothing behind. Who may see the case (`findCase`, a 404) and whether
 * it takes uploads now (`refusalNow`, e.g. a 409) are checked before a single body byte is read
 * (the latter not for a retry of a request whose answer is stored under its Idempotency-Key).
 * Each caller (merchant, customer, agent) has its own subclass. Runs after the caller's guard and
 * before the idempotency interceptor, which hashes the manifest this puts in `request.body`.
 */
@Injectable()
export abstract class EvidenceUploadParser implements NestInterceptor {
  constructor(
    protected readonly em: EntityManager,
    protected readonly storage: EvidenceStorage,
    protected readonly idempotency: IdempotencyStore,
    @Inject(APP_CONFIG) protected readonly config: AppConfig,
  ) {}

  /** The fields the route's form may hold. */
  protected readonly form: UploadForm = { fields: { category: 64 }, requireFile: true };

  /** The case of the route, if the caller may see it; anything else throws the route's 404. */
  protected abstract findCase(request: UploadRequest, em: EntityManager): Promise<CaseEntity>;

  /** Why the case takes no upload now (e.g. evidence locked), or null. */
  protected abstract refusalNow(request: UploadRequest, entity: CaseEntity): DomainError | null;

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<UploadRequest>();
    const response = context.switchToHttp().getResponse<FastifyReply>();
    const temporary: TemporaryFiles = { paths: [], closed: [] };
    // Whatever happens (stored, refused, client gone), temporary files do not outlive the request;
    // they are removed once their writers have closed, so none is created after its removal.
    response.raw.on('close', () => void removeTemporary(temporary));
    return from(this.parse(request, temporary)).pipe(mergeMap(() => next.handle()));
  }

  private async parse(request: UploadRequest, temporary: TemporaryFiles): Promise<void> {
    const em = this.em.fork();
    const dispute = await this.findCase(request, em);
    const form = this.form;
    const { maxFileBytes, maxCaseBytes, maxFilesPerRequest } = this.config.evidence;
    // A retry of an upload that already succeeded must get its stored answer, even though the
    // dispute now holds its files (fewer bytes left) or has moved on: the early refusals below are
    // skipped for it, and the idempotency interceptor replays it once the body's digest matches.
    const key = request.headers[IDEMPOTENCY_HEADER];
    const retryOfStored =
      typeof key === 'string' && request.idempotencyScope !== undefined && (await this.idempotency.hasCompleted(request.idempotencyScope, key, request.originalUrl.split('?')[0]!));
    const refusal = retryOfStored ? null : this.refusalNow(request, dispute);
    if (refusal) throw refusal;
    if (form.acceptsJson && /^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
      request.evidenceUpload = uploadFromJson(request.body, form);
      return;
    }
    const remaining = retryOfStored ? maxFileBytes * maxFilesPerRequest : maxCaseBytes - (await evidenceBytesUsed(em, dispute.id));
    if (remaining <= 0) throw tooLarge(`This dispute already holds the maximum of ${maxCaseBytes} bytes of evidence files.`, { maxCaseBytes });

    if (!/^multipart\/form-data\s*;/i.test(request.headers['content-type'] ?? '')) {
      throw new DomainError(DomainErrorCode.UnsupportedMediaType, 'Upload files as multipart/form-data.');
    }
    const declaredLength = Number(request.headers['content-length'] ?? NaN);
    const budget = Math.min(remaining, maxFileBytes * maxFilesPerRequest);
    if (Number.isFinite(declaredLength) && declaredLength > budget + MULTIPART_OVERHEAD) {
      drain(request.raw);
      throw tooLarge(`The upload is ${declaredLength} bytes; at most ${maxFileBytes} bytes per file and ${remaining} bytes more for this dispute are accepted.`, {
        maxFileBytes,
        remainingCaseBytes: remaining,
      });
    }

    const incoming = this.storage.incomingDir();
    await mkdir(incoming, { recursive: true, mode: 0o700 });
    request.evidenceUpload = await new Promise<EvidenceUpload>((resolve, reject) => {
      const upload: EvidenceUpload = { category: undefined, fields: {}, files: [] };
      const writers: WriteStream[] = [];
      let writeFailed = false;
      let total = 0;
      let failed = false;
      let parser: ReturnType<typeof busboy>;
      try {
        parser = busboy({
          headers: request.headers,
          defParamCharset: 'utf8',
          limits: {
            fileSize: Math.min(maxFileBytes, remaining),
            files: maxFilesPerRequest,
            fields: Object.keys(form.fields).length,
            // Bytes, and UTF-8 takes up to 4 per character: the length in characters is checked below.
            fieldSize: Math.max(...Object.values(form.fields)) * 4,
            parts: maxFilesPerRequest + Object.keys(form.fields).length,
          },
        });
      } catch (error) {
        // e.g. "multipart/form-data" without a boundary: the client's mistake, not ours.
        drain(request.raw);
        reject(
          new DomainError(DomainErrorCode.ValidationFailed, `The multipart body cannot be read: ${(error as Error).message}.`, {
            fields: [{ path: 'content-type', message: 'multipart/form-data with a boundary' }],
          }),
        );
        return;
      }
      const fail = (error: DomainError) => {
        if (failed) return;
        failed = true;
        request.raw.unpipe(parser);
        for (const writer of writers) writer.destroy();
        drain(request.raw);
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
        const maxLength = Object.hasOwn(form.fields, name) ? form.fields[name]! : undefined;
        if (maxLength === undefined) {
          const accepted = Object.keys(form.fields)
            .map((field) => `"${field}"`)
            .join(', ');
          fail(
            new DomainError(DomainErrorCode.ValidationFailed, `Unexpected form field "${name}".`, { fields: [{ path: name, message: `only ${accepted} and files are accepted` }] }),
          );
          return;
        }
        if (info.valueTruncated || value.length > maxLength) {
          fail(
            new DomainError(DomainErrorCode.ValidationFailed, `The form field "${name}" is too long.`, { fields: [{ path: name, message: `at most ${maxLength} characters` }] }),
          );
          return;
        }
        upload.fields[name] = value;
        if (name === 'category') upload.category = value;
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
          if (form.requireFile && upload.files.length === 0) {
            return fail(new DomainError(DomainErrorCode.ValidationFailed, 'The upload contains no file.', { fields: [{ path: 'file', message: 'at least one file' }] }));
          }
          resolve(upload);
        });
      });
      request.raw.on('aborted', () => fail(new DomainError(DomainErrorCode.ValidationFailed, 'The upload was interrupted.')));
      request.raw.pipe(parser);
    });
    // What the idempotency key is compared against: the parameters and each file's digest.
    const { category: _category, ...otherFields } = request.evidenceUpload.fields;
    request.body = {
      category: request.evidenceUpload.category ?? null,
      // Only when there are any, so the merchant upload's hash stays what it was before forms had more fields.
      ...(Object.keys(otherFields).length > 0 ? { fields: otherFields } : {}),
      files: request.evidenceUpload.files.map((file) => ({ name: file.originalName, type: file.declaredType, size: file.sizeBytes, sha256: file.sha256 })),
    };
  }
}

/** Merchants upload to their own disputes while the machine waits for their evidence. */
@Injectable()
export class EvidenceUploadInterceptor extends EvidenceUploadParser {
  protected override findCase(request: UploadRequest, em: EntityManager): Promise<CaseEntity> {
    const merchant = request.merchant;
    if (!merchant) throw new DomainError(DomainErrorCode.Unauthenticated, 'Send a valid API key.');
    return findOwnedDispute(em, merchant, String(request.params.id));
  }

  protected override refusalNow(request: UploadRequest, entity: CaseEntity): DomainError | null {
    return evidenceEventFor(entity) ? null : evidenceLocked(String(request.params.id));
  }
}

/** The fields of a JSON body, held to the same names and limits as the form's. */
function uploadFromJson(body: unknown, form: UploadForm): EvidenceUpload {
  const fields: Record<string, string> = {};
  const issues: Array<{ path: string; message: string }> = [];
  for (const [name, value] of Object.entries(body && typeof body === 'object' ? body : {})) {
    const maxLength = Object.hasOwn(form.fields, name) ? form.fields[name]! : undefined;
    if (maxLength === undefined) issues.push({ path: name, message: `only ${Object.keys(form.fields).join(', ')} are accepted` });
    else if (typeof value !== 'string' || value.length > maxLength) issues.push({ path: name, message: `a string of at most ${maxLength} characters` });
    else fields[name] = value;
  }
  if (issues.length > 0) throw new DomainError(DomainErrorCode.ValidationFailed, 'The request body is invalid.', { fields: issues });
  return { category: fields.category, fields, files: [] };
}

async function removeTemporary(temporary: TemporaryFiles): Promise<void> {
  await Promise.all(temporary.closed);
  await Promise.all(temporary.paths.map((path) => rm(path, { force: true })));
}

function drain(request: IncomingMessage): void {
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
