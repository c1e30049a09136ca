import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { nodeCommandFor } from '../support/run-build';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');

/** Runs `audit:verify` (the CLI) against the test's database, as an operator would. */
async function auditVerify(databaseUrl: string): Promise<{ code: number; output: string }> {
  const command = nodeCommandFor('apps/cli/src/audit-verify.ts');
  try {
    const { stdout } = await promisify(execFile)(process.execPath, command.args, {
      cwd: ROOT,
      env: { ...process.env, ...command.env, NODE_ENV: 'test', DATABASE_URL: databaseUrl },
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: `${failed.stdout}${failed.stderr}` };
  }
}

describe('the tamper-evident case log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A case with a few timeline rows of different writers: opening, events, a note, an assignment. */
  async function caseWithHistory(): Promise<string> {
    const opened = await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody()).expect(201);
    const id: string = opened.body.id;
    await t.http.post(`/v1/cases/${id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
    await t.http.post(`/v1/cases/${id}/notes`).set('Authorization', t.auth).send({ body: 'Called the customer back.' }).expect(201);
    await t.http.post(`/v1/cases/${id}/assign`).set('Authorization', t.auth).send({ assigneeId: t.adminId }).expect(200);
    return id;
  }
  const proof = async (id: string) => (await t.http.get(`/v1/cases/${id}/audit-proof`).set('Authorization', t.auth).expect(200)).body;
  /** What an attacker with database rights does: switch the append-only rule off, change, switch it on. */
  const tamper = async (statement: string, params: unknown[]) => {
    await t.sql(`alter table case_events disable trigger case_events_no_update_or_delete`);
    try {
      await t.sql(statement, params);
    } finally {
      await t.sql(`alter table case_events enable trigger case_events_no_update_or_delete`);
    }
  };

  it('chains every row of a case, whoever wrote it, and verifies', async () => {
    const id = await caseWithHistory();
    const body = await proof(id);
    expect(body.valid).toBe(true);
    expect(body.problems).toEqual([]);
    expect(body.chain.map((row: { type: string }) => row.type)).toEqual(['xstate.init', 'FORWARD_TO_MERCHANT', 'case.note_added', 'case.assigned']);
    body.chain.forEach((row: { prevHash: string | null; hash: string }, index: number) => {
      expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.prevHash).toBe(index === 0 ? null : body.chain[index - 1].hash);
    });
    expect(body.head).toEqual({ eventId: body.chain[3].eventId, hash: body.chain[3].hash });
  });

  it('writers racing on one case (notes, which take no lock of their own, beside events) still leave one valid chain', async () => {
    const id = await caseWithHistory();
    const { version } = (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
    const notes = Array.from({ length: 12 }, (_, i) =>
      t.http
        .post(`/v1/cases/${id}/notes`)
        .set('Authorization', t.auth)
        .send({ body: `note ${i}` }),
    );
    const events = t.http.post(`/v1/cases/${id}/events`).set('Authorization', t.auth).send({ type: 'WITHDRAW', expectedVersion: version });
    const answers = await Promise.all([...notes, events]);
    expect(answers.map((answer) => answer.status).filter((status) => status >= 400)).toEqual([]);
    const body = await proof(id);
    expect(body.problems).toEqual([]);
    expect(body.chain).toHaveLength(4 + 13);
  });

  it('names exactly the row that was edited in SQL, and only in its case', async () => {
    const id = await caseWithHistory();
    const other = await caseWithHistory();
    const edited = (await proof(id)).chain[1].eventId;
    await tamper(`update case_events set payload = '{"type":"FORWARD_TO_MERCHANT","note":"rewritten"}' where id = $1`, [edited]);
    const body = await proof(id);
    expect(body.valid).toBe(false);
    expect(body.problems).toEqual([expect.objectContaining({ kind: 'content_altered', rowId: edited, caseId: id })]);
    expect((await proof(other)).valid).toBe(true);

    const cli = await auditVerify(t.config.database.url);
    expect(cli.code).toBe(1);
    expect(cli.output).toContain(`content_altered: timeline row ${edited} of case ${id} was changed after it was written`);
  });

  it('a removed row breaks the chain at the row after it; a cut-off tail with its head moved back shows against an anchor', async () => {
    const id = await caseWithHistory();
    const chain = (await proof(id)).chain;
    await tamper(`delete from case_events where id = $1`, [chain[1].eventId]);
    expect((await proof(id)).problems).toEqual([expect.objectContaining({ kind: 'chain_broken', rowId: chain[2].eventId })]);

    const anchoredCase = await caseWithHistory();
    const anchor = await t.http.post('/v1/audit/anchors').set('Authorization', t.auth).expect(200);
    expect(anchor.body.heads).toBeGreaterThan(0);
    const anchored = (await proof(anchoredCase)).anchor;
    expect(anchored).toMatchObject({ id: anchor.body.anchorId });
    // The attacker removes the last row and moves the head back, so the chain itself looks whole.
    const last = (await proof(anchoredCase)).chain[3];
    const previous = (await proof(anchoredCase)).chain[2];
    await tamper(`delete from case_events where id = $1`, [last.eventId]);
    await t.sql(`update case_log_heads set event_id = $1, hash = $2 where case_id = $3`, [previous.eventId, previous.hash, anchoredCase]);
    const body = await proof(anchoredCase);
    expect(body.problems).toEqual([expect.objectContaining({ kind: 'anchored_row_changed', rowId: last.eventId })]);
  });

  it('anchors are chained, listed for export, and append-only', async () => {
    await caseWithHistory();
    await t.http.post('/v1/audit/anchors').set('Authorization', t.auth).expect(200);
    const agent = await t.login('agent-no-anchor@test.local', 'agent');
    await t.http.post('/v1/audit/anchors').set('Authorization', agent.auth).expect(403);
    await t.http.get('/v1/audit/anchors').set('Authorization', agent.auth).expect(403);
    const list = (await t.http.get('/v1/audit/anchors?limit=2').set('Authorization', t.auth).expect(200)).body.data;
    expect(list[0].prevHash).toBe(list[1].hash);
    await expect(t.sql(`update audit_anchors set hash = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`delete from audit_anchor_heads`)).rejects.toThrow(/append-only/);
  });

  it('an unknown or malformed case id is a 404, and agents cannot read proofs', async () => {
    await t.http.get('/v1/cases/00000000-0000-4000-8000-000000000000/audit-proof').set('Authorization', t.auth).expect(404);
    expect((await t.http.get('/v1/cases/not-a-case/audit-proof').set('Authorization', t.auth).expect(404)).body.code).toBe('CASE_NOT_FOUND');
    const agent = await t.login('agent-no-proof@test.local', 'agent');
    const id = await caseWithHistory();
    await t.http.get(`/v1/cases/${id}/audit-proof`).set('Authorization', agent.auth).expect(403);
  });
});
