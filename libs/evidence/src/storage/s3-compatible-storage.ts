import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { EvidenceStorage } from './evidence-storage';

/**
 * The few calls the engine needs from an S3-compatible object store (AWS S3, MinIO, Aliyun OSS,
 * Tencent COS). Production wires it to its SDK of choice (e.g. @aws-sdk/client-s3's PutObject,
 * GetObject, DeleteObject); the engine does not bundle one.
 */
export interface ObjectStoreClient {
  putObject(input: { bucket: string; key: string; body: Readable; contentType: string; contentLength: number }): Promise<void>;
  getObject(input: { bucket: string; key: string }): Promise<Readable>;
  deleteObject(input: { bucket: string; key: string }): Promise<void>;
}

/** Evidence in a private bucket; uploads are parsed to a local temporary file first, then sent. */
export class S3CompatibleEvidenceStorage extends EvidenceStorage {
  constructor(
    private readonly client: ObjectStoreClient,
    private readonly bucket: string,
    private readonly scratchDir: string,
  ) {
    super();
  }

  incomingDir(): string {
    return this.scratchDir;
  }

  async put(key: string, sourcePath: string, meta: { contentType: string; sizeBytes: number }): Promise<void> {
    await this.client.putObject({ bucket: this.bucket, key, body: createReadStream(sourcePath), contentType: meta.contentType, contentLength: meta.sizeBytes });
    await rm(sourcePath, { force: true });
  }

  open(key: string): Promise<Readable> {
    return this.client.getObject({ bucket: this.bucket, key });
  }

  delete(key: string): Promise<void> {
    return this.client.deleteObject({ bucket: this.bucket, key });
  }
}
