import { mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EvidenceSweeper, ScratchCleaner } from '@app/evidence';
import { filesUnder } from '../support/files-under';
import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';
import { HTML, PDF, PNG } from '../support/evidence-files';

describe('merchant evidence: staging, files, limits, types, submission', () => {
  let t: TestApp;
  let m: TestMerchant;

  beforeAll(async () => {
    t = await startTestApp({ EVIDENCE_MAX_FILE_BYTES: String(5 * 1024 * 1024), EVIDENCE_MAX_CASE_BYTES: String(6 * 1024 * 1024) });
    m = await t.createMerchant();
  });
  afterAll(() => t.close());

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
  const footprint = async (id: string) => {
    const [rows] = await t.sql(
      `select (select count(*) from evidence_files where case_id = $1) as files, (select count(*) from evidence_submissions where case_id = $1) as submissions,
              (select count(*) from idempotency_keys) as keys`,
      [id],
    );
    return { rows, stored: filesUnder(t.storageDir) };
  };

  it('a 20 MB upload is a 413 and nothing is stored', async () => {
    const id = await forwardedDispute();
    const before = await footprint(id);
    const big = Buffer.concat([PDF, Buffer.alloc(20 * 1024 * 1024, 0x20)]);
    const response = await upload(id).set('Idempotency-Key', 'big-1').attach('file', big, 'big.pdf');
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
    // Within what the dispute may still hold, so only the per-file limit, counted on the stream, stops it.
    const chunked = await upload(id)
      .field('category', 'receipt')
      .attach('file', Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024 + 1, 0x20)]), 'just-over.pdf');
    expect(chunked.status).toBe(413);
    expect(await footprint(id)).toEqual(before);
  });

  it('the per-dispute total is enforced across uploads', async () => {
    const id = await forwardedDispute();
    const fourMb = Buffer.concat([PDF, Buffer.alloc(4 * 1024 * 1024, 0x20)]);
    await upload(id).attach('file', fourMb, 'a.pdf').expect(200);
    const before = await footprint(id);
    const second = await upload(id).attach('file', fourMb, 'b.pdf').expect(413);
    expect(second.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await footprint(id)).toEqual(before);
  });

  it('an HTML file named .pdf (and sent as application/pdf) is a 415 and nothing is stored', async () => {
    const id = await forwardedDispute();
    const before = await footprint(id);
    const response = await upload(id).attach('file', HTML, { filename: 'receipt.pdf', contentType: 'application/pdf' });
    expect(response.status).toBe(415);
    expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const mismatch = await upload(id).attach('file', PNG, { filename: 'photo.pdf', contentType: 'application/pdf' });
    expect(mismatch.status).toBe(415);
    const notMultipart = await upload(id).set('Content-Type', 'application/pdf').send(PDF.toString('latin1'));
    expect(notMultipart.status).toBe(415);
    expect(await footprint(id)).toEqual(before);
  });

  it('path tricks in file names are harmless: files land under generated names inside the storage folder', async () => {
    const id = await forwardedDispute();
    const names = ['../../../../tmp/evil.pdf', '..\\..\\boot.ini.pdf', '/etc/passwd', '....//....//x.pdf'];
    for (const name of names) {
      await upload(id).attach('file', PDF, name).expect(200);
    }
    // Written by hand: form encoders escape quotes and line breaks, an attacker's client does not
    // have to. filename* is the RFC 5987 form, decoded by the parser before we see it.
    const boundary = 'xYzBoundary';
    const raw = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''..%2F..%2F%2E%2E%2Fetc%2Fcron.d%2F%22%0D%0AX-Injected%3A%20yes.pdf\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      PDF,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    await upload(id).set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(raw).expect(200);
    const evidence = await t.http.get(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', m.auth).expect(200);
    const files = evidence.body.draft.files as Array<{ id: string; filename: string; content_type: string }>;
    expect(files.map((f) => f.filename)).toEqual(['evil.pdf', 'boot.ini.pdf', 'passwd', 'x.pdf', 'X-Injected yes.pdf']);
    const keys = await t.sql<{ storage_key: string }>('select storage_key from evidence_files where case_id = $1', [id]);
    for (const { storage_key } of keys) {
      expect(storage_key).toMatch(/^\d{4}-\d{2}\/[0-9a-f-]{36}$/);
      expect(resolve(t.storageDir, storage_key).startsWith(resolve(t.storageDir))).toBe(true);
      expect(statSync(join(t.storageDir, storage_key)).size).toBe(PDF.length);
    }
    const allKeys = (await t.sql<{ storage_key: string }>('select storage_key from evidence_files')).map((row) => row.storage_key);
    expect(filesUnder(t.storageDir).sort()).toEqual(allKeys.sort());
    const download = await t.http.get(`/v1/merchant/disputes/${id}/evidence/files/${files[4]!.id}/content`).set('Authorization', m.auth).expect(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="X-Injected yes.pdf"/);
    // Opened directly in a browser, the file would be sandboxed: no script, no same-origin access, nothing loaded.
    expect(download.headers['content-security-policy']).toMatch(/^sandbox; default-src 'none'/);
    expect(download.headers['x-injected']).toBeUndefined();
    expect(Buffer.from(download.body).equals(PDF)).toBe(true);
    // The storage folder is not served: no route maps to it.
    await t.http.get(`/${keys[0]!.storage_key}`).expect((r) => expect([401, 404]).toContain(r.status));
  });

  it('stage fields and files, submit (contest), locked afterwards; agents see every file', async () => {
    const id = await forwardedDispute();
    await t.http
      .post(`/v1/merchant/disputes/${id}/evidence`)
      .set('Authorization', m.auth)
      .send({ shipping_proof: 'SF1234567890 delivered 3 May', refund_policy: 'No refunds after 30 days' })
      .expect(200);
    const staged = await t.http.post(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', m.auth).send({ refund_policy: null, product_description: '手机壳' }).expect(200);
    expect(staged.body.draft.fields).toEqual({ shipping_proof: 'SF1234567890 delivered 3 May', product_description: '手机壳' });
    const bad = await t.http.post(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', m.auth).send({ invoice: 'x' }).expect(400);
    const huge = await t.http
      .post(`/v1/merchant/disputes/${id}/evidence`)
      .set('Authorization', m.auth)
      .send({ receipt: 'x'.repeat(200_000) })
      .expect(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    await upload(id).field('category', 'shipping_documentation').attach('file', PNG, 'label.png').expect(200);
    await upload(id).field('category', 'bribes').attach('file', PNG, 'label.png').expect(400);

    const submitted = await t.http.post(`/v1/merchant/disputes/${id}/evidence/submit`).set('Authorization', m.auth).send({}).expect(200);
    expect(submitted.body).toMatchObject({ status: 'under_review', has_evidence: true, submission_count: 1, evidence_due_by: null, allowed_actions: [] });
    const [event] = await t.sql<{ payload: { summary: string }; actor_kind: string; actor_id: string }>(
      `select payload, actor_kind, actor_id from case_events where case_id = $1 and type = 'MERCHANT_CONTEST'`,
      [id],
    );
    expect(event).toMatchObject({ actor_kind: 'merchant', actor_id: m.id });
    expect(event!.payload.summary).toMatch(/shipping_proof, product_description, 1 file/);

    const locked = await t.http.post(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', m.auth).send({ receipt: 'late' }).expect(409);
    expect(locked.body.code).toBe('EVIDENCE_LOCKED');
    await upload(id).attach('file', PDF, 'late.pdf').expect(409);
    await t.http.post(`/v1/merchant/disputes/${id}/evidence/submit`).set('Authorization', m.auth).send({}).expect(409);
    const [{ n }] = await t.sql<{ n: string }>('select count(*) as n from evidence_files where case_id = $1', [id]);
    expect(Number(n)).toBe(1);

    // A second submission only where the machine allows it: the agent asks for more information.
    const current = (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
    await t.http
      .post(`/v1/cases/${id}/events`)
      .set('Authorization', t.auth)
      .send({ type: 'REQUEST_MERCHANT_INFO', payload: { question: 'Signed delivery note?' }, expectedVersion: current.version })
      .expect(200);
    const asked = await t.http.get(`/v1/merchant/disputes/${id}`).set('Authorization', m.auth).expect(200);
    expect(asked.body).toMatchObject({ status: 'needs_response', info_request: { question: 'Signed delivery note?' }, allowed_actions: ['submit_evidence'] });
    expect(asked.body.evidence_due_by).not.toBeNull();
    await t.http.post(`/v1/merchant/disputes/${id}/evidence/submit`).set('Authorization', m.auth).send({}).expect(400);
    await upload(id).attach('file', PDF, 'signed-note.pdf').expect(200);
    const second = await t.http.post(`/v1/merchant/disputes/${id}/evidence/submit`).set('Authorization', m.auth).send({ summary: 'Signed note attached' }).expect(200);
    expect(second.body).toMatchObject({ status: 'under_review', submission_count: 2 });
    const types = await t.sql<{ type: string }>(`select type from case_events where case_id = $1 and actor_kind = 'merchant' order by id`, [id]);
    expect(types.map((row) => row.type)).toEqual(['MERCHANT_CONTEST', 'MERCHANT_INFO_PROVIDED']);

    const agentView = await t.http.get(`/v1/cases/${id}/evidence`).set('Authorization', t.auth).expect(200);
    expect(agentView.body.submissions.map((s: { number: number; files: unknown[] }) => [s.number, s.files.length])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    const fileId = agentView.body.submissions[1].files[0].id;
    const agentDownload = await t.http.get(`/v1/cases/${id}/evidence/files/${fileId}/content`).set('Authorization', t.auth).expect(200);
    expect(Buffer.from(agentDownload.body).equals(PDF)).toBe(true);
    await t.http.get(`/v1/cases/${id}/evidence/files/${fileId}/content`).expect(401);
    await t.http.delete(`/v1/merchant/disputes/${id}/evidence/files/${fileId}`).set('Authorization', m.auth).expect(409);
  });

  it('a staged file can be removed before submission, and its stored file goes with it', async () => {
    const id = await forwardedDispute();
    const staged = await upload(id).attach('file', PDF, 'oops.pdf').expect(200);
    const file = staged.body.draft.files[0];
    const [{ storage_key }] = await t.sql<{ storage_key: string }>('select storage_key from evidence_files where id = $1', [file.id]);
    await t.http.delete(`/v1/merchant/disputes/${id}/evidence/files/${file.id}`).set('Authorization', m.auth).expect(200);
    expect(filesUnder(t.storageDir)).not.toContain(storage_key);
  });

  it('the same upload with the same idempotency key is stored once and answered byte for byte', async () => {
    const id = await forwardedDispute();
    const first = await upload(id).set('Idempotency-Key', 'upload-1').field('category', 'receipt').attach('file', PDF, 'r.pdf').expect(200);
    const again = await upload(id).set('Idempotency-Key', 'upload-1').field('category', 'receipt').attach('file', PDF, 'r.pdf').expect(200);
    expect(again.text).toBe(first.text);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await upload(id).set('Idempotency-Key', 'upload-1').field('category', 'receipt').attach('file', PNG, 'r.png');
    expect(other.status).toBe(422);
    const [{ n }] = await t.sql<{ n: string }>('select count(*) as n from evidence_files where case_id = $1', [id]);
    expect(Number(n)).toBe(1);
  });

  it('a retried upload gets its stored answer even after the dispute filled up or moved on', async () => {
    const id = await forwardedDispute();
    const first = await upload(id).set('Idempotency-Key', 'upload-late-1').field('category', 'receipt').attach('file', PDF, 'r.pdf').expect(200);
    // The dispute's evidence budget is now taken (as if by this upload) and the evidence is submitted.
    await t.sql(`update evidence_files set size_bytes = $2 where case_id = $1`, [id, t.app.get<AppConfig>(APP_CONFIG).evidence.maxCaseBytes]);
    expect((await upload(id).attach('file', PDF, 'another.pdf')).status).toBe(413);
    // A not-received dispute is contested with proof of delivery (the dispute's evidence requirements).
    await t.http.post(`/v1/merchant/disputes/${id}/evidence`).set('Authorization', m.auth).send({ shipping_proof: 'SF1234567890 delivered 3 May' }).expect(200);
    await t.http.post(`/v1/merchant/disputes/${id}/evidence/submit`).set('Authorization', m.auth).send({}).expect(200);
    expect((await upload(id).attach('file', PDF, 'another.pdf')).status).toBe(409);

    const again = await upload(id).set('Idempotency-Key', 'upload-late-1').field('category', 'receipt').attach('file', PDF, 'r.pdf').expect(200);
    expect(again.text).toBe(first.text);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // Same key, different files: still refused as a reused key, and nothing is stored.
    expect((await upload(id).set('Idempotency-Key', 'upload-late-1').attach('file', PNG, 'r.png')).status).toBe(422);
    // The key's stored answer belongs to that dispute's route: on another dispute (not open for
    // evidence) the early refusal stands, before a byte of the body is read.
    const { body: notForwarded } = await t.http
      .post('/v1/cases')
      .set('Authorization', t.auth)
      .send(disputeBody({ merchantId: m.id }))
      .expect(201);
    expect((await upload(notForwarded.id).set('Idempotency-Key', 'upload-late-1').field('category', 'receipt').attach('file', PDF, 'r.pdf')).status).toBe(409);
    const [{ n }] = await t.sql<{ n: string }>('select count(*) as n from evidence_files where case_id = $1', [id]);
    expect(Number(n)).toBe(1);
  });

  it('the sweep removes stored files no evidence row refers to, once old enough, and old upload scratch files', async () => {
    const id = await forwardedDispute();
    const staged = await upload(id).attach('file', PDF, 'kept.pdf').expect(200);
    const [{ storage_key: keptKey }] = await t.sql<{ storage_key: string }>('select storage_key from evidence_files where id = $1', [staged.body.draft.files[0].id]);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    const place = (relativePath: string, modifiedAt: Date) => {
      const path = join(t.storageDir, relativePath);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, PDF);
      utimesSync(path, modifiedAt, modifiedAt);
      return path;
    };
    // As a crash between storing and committing leaves them: a file with no row, and a scratch file.
    const orphan = place('2026-01/00000000-0000-4000-8000-00000000dead', twoHoursAgo);
    const young = place('2026-01/00000000-0000-4000-8000-00000000beef', new Date());
    const scratch = place('.incoming/00000000-0000-4000-8000-000000000001.part', twoHoursAgo);
    // Not a key of the engine's shape: whatever it is, the sweep does not touch it.
    const foreign = place('backups/readme.txt', twoHoursAgo);
    utimesSync(join(t.storageDir, keptKey), twoHoursAgo, twoHoursAgo);

    const result = await t.app.get(EvidenceSweeper).sweepOnce();
    expect(result).toMatchObject({ refused: false, orphans: 1, deleted: 1 });
    expect(await t.app.get(ScratchCleaner).cleanOnce()).toBe(1);
    const left = filesUnder(t.storageDir);
    expect(left).toContain(keptKey);
    expect(left).not.toContain('2026-01/00000000-0000-4000-8000-00000000dead');
    expect(() => statSync(orphan)).toThrow();
    expect(() => statSync(scratch)).toThrow();
    // Young enough to belong to an upload still committing: left alone.
    expect(statSync(young).isFile()).toBe(true);
    expect(statSync(foreign).isFile()).toBe(true);
    // The referenced file still downloads.
    await t.http.get(`/v1/merchant/disputes/${id}/evidence/files/${staged.body.draft.files[0].id}/content`).set('Authorization', m.auth).expect(200);
  });

  it('a sweep that finds mostly orphans (a wrong or restored database) deletes nothing', async () => {
    const longAgo = new Date(Date.now() - 2 * 3600_000);
    const planted: string[] = [];
    for (let index = 0; index < 150; index += 1) {
      const path = join(t.storageDir, '2025-01', `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, PDF);
      utimesSync(path, longAgo, longAgo);
      planted.push(path);
    }
    try {
      const result = await t.app.get(EvidenceSweeper).sweepOnce();
      expect(result).toMatchObject({ refused: true, deleted: 0 });
      expect(result.orphans).toBeGreaterThanOrEqual(150);
      for (const path of planted) expect(statSync(path).isFile()).toBe(true);
    } finally {
      rmSync(join(t.storageDir, '2025-01'), { recursive: true, force: true });
    }
  });
});
