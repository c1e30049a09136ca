import { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '@app/config';
import { EvidenceStorage, EvidenceSweeper } from '@app/evidence';
import { filesUnder } from '../support/files-under';
import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';
import { PDF, PNG } from '../support/evidence-files';
import { S3RVER_KEY, startS3Server, type TestS3Server } from '../support/s3-server';

describe('merchant evidence in an S3-compatible bucket (EVIDENCE_STORAGE=s3, s3rver)', () => {
  let s3: TestS3Server;
  let t: TestApp;
  let m: TestMerchant;

  beforeAll(async () => {
    s3 = await startS3Server();
    t = await startTestApp({
      EVIDENCE_STORAGE: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_ACCESS_KEY_ID: S3RVER_KEY,
      S3_SECRET_ACCESS_KEY: S3RVER_KEY,
      S3_FORCE_PATH_STYLE: 'true',
      EVIDENCE_MAX_FILE_BYTES: String(1024 * 1024),
    });
    m = await t.createMerchant();
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  const forwardedDispute = async () => {
    const { body } = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ merchantId: m.id }))
      .expect(201);
    await t.http.post(`/v1/cases/${body.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    return body.id as string;
  };
  const upload = (id: string) => t.http.post(`/v1/merchant/disputes/${id}/evidence/files`).set('Authorization', m.auth);
  const storageKeys = async (id: string) =>
    (await t.sql<{ storage_key: string }>('select storage_key from evidence_files where case_id = $1 order by created_at, storage_key', [id])).map((row) => row.storage_key);

  it('the config selects the S3 adapter', () => {
    expect(t.config.evidence.storage).toEqual({
      kind: 's3',
      endpoint: s3.endpoint,
      region: 'us-east-1',
      bucket: s3.bucket,
      credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
      forcePathStyle: true,
    });
  });

  it('uploaded files land in the bucket, not on local disk, and download byte for byte', async () => {
    const id = await forwardedDispute();
    const pdf = await upload(id).field('category', 'receipt').attach('file', PDF, 'receipt.pdf').expect(200);
    await upload(id).attach('file', PNG, 'label.png').expect(200);

    const keys = await storageKeys(id);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key).toMatch(/^\d{4}-\d{2}\/[0-9a-f-]{36}$/);
    const inBucket = await s3.keys();
    expect(inBucket).toEqual(expect.arrayContaining(keys));
    const [{ storage_key: pdfKey }] = await t.sql<{ storage_key: string }>('select storage_key from evidence_files where id = $1', [pdf.body.draft.files[0].id]);
    const head = await s3.head(pdfKey);
    expect(head).toMatchObject({ ContentType: 'application/pdf', ContentLength: PDF.length });
    // Only the parser's (now empty) scratch folder is local; no file is kept there.
    expect(filesUnder(t.storageDir)).toEqual([]);

    const evidence = await t.http.get(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', m.auth).expect(200);
    const files = evidence.body.draft.files as Array<{ id: string; filename: string }>;
    const byName = Object.fromEntries(files.map((file) => [file.filename, file.id]));
    const pdfDownload = await t.http.get(`/v1/merchant/disputes/${id}/evidence/files/${byName['receipt.pdf']}/content`).set('Authorization', m.auth).expect(200);
    expect(pdfDownload.headers['content-type']).toBe('application/pdf');
    expect(pdfDownload.headers['content-length']).toBe(String(PDF.length));
    expect(pdfDownload.headers['content-disposition']).toMatch(/^attachment; filename="receipt.pdf"/);
    expect(Buffer.from(pdfDownload.body).equals(PDF)).toBe(true);
    const pngDownload = await t.http.get(`/v1/cases/${id}/evidence/files/${byName['label.png']}/content`).set('Authorization', t.auth).expect(200);
    expect(pngDownload.headers['content-type']).toBe('image/png');
    expect(Buffer.from(pngDownload.body).equals(PNG)).toBe(true);
    // Authorisation still comes first: no key, no file.
    await t.http.get(`/v1/merchant/disputes/${id}/evidence/files/${byName['receipt.pdf']}/content`).expect(401);
  });

  it('an oversized upload is a 413 and leaves no object behind', async () => {
    const id = await forwardedDispute();
    const before = await s3.keys();
    const big = Buffer.concat([PDF, Buffer.alloc(20 * 1024 * 1024, 0x20)]);
    const response = await upload(id).attach('file', big, 'big.pdf');
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
    // Declared length within the request budget, so only the per-file limit, counted on the stream, stops it.
    const justOver = await upload(id).attach('file', Buffer.concat([PDF, Buffer.alloc(1024 * 1024 + 1, 0x20)]), 'just-over.pdf');
    expect(justOver.status).toBe(413);
    expect(await s3.keys()).toEqual(before);
    expect(await storageKeys(id)).toEqual([]);
    expect(filesUnder(t.storageDir)).toEqual([]);
  });

  it('removing a staged file deletes its object', async () => {
    const id = await forwardedDispute();
    const staged = await upload(id).attach('file', PDF, 'oops.pdf').expect(200);
    const [key] = await storageKeys(id);
    expect(await s3.keys()).toContain(key);
    await t.http.delete(`/v1/merchant/disputes/${id}/evidence/files/${staged.body.draft.files[0].id}`).set('Authorization', m.auth).expect(200);
    expect(await s3.keys()).not.toContain(key);
  });

  it('the sweep removes objects no evidence row refers to and keeps the referenced ones', async () => {
    const id = await forwardedDispute();
    await upload(id).attach('file', PDF, 'kept.pdf').expect(200);
    const [keptKey] = await storageKeys(id);
    const orphanKey = '2026-01/00000000-0000-4000-8000-00000000dead';
    await s3.put(orphanKey, PDF);
    // Someone else's object in the same bucket: not of the engine's key shape, never deleted.
    await s3.put('other-app/report.csv', Buffer.from('a,b\n'));
    // Two hours from now, every object in the bucket is past the grace period.
    const later: Clock = { now: () => new Date(Date.now() + 2 * 3600_000) };
    const sweeper = new EvidenceSweeper(t.app.get(EntityManager), t.app.get(EvidenceStorage), later, t.config);
    const result = await sweeper.sweepOnce();
    expect(result).toMatchObject({ refused: false, orphans: 1, deleted: 1 });
    const left = await s3.keys();
    expect(left).toContain(keptKey);
    expect(left).not.toContain(orphanKey);
    expect(left).toContain('other-app/report.csv');
  });
});
