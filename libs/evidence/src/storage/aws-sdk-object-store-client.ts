import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { EvidenceStorageConfig } from '@app/config';
import type { StoredObject } from './evidence-storage';
import type { ObjectStoreClient } from './s3-compatible-storage';

type S3Settings = Extract<EvidenceStorageConfig, { kind: 's3' }>;

/**
 * ObjectStoreClient on @aws-sdk/client-s3: AWS S3, or any S3-compatible store through S3_ENDPOINT
 * (MinIO, Aliyun OSS, Tencent COS…). Bodies stream both ways; nothing is buffered in memory.
 */
export class AwsSdkObjectStoreClient implements ObjectStoreClient {
  constructor(private readonly s3: S3Client) {}

  static fromConfig(settings: S3Settings): AwsSdkObjectStoreClient {
    return new AwsSdkObjectStoreClient(
      new S3Client({
        region: settings.region,
        endpoint: settings.endpoint,
        forcePathStyle: settings.forcePathStyle,
        // A copy: the SDK annotates the credentials object it is given, and the config stays ours.
        credentials: settings.credentials && { ...settings.credentials },
        // Since 2025 the SDK adds CRC32 checksums (aws-chunked trailers) to every upload by default;
        // many S3-compatible stores reject or mishandle them, so with a custom endpoint the SDK sends
        // checksums only where the API requires one. AWS S3 itself keeps the SDK's default.
        ...(settings.endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
      }),
    );
  }

  async putObject(input: { bucket: string; key: string; body: Readable; contentType: string; contentLength: number }): Promise<void> {
    // A known ContentLength lets the SDK stream the file in one PUT (up to 5 GB, far above our limits).
    await this.s3.send(new PutObjectCommand({ Bucket: input.bucket, Key: input.key, Body: input.body, ContentType: input.contentType, ContentLength: input.contentLength }));
  }

  async getObject(input: { bucket: string; key: string }): Promise<Readable> {
    const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: input.bucket, Key: input.key }));
    // In Node the body is the HTTP response itself (an IncomingMessage), streamed as it arrives.
    if (!(Body instanceof Readable)) throw new Error(`object ${input.key} has no readable body`);
    return Body;
  }

  async deleteObject(input: { bucket: string; key: string }): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: input.bucket, Key: input.key }));
  }

  async listObjects(input: { bucket: string; continuation?: string }): Promise<{ objects: StoredObject[]; next?: string }> {
    const page = await this.s3.send(new ListObjectsV2Command({ Bucket: input.bucket, ContinuationToken: input.continuation }));
    return {
      objects: (page.Contents ?? []).filter((object) => object.Key).map((object) => ({ key: object.Key!, modifiedAt: object.LastModified ?? new Date() })),
      next: page.IsTruncated ? page.NextContinuationToken : undefined,
    };
  }

  /** Closes the SDK's keep-alive sockets. */
  destroy(): void {
    this.s3.destroy();
  }
}
