import { MikroORM, RequestContext } from '@mikro-orm/core';
import { VerifyCaseReplay } from '@app/cases';
import { acceptForMerchant } from '../support/four-eyes';
import { PNG } from '../support/evidence-files';
import { waitFor } from '../support/wait-for';
import { disputeBody, startTestApp, type TestApp } from '../support/test-app';

/**
 * Working the queue: saved views (per agent, shared by supervisors), links between cases and
 * merging a duplicate into its original, with their role checks and bad input.
 */
describe('saved views, linked cases and merging duplicates', () => {
  let t: TestApp;
  let agent: { auth: string; id: string };
  let colleague: { auth: string; id: string };
  let supervisor: { auth: string; id: string };

  beforeAll(async () => {
    t = await startTestApp();
    agent = await t.login('agent@views.test', 'agent');
    colleague = await t.login('colleague@views.test', 'agent');
    supervisor = await t.login('sup@views.test', 'supervisor');
  });
  afterAll(() => t.close());

  const open = async (overrides: Record<string, unknown> = {}) => (await t.http.post('/v1/cases').set('Authorization', t.auth).send(disputeBody(overrides)).expect(201)).body;
  const timeline = async (id: string) =>
    (await t.http.get(`/v1/cases/${id}/timeline`).set('Authorization', t.auth).expect(200)).body as Array<{
      type: string;
      payload: Record<string, unknown>;
      actor: { kind: string; id: string };
    }>;
  const countRows = async (table: string) => Number((await t.sql<{ n: string }>(`select count(*) as n from ${table}`))[0]!.n);

  describe('saved views', () => {
    it('saves, lists, renames and deletes an agent’s own views; colleagues never see a private one', async () => {
      const query = { tab: 'byKind', kind: 'dispute', state: 'investigation.reviewing', priority: 'high', q: '王' };
      const { body: saved } = await t.http.post('/v1/saved-views').set('Authorization', agent.auth).send({ name: ' Reviewing disputes ', query }).expect(201);
      expect(saved).toMatchObject({ name: 'Reviewing disputes', query, shared: false, mine: true, owner: { id: agent.id } });

      expect((await t.http.get('/v1/saved-views').set('Authorization', agent.auth).expect(200)).body).toEqual([saved]);
      expect((await t.http.get('/v1/saved-views').set('Authorization', colleague.auth).expect(200)).body).toEqual([]);

      const renamed = await t.http
        .patch(`/v1/saved-views/${saved.id}`)
        .set('Authorization', agent.auth)
        .send({ name: 'Mine to review', query: { tab: 'mine' } })
        .expect(200);
      expect(renamed.body).toMatchObject({ id: saved.id, name: 'Mine to review', query: { tab: 'mine' } });
      // Someone else's view does not exist for them, to change or to delete.
      expect((await t.http.patch(`/v1/saved-views/${saved.id}`).set('Authorization', colleague.auth).send({ name: 'taken' }).expect(404)).body.code).toBe('SAVED_VIEW_NOT_FOUND');
      expect((await t.http.delete(`/v1/saved-views/${saved.id}`).set('Authorization', colleague.auth).expect(404)).body.code).toBe('SAVED_VIEW_NOT_FOUND');

      await t.http.delete(`/v1/saved-views/${saved.id}`).set('Authorization', agent.auth).expect(204);
      expect((await t.http.get('/v1/saved-views').set('Authorization', agent.auth).expect(200)).body).toEqual([]);
      expect((await t.http.delete(`/v1/saved-views/${saved.id}`).set('Authorization', agent.auth).expect(404)).body.code).toBe('SAVED_VIEW_NOT_FOUND');
    });

    it('lets supervisors share a view with the team (read-only to others); agents may not share', async () => {
      const refused = await t.http
        .post('/v1/saved-views')
        .set('Authorization', agent.auth)
        .send({ name: 'For all', query: { tab: 'overdue' }, shared: true })
        .expect(403);
      expect(refused.body.code).toBe('FORBIDDEN');
      const { body: own } = await t.http
        .post('/v1/saved-views')
        .set('Authorization', agent.auth)
        .send({ name: 'Mine', query: { tab: 'overdue' } })
        .expect(201);
      expect((await t.http.patch(`/v1/saved-views/${own.id}`).set('Authorization', agent.auth).send({ shared: true }).expect(403)).body.code).toBe('FORBIDDEN');

      const { body: team } = await t.http
        .post('/v1/saved-views')
        .set('Authorization', supervisor.auth)
        .send({ name: 'Breached', query: { tab: 'overdue' }, shared: true })
        .expect(201);
      const seen = (await t.http.get('/v1/saved-views').set('Authorization', colleague.auth).expect(200)).body;
      expect(seen).toEqual([expect.objectContaining({ id: team.id, shared: true, mine: false, owner: { id: supervisor.id, displayName: 'sup' } })]);
      // The agent sees their own first, then the team's.
      expect((await t.http.get('/v1/saved-views').set('Authorization', agent.auth).expect(200)).body.map((v: { id: string }) => v.id)).toEqual([own.id, team.id]);
      expect((await t.http.patch(`/v1/saved-views/${team.id}`).set('Authorization', colleague.auth).send({ name: 'x' }).expect(404)).body.code).toBe('SAVED_VIEW_NOT_FOUND');

      await t.http.patch(`/v1/saved-views/${team.id}`).set('Authorization', supervisor.auth).send({ shared: false }).expect(200);
      expect((await t.http.get('/v1/saved-views').set('Authorization', colleague.auth).expect(200)).body).toEqual([]);
    });

    it('refuses bad input with 400 VALIDATION_FAILED and a taken name with 409, storing nothing', async () => {
      await t.http.post('/v1/saved-views').set('Authorization', colleague.auth).send({ name: 'Taken', query: {} }).expect(201);
      const before = await countRows('saved_views');
      const bad: unknown[] = [
        {},
        { name: '', query: {} },
        { name: '   ', query: {} },
        { name: 'x'.repeat(81), query: {} },
        { name: 'ok' },
        { name: 'ok', query: 'tab=mine' },
        { name: 'ok', query: { tab: 'everything' } },
        { name: 'ok', query: { kind: 'chargeback' } },
        { name: 'ok', query: { state: 'drop table' } },
        { name: 'ok', query: { assigneeId: 'someone' } },
        { name: 'ok', query: { q: 'x'.repeat(201) } },
        { name: 'ok', query: {}, shared: 'yes' },
        { name: 'ok', query: {}, owner: agent.id },
      ];
      for (const body of bad) {
        const response = await t.http
          .post('/v1/saved-views')
          .set('Authorization', colleague.auth)
          .send(body as object);
        expect({ body, status: response.status, code: response.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
      }
      const taken = await t.http.post('/v1/saved-views').set('Authorization', colleague.auth).send({ name: 'taken', query: {} }).expect(409);
      expect(taken.body).toMatchObject({ code: 'SAVED_VIEW_NAME_TAKEN', name: 'taken' });
      expect(await countRows('saved_views')).toBe(before);
      for (const id of ['nope', '00000000-0000-4000-8000-000000000000']) {
        expect((await t.http.patch(`/v1/saved-views/${id}`).set('Authorization', colleague.auth).send({ name: 'n' }).expect(404)).body.code).toBe('SAVED_VIEW_NOT_FOUND');
      }
      expect((await t.http.get('/v1/saved-views').expect(401)).body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('related and linked cases', () => {
    it("lists the customer's other cases and the transaction's other cases", async () => {
      const customer = { id: `u_rel_${Date.now()}`, name: '李雷' };
      const a = await open({ customer });
      const b = await open({ customer });
      const refund = await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send({
          kind: 'refund_request',
          channel: 'app',
          subject: 'Refund please',
          customer: { id: 'u_other' },
          transactionRef: a.transactionRef,
          amount: { amountMinor: 500, currency: 'CNY' },
          reason: 'changed_mind',
          purchasedAt: new Date().toISOString(),
        })
        .expect(201);
      const { body } = await t.http.get(`/v1/cases/${a.id}/related`).set('Authorization', agent.auth).expect(200);
      expect(body).toMatchObject({ caseId: a.id, mergedInto: null, links: [] });
      expect(body.sameCustomer.map((c: { id: string }) => c.id)).toEqual([b.id]);
      expect(body.sameTransaction.map((c: { id: string }) => c.id)).toEqual([refund.body.id]);
      for (const id of ['nope', '00000000-0000-4000-8000-000000000000']) {
        expect((await t.http.get(`/v1/cases/${id}/related`).set('Authorization', agent.auth).expect(404)).body.code).toBe('CASE_NOT_FOUND');
      }
    });

    it('links two cases symmetrically, on both timelines; linking again changes nothing; unlinking says so on both', async () => {
      const a = await open();
      const b = await open({ customer: { id: 'u_someone_else' } });
      const linked = await t.http.post(`/v1/cases/${a.id}/links`).set('Authorization', agent.auth).send({ caseId: b.id }).expect(200);
      expect(linked.body.links).toEqual([expect.objectContaining({ kind: 'related', linkedBy: agent.id, case: expect.objectContaining({ id: b.id }) })]);
      const fromB = (await t.http.get(`/v1/cases/${b.id}/related`).set('Authorization', agent.auth).expect(200)).body;
      expect(fromB.links).toEqual([expect.objectContaining({ kind: 'related', case: expect.objectContaining({ id: a.id }) })]);
      await t.http.post(`/v1/cases/${b.id}/links`).set('Authorization', colleague.auth).send({ caseId: a.id }).expect(200);

      for (const [id, other] of [
        [a.id, b.id],
        [b.id, a.id],
      ]) {
        const rows = (await timeline(id)).filter((e) => e.type === 'case.linked');
        expect(rows).toEqual([expect.objectContaining({ payload: { linkedCaseId: other }, actor: expect.objectContaining({ kind: 'agent', id: agent.id }) })]);
      }
      // Links do not change the cases: an agent's pending decision stays valid.
      expect((await t.http.get(`/v1/cases/${a.id}`).set('Authorization', t.auth).expect(200)).body.version).toBe(a.version);

      await t.http.delete(`/v1/cases/${b.id}/links/${a.id}`).set('Authorization', colleague.auth).expect(200);
      expect((await t.http.get(`/v1/cases/${a.id}/related`).set('Authorization', agent.auth).expect(200)).body.links).toEqual([]);
      for (const id of [a.id, b.id]) expect((await timeline(id)).filter((e) => e.type === 'case.unlinked')).toHaveLength(1);
      expect((await t.http.delete(`/v1/cases/${b.id}/links/${a.id}`).set('Authorization', colleague.auth).expect(404)).body.code).toBe('NOT_FOUND');
    });

    it('refuses linking a case to itself, unknown cases and bad bodies, storing nothing', async () => {
      const a = await open();
      const before = await countRows('case_links');
      const self = await t.http.post(`/v1/cases/${a.id}/links`).set('Authorization', agent.auth).send({ caseId: a.id }).expect(422);
      expect(self.body).toMatchObject({ code: 'LINK_REFUSED', reason: 'same_case' });
      const unknown = await t.http.post(`/v1/cases/${a.id}/links`).set('Authorization', agent.auth).send({ caseId: '00000000-0000-4000-8000-000000000000' }).expect(404);
      expect(unknown.body.code).toBe('CASE_NOT_FOUND');
      for (const body of [{}, { caseId: 'nope' }, { caseId: 7 }, { caseId: a.id, extra: true }]) {
        const response = await t.http.post(`/v1/cases/${a.id}/links`).set('Authorization', agent.auth).send(body);
        expect({ body, status: response.status, code: response.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
      }
      expect(await countRows('case_links')).toBe(before);
      expect((await t.http.post(`/v1/cases/${a.id}/links`).send({ caseId: a.id }).expect(401)).body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('merging a duplicate into its original', () => {
    it('closes the duplicate through its machine with a pointer, moves notes and evidence, says so on both timelines; repeating answers the same', async () => {
      const customer = { id: `u_merge_${Date.now()}`, name: '韩梅梅' };
      const original = await open({ customer });
      const duplicate = await open({ customer });
      expect(duplicate.machineVersion).toBe(6);
      await t.http.post(`/v1/cases/${duplicate.id}/notes`).set('Authorization', colleague.auth).send({ body: 'Caller rang twice about the same parcel' }).expect(201);
      await t.http
        .post(`/v1/cases/${duplicate.id}/evidence/files`)
        .set('Authorization', agent.auth)
        .field('party', 'customer')
        .field('category', 'product_photos')
        .attach('file', PNG, 'label.png')
        .expect(200);
      await t.http.post(`/v1/cases/${duplicate.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
      const deadlinesBefore = await t.sql(`select id from deadlines where case_id = $1 and status = 'pending' and kind = 'machine'`, [duplicate.id]);
      expect(deadlinesBefore.length).toBeGreaterThan(0);

      const { body: merged } = await t.http
        .post(`/v1/cases/${duplicate.id}/merge`)
        .set('Authorization', agent.auth)
        .send({ intoCaseId: original.id, expectedVersion: 2 })
        .expect(200);
      expect(merged).toMatchObject({
        intoCaseId: original.id,
        duplicate: { id: duplicate.id, state: 'merged', status: 'done', allowedEvents: [], deadlines: [], details: { mergedInto: original.id } },
      });
      expect(await t.sql(`select id from deadlines where case_id = $1 and status = 'pending'`, [duplicate.id])).toEqual([]);

      const duplicateTimeline = await timeline(duplicate.id);
      expect(duplicateTimeline.at(-1)).toMatchObject({ type: 'MERGE_INTO', payload: { intoCaseId: original.id, mergedBy: 'agent@views.test' } });
      const originalTimeline = await timeline(original.id);
      expect(originalTimeline.filter((e) => e.type === 'case.note_added')).toEqual([
        expect.objectContaining({
          actor: expect.objectContaining({ id: colleague.id }),
          payload: expect.objectContaining({ body: 'Caller rang twice about the same parcel', movedFrom: duplicate.id }),
        }),
      ]);
      expect(originalTimeline.find((e) => e.type === 'case.merged_from')).toMatchObject({
        actor: { kind: 'agent', id: agent.id },
        payload: { duplicateCaseId: duplicate.id, notesCopied: 1, evidenceMoved: 1 },
      });
      const evidence = (await t.http.get(`/v1/cases/${original.id}/evidence`).set('Authorization', agent.auth).expect(200)).body;
      expect(evidence.customer_files).toEqual([expect.objectContaining({ filename: 'label.png' })]);
      const related = (await t.http.get(`/v1/cases/${original.id}/related`).set('Authorization', agent.auth).expect(200)).body;
      expect(related.links).toEqual([expect.objectContaining({ kind: 'duplicate', case: expect.objectContaining({ id: duplicate.id, state: 'merged' }) })]);
      expect((await t.http.get(`/v1/cases/${duplicate.id}/related`).set('Authorization', agent.auth).expect(200)).body.mergedInto).toBe(original.id);
      // The original goes on untouched by the machine: same version, same state.
      expect((await t.http.get(`/v1/cases/${original.id}`).set('Authorization', t.auth).expect(200)).body).toMatchObject({ version: original.version, state: 'open' });

      const rowsAfter = await countRows('case_events');
      const again = await t.http.post(`/v1/cases/${duplicate.id}/merge`).set('Authorization', agent.auth).send({ intoCaseId: original.id }).expect(200);
      expect(again.body).toEqual(merged);
      expect(await countRows('case_events')).toBe(rowsAfter);
      // Both case logs stay one valid chain, and the merged duplicate replays to its stored snapshot like every case.
      for (const id of [duplicate.id, original.id]) expect((await t.http.get(`/v1/cases/${id}/audit-proof`).set('Authorization', t.auth).expect(200)).body.valid).toBe(true);
      const replay = await RequestContext.create(t.app.get(MikroORM).em, () => t.app.get(VerifyCaseReplay).execute({ batchSize: 10 }));
      expect(replay.mismatches).toEqual([]);
    });

    it('refuses merging into itself, across customers, into or from closed and merged cases, and chains', async () => {
      const customer = { id: `u_rules_${Date.now()}` };
      const original = await open({ customer });
      const duplicate = await open({ customer });
      const stranger = await open({ customer: { id: 'u_stranger' } });
      const merge = (id: string, intoCaseId: string) => t.http.post(`/v1/cases/${id}/merge`).set('Authorization', agent.auth).send({ intoCaseId });
      const refusal = async (id: string, into: string) => {
        const response = await merge(id, into);
        return { status: response.status, code: response.body.code, reason: response.body.reason };
      };
      expect(await refusal(duplicate.id, duplicate.id)).toEqual({ status: 409, code: 'MERGE_REFUSED', reason: 'into_itself' });
      expect(await refusal(duplicate.id, stranger.id)).toEqual({ status: 409, code: 'MERGE_REFUSED', reason: 'not_related' });
      expect(await refusal(duplicate.id, '00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404, code: 'CASE_NOT_FOUND' });

      const withdrawn = await open({ customer });
      await t.http
        .post(`/v1/cases/${withdrawn.id}/events`)
        .set('Authorization', t.auth)
        .send({ type: 'WITHDRAW', payload: { reason: 'sorted out' }, expectedVersion: 1 })
        .expect(200);
      expect(await refusal(duplicate.id, withdrawn.id)).toEqual({ status: 409, code: 'MERGE_REFUSED', reason: 'original_closed' });
      expect(await refusal(withdrawn.id, original.id)).toEqual({ status: 409, code: 'MERGE_REFUSED', reason: 'duplicate_closed' });

      await merge(duplicate.id, original.id).expect(200);
      const third = await open({ customer });
      // Not chained: into a merged duplicate is refused, naming its original.
      expect((await merge(third.id, duplicate.id).expect(409)).body).toMatchObject({ code: 'MERGE_REFUSED', reason: 'original_merged', mergedInto: original.id });
      expect((await merge(duplicate.id, third.id).expect(409)).body).toMatchObject({ code: 'MERGE_REFUSED', reason: 'already_merged', mergedInto: original.id });

      // A case on a machine version from before the merge keeps its lifecycle: it is not merged.
      const older = await open({ customer });
      await t.sql(`update cases set machine_version = 3 where id = $1`, [older.id]);
      expect(await refusal(older.id, third.id)).toEqual({ status: 409, code: 'MERGE_REFUSED', reason: 'machine_version' });

      // Nothing half-written: the refused attempts left no link and no timeline row behind.
      expect(await t.sql(`select case_a from case_links where $1 in (case_a, case_b)`, [third.id])).toEqual([]);
      expect((await timeline(third.id)).map((e) => e.type)).toEqual(['xstate.init']);
    });

    it('refuses a duplicate with a refund in flight (409 MERGE_MONEY_INVOLVED), changing nothing', async () => {
      const customer = { id: `u_money_${Date.now()}` };
      const original = await open({ customer });
      // SLOW-: the wallet keeps the refund processing.
      const paying = await open({ customer, transactionRef: `SLOW-${Date.now()}` });
      await t.http.post(`/v1/cases/${paying.id}/events`).set('Authorization', t.auth).send({ type: 'FORWARD_TO_MERCHANT', expectedVersion: 1 }).expect(200);
      await acceptForMerchant(t, paying.id, 2);
      const inFlight = await waitFor('the refund to be requested', async () => {
        const view = (await t.http.get(`/v1/cases/${paying.id}`).set('Authorization', t.auth).expect(200)).body;
        return view.refunds?.length ? view : undefined;
      });
      const refused = await t.http.post(`/v1/cases/${paying.id}/merge`).set('Authorization', agent.auth).send({ intoCaseId: original.id }).expect(409);
      expect(refused.body).toMatchObject({ code: 'MERGE_MONEY_INVOLVED', refunds: 1 });
      const after = (await t.http.get(`/v1/cases/${paying.id}`).set('Authorization', t.auth).expect(200)).body;
      expect([after.state, after.version]).toEqual([inFlight.state, inFlight.version]);
    });

    it('refuses bad bodies and stale versions without a change', async () => {
      const customer = { id: `u_badmerge_${Date.now()}` };
      const original = await open({ customer });
      const duplicate = await open({ customer });
      for (const body of [
        {},
        { intoCaseId: 'nope' },
        { intoCaseId: original.id, expectedVersion: 'one' },
        { intoCaseId: original.id, expectedVersion: 0 },
        { intoCaseId: original.id, force: true },
      ]) {
        const response = await t.http.post(`/v1/cases/${duplicate.id}/merge`).set('Authorization', agent.auth).send(body);
        expect({ body, status: response.status, code: response.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
      }
      const stale = await t.http.post(`/v1/cases/${duplicate.id}/merge`).set('Authorization', agent.auth).send({ intoCaseId: original.id, expectedVersion: 7 }).expect(409);
      expect(stale.body.code).toBe('VERSION_CONFLICT');
      expect((await t.http.post(`/v1/cases/nope/merge`).set('Authorization', agent.auth).send({ intoCaseId: original.id }).expect(404)).body.code).toBe('CASE_NOT_FOUND');
      expect((await t.http.post(`/v1/cases/${duplicate.id}/merge`).send({ intoCaseId: original.id }).expect(401)).body.code).toBe('UNAUTHENTICATED');
      // Agents cannot close a case as merged by sending the machine event themselves.
      const bare = await t.http
        .post(`/v1/cases/${duplicate.id}/events`)
        .set('Authorization', t.auth)
        .send({ type: 'MERGE_INTO', payload: { intoCaseId: original.id, mergedBy: 'me' }, expectedVersion: 1 })
        .expect(403);
      expect(bare.body.code).toBe('EVENT_NOT_PERMITTED');
      expect((await t.http.get(`/v1/cases/${duplicate.id}`).set('Authorization', t.auth).expect(200)).body).toMatchObject({ state: 'open', version: 1 });
    });
  });
});
