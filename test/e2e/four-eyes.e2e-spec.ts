import { MikroORM, RequestContext } from '@mikro-orm/core';
import { Client } from 'pg';
import { VerifyCaseReplay } from '@app/cases';
import { disputeBody, startTestApp, type TestApp, type TestMerchant } from '../support/test-app';
import { waitForLockWaiters } from '../support/lock-waiters';
import { waitFor } from '../support/wait-for';

/**
 * Maker–checker over HTTP: refunds above the sender's limit become proposals a second, eligible
 * person approves; the proposer cannot approve; approvals wait with a deadline that escalates;
 * refusals change nothing.
 */
describe('four eyes on money (dispute v3 over the API)', () => {
  let t: TestApp;
  let merchant: TestMerchant;
  let agent: { auth: string; id: string };
  let otherAgent: { auth: string; id: string };
  let supervisor: { auth: string; id: string };
  let otherSupervisor: { auth: string; id: string };

  beforeAll(async () => {
    // Configured limits: agents ¥500 (50,000 fen) as by default; supervisors here only ¥1,000, so an
    // admin must approve above that. The approval window is 2 s so its escalation can be watched.
    t = await startTestApp({ REFUND_LIMITS: 'agent=CNY:50000;supervisor=CNY:100000', APPROVAL_WINDOW_SECONDS: '2' });
    merchant = await t.createMerchant();
    agent = await t.login('ann@test.local', 'agent');
    otherAgent = await t.login('bob@test.local', 'agent');
    supervisor = await t.login('sue@test.local', 'supervisor');
    otherSupervisor = await t.login('sam@test.local', 'supervisor');
  });
  afterAll(() => t.close());

  const getCase = async (id: string, auth = t.auth) => (await t.http.get(`/v1/cases/${id}`).set('Authorization', auth).expect(200)).body;
  const send = (id: string, auth: string, type: string, expectedVersion: number, payload?: Record<string, unknown>) =>
    t.http.post(`/v1/cases/${id}/events`).set('Authorization', auth).send({ type, expectedVersion, payload });
  const counts = async (caseId: string) =>
    (
      await t.sql<{ events: string; outbox: string; refunds: string }>(
        `select (select count(*) from case_events where case_id = $1) as events,
                (select count(*) from outbox where case_id = $1) as outbox,
                (select count(*) from refunds where case_id = $1) as refunds`,
        [caseId],
      )
    )[0];

  /** A contested dispute in review, as the agent sees it. */
  async function disputeInReview(amountMinor: number) {
    const { body: opened } = await t.http
      .post('/v1/cases')
      .set('Authorization', agent.auth)
      .send(disputeBody({ merchantId: merchant.id, amount: { amountMinor, currency: 'CNY' } }))
      .expect(201);
    // New disputes open on v6, which keeps v3's four eyes (v4 adds disputes with another wallet user, v5 the merge, v6 withdrawing while a proposal waits).
    expect(opened.machineVersion).toBe(6);
    await send(opened.id, agent.auth, 'FORWARD_TO_MERCHANT', 1).expect(200);
    // The merchant contested on the phone; the agent records it (contesting moves no money).
    await send(opened.id, agent.auth, 'MERCHANT_CONTEST', 2, { summary: 'Tracking shows delivery' }).expect(200);
    const reviewing = await getCase(opened.id, agent.auth);
    expect(reviewing.state).toBe('investigation.reviewing');
    return reviewing;
  }

  it('an agent decides within their limit alone; above it the decision is 403 APPROVAL_REQUIRED and changes nothing', async () => {
    const small = await disputeInReview(50_000);
    await send(small.id, agent.auth, 'DECIDE_FULL_REFUND', small.version, { reason: 'No proof of delivery' }).expect(200);

    const large = await disputeInReview(80_000);
    expect(large.allowedEvents).toEqual(expect.arrayContaining(['PROPOSE_FULL_REFUND', 'PROPOSE_PARTIAL_REFUND', 'DECIDE_REJECT']));
    expect(large.allowedEvents).not.toContain('DECIDE_FULL_REFUND');
    const before = await counts(large.id);
    const refused = await send(large.id, agent.auth, 'DECIDE_FULL_REFUND', large.version, { reason: 'No proof of delivery' }).expect(403);
    expect(refused.body).toMatchObject({ code: 'APPROVAL_REQUIRED', limitMinor: 50_000, currency: 'CNY', proposeWith: 'PROPOSE_FULL_REFUND' });
    const partial = await send(large.id, agent.auth, 'DECIDE_PARTIAL_REFUND', large.version, { amountMinor: 60_000, reason: 'Most of it' }).expect(403);
    expect(partial.body.code).toBe('APPROVAL_REQUIRED');
    expect(await counts(large.id)).toEqual(before);
    expect((await getCase(large.id)).version).toBe(large.version);
  });

  it("an event's answer is the case as it is read right after, to the field (its view is read in the event's own write, before the commit)", async () => {
    const { body: opened } = await t.http
      .post('/v1/cases')
      .set('Authorization', agent.auth)
      .send(disputeBody({ merchantId: merchant.id, amount: { amountMinor: 80_000, currency: 'CNY' } }))
      .expect(201);
    const { body: assigned } = await t.http.post(`/v1/cases/${opened.id}/assign`).set('Authorization', agent.auth).send({ assigneeId: agent.id }).expect(200);
    // What depends on the moment of reading (minutes left on a clock or a deadline) is left out.
    const comparable = (view: { deadlines: Array<Record<string, unknown>>; sla: { clocks: Array<Record<string, unknown>> } | null }) => ({
      ...view,
      deadlines: view.deadlines.map(({ businessMinutesLeft: _left, ...deadline }) => deadline),
      sla: view.sla && { ...view.sla, clocks: view.sla.clocks.map(({ minutesLeft: _left, ...clock }) => clock) },
    });
    let version = assigned.version as number;
    for (const [type, payload] of [
      ['FORWARD_TO_MERCHANT', undefined],
      ['MERCHANT_CONTEST', { summary: 'Tracking shows delivery' }],
      ['REQUEST_CUSTOMER_INFO', { question: 'A photo of the parcel, please' }],
    ] as const) {
      const { body: answer } = await send(opened.id, agent.auth, type, version, payload).expect(200);
      expect(answer.version).toBe(version + 1);
      expect(answer.assignee).toEqual({ id: agent.id, displayName: expect.any(String) });
      expect(comparable(answer)).toEqual(comparable(await getCase(opened.id, agent.auth)));
      version = answer.version;
    }
  });

  it('a proposal waits for a second person: the proposer cannot approve it (SELF_APPROVAL), an agent may not, another supervisor does', async () => {
    const reviewing = await disputeInReview(80_000);
    const proposed = await send(reviewing.id, supervisor.auth, 'PROPOSE_FULL_REFUND', reviewing.version, { reason: 'Courier has no signature' }).expect(200);
    expect(proposed.body).toMatchObject({ state: 'awaitingApproval' });
    expect(proposed.body.details.proposal).toEqual({
      action: 'full_refund',
      amountMinor: 80_000,
      currency: 'CNY',
      reason: 'Courier has no signature',
      proposedBy: supervisor.id,
      stage: 'first',
    });
    expect(proposed.body.deadlines).toEqual([expect.objectContaining({ name: 'approvalWindow', label: 'Approval due' })]);
    expect(proposed.body.allowedEvents).not.toContain('APPROVE_PROPOSAL');
    expect(await t.sql('select count(*)::int as n from refunds where case_id = $1', [reviewing.id])).toEqual([{ n: 0 }]);

    const before = await counts(reviewing.id);
    const self = await send(reviewing.id, supervisor.auth, 'APPROVE_PROPOSAL', proposed.body.version, {}).expect(403);
    expect(self.body.code).toBe('SELF_APPROVAL');
    const byAgent = await send(reviewing.id, otherAgent.auth, 'APPROVE_PROPOSAL', proposed.body.version, {}).expect(403);
    expect(byAgent.body.code).toBe('EVENT_NOT_PERMITTED');
    expect(await counts(reviewing.id)).toEqual(before);

    // The queue shows it to supervisors (not to agents), with what each may decide it with.
    await t.http.get('/v1/approvals').set('Authorization', agent.auth).expect(403);
    const queueOfProposer = (await t.http.get('/v1/approvals').set('Authorization', supervisor.auth).expect(200)).body;
    const mine = queueOfProposer.items.find((item: { case: { id: string } }) => item.case.id === reviewing.id);
    expect(mine).toMatchObject({
      proposal: { action: 'full_refund', amountMinor: 80_000, currency: 'CNY', proposedBy: { id: supervisor.id, displayName: 'sue' } },
      decideWith: { approve: null, reject: 'REJECT_PROPOSAL' },
      overdue: expect.any(Boolean),
    });
    const queueOfOther = (await t.http.get('/v1/approvals').set('Authorization', otherSupervisor.auth).expect(200)).body;
    expect(queueOfOther.items.find((item: { case: { id: string } }) => item.case.id === reviewing.id).decideWith).toEqual({
      approve: 'APPROVE_PROPOSAL',
      reject: 'REJECT_PROPOSAL',
    });

    const approved = await send(reviewing.id, otherSupervisor.auth, 'APPROVE_PROPOSAL', proposed.body.version, { note: 'Checked the courier record' }).expect(200);
    expect(approved.body.state).toMatch(/^refunding|^resolved/);
    expect(approved.body.details.decisions).toEqual([expect.objectContaining({ outcome: 'full_refund', amountMinor: 80_000, decidedBy: 'agent' })]);
    const refunds = await waitFor('the approved refund at the wallet', async () => {
      const rows = await t.sql<{ amount_minor: string }>('select amount_minor from refunds where case_id = $1', [reviewing.id]);
      return rows.length ? rows : undefined;
    });
    expect(refunds).toEqual([{ amount_minor: '80000' }]);

    const timeline = (await t.http.get(`/v1/cases/${reviewing.id}/timeline`).set('Authorization', t.auth).expect(200)).body;
    const steps = timeline.map((e: { type: string; to: string; actor: { id: string } }) => [e.type, e.to, e.actor.id]);
    expect(steps).toEqual(
      expect.arrayContaining([
        ['PROPOSE_FULL_REFUND', 'awaitingApproval', supervisor.id],
        ['APPROVE_PROPOSAL', 'refunding.pending', otherSupervisor.id],
      ]),
    );
    const audit = (await t.http.get('/v1/admin/audit-log').query({ targetType: 'case', targetId: reviewing.id }).set('Authorization', t.auth).expect(200)).body;
    expect(audit.data).toEqual([expect.objectContaining({ action: 'case.proposal_approved', actorId: otherSupervisor.id, actorLabel: 'sam@test.local', targetId: reviewing.id })]);
    const after = (await t.http.get('/v1/approvals').set('Authorization', otherSupervisor.auth).expect(200)).body;
    expect(after.items.map((item: { case: { id: string } }) => item.case.id)).not.toContain(reviewing.id);
  });

  it("an approver's own limit must cover the amount (configured REFUND_LIMITS); an admin approves above it", async () => {
    const reviewing = await disputeInReview(150_000);
    const proposed = await send(reviewing.id, agent.auth, 'PROPOSE_PARTIAL_REFUND', reviewing.version, { amountMinor: 120_000, reason: 'Most items missing' }).expect(200);
    const overLimit = await send(reviewing.id, supervisor.auth, 'APPROVE_PROPOSAL', proposed.body.version, {}).expect(403);
    expect(overLimit.body).toMatchObject({ code: 'APPROVAL_LIMIT_EXCEEDED', limitMinor: 100_000, currency: 'CNY' });
    await send(reviewing.id, t.auth, 'APPROVE_PROPOSAL', proposed.body.version, {}).expect(200);
  });

  it('a rejected proposal goes back to review with nothing refunded, and the rejection is audited', async () => {
    const reviewing = await disputeInReview(80_000);
    const proposed = await send(reviewing.id, agent.auth, 'PROPOSE_FULL_REFUND', reviewing.version, { reason: 'No proof' }).expect(200);
    const rejected = await send(reviewing.id, supervisor.auth, 'REJECT_PROPOSAL', proposed.body.version, { reason: 'Tracking is convincing' }).expect(200);
    expect(rejected.body).toMatchObject({ state: 'investigation.reviewing', details: expect.objectContaining({ proposal: null, decisions: [] }) });
    expect(await t.sql('select count(*)::int as n from refunds where case_id = $1', [reviewing.id])).toEqual([{ n: 0 }]);
    const audit = (await t.http.get('/v1/admin/audit-log').query({ targetType: 'case', targetId: reviewing.id }).set('Authorization', t.auth).expect(200)).body;
    expect(audit.data.map((entry: { action: string }) => entry.action)).toEqual(['case.proposal_rejected']);
  });

  it('a proposal left waiting past its approval window is escalated: priority up, marked overdue, still approvable', async () => {
    const reviewing = await disputeInReview(80_000);
    expect(reviewing.priority).toBe('normal');
    await send(reviewing.id, agent.auth, 'PROPOSE_FULL_REFUND', reviewing.version, { reason: 'No proof' }).expect(200);
    const escalated = await waitFor('the approval deadline to escalate the case', async () => {
      const current = await getCase(reviewing.id, supervisor.auth);
      return current.details.approvalOverdue ? current : undefined;
    });
    expect(escalated).toMatchObject({ state: 'awaitingApproval', priority: 'high', escalatedAt: expect.any(String) });
    const queue = (await t.http.get('/v1/approvals').set('Authorization', supervisor.auth).expect(200)).body;
    expect(queue.items.find((item: { case: { id: string } }) => item.case.id === reviewing.id)).toMatchObject({ overdue: true });
    await send(reviewing.id, supervisor.auth, 'APPROVE_PROPOSAL', escalated.version, {}).expect(200);
  });

  it('an agent cannot accept for the merchant: they propose it with the reason and a second person approves', async () => {
    const { body: opened } = await t.http
      .post('/v1/cases')
      .set('Authorization', agent.auth)
      .send(disputeBody({ merchantId: merchant.id }))
      .expect(201);
    const forwarded = await send(opened.id, agent.auth, 'FORWARD_TO_MERCHANT', 1).expect(200);
    const refused = await send(opened.id, agent.auth, 'MERCHANT_ACCEPT', forwarded.body.version).expect(403);
    expect(refused.body).toMatchObject({ code: 'APPROVAL_REQUIRED', proposeWith: 'PROPOSE_MERCHANT_ACCEPT' });
    await send(opened.id, agent.auth, 'PROPOSE_MERCHANT_ACCEPT', forwarded.body.version, {}).expect(400);
    const proposed = await send(opened.id, agent.auth, 'PROPOSE_MERCHANT_ACCEPT', forwarded.body.version, { reason: 'Merchant accepted on the phone, call 14:10' }).expect(200);
    const approved = await send(opened.id, supervisor.auth, 'APPROVE_PROPOSAL', proposed.body.version, {}).expect(200);
    expect(approved.body.details).toMatchObject({ merchantResponse: 'accepted' });
  });

  it('an appeal is decided by someone other than the first decider', async () => {
    const reviewing = await disputeInReview(20_000);
    const decided = await send(reviewing.id, agent.auth, 'DECIDE_REJECT', reviewing.version, { reason: 'Signed for' }).expect(200);
    const appealed = await send(reviewing.id, agent.auth, 'APPEAL', decided.body.version, { reason: 'The customer says the signature is not theirs' }).expect(200);
    const same = await send(reviewing.id, agent.auth, 'DECIDE_REJECT', appealed.body.version, { reason: 'Still signed for' }).expect(403);
    expect(same.body.code).toBe('APPEAL_NEEDS_ANOTHER_DECIDER');
    const other = await send(reviewing.id, otherAgent.auth, 'DECIDE_FULL_REFUND', appealed.body.version, { reason: 'Signature does not match' }).expect(200);
    expect(other.body.details.decisions.map((d: { stage: string; outcome: string }) => [d.stage, d.outcome])).toEqual([
      ['first', 'rejected'],
      ['appeal', 'full_refund'],
    ]);
  });

  it('the approvals queue is paginated with a maximum', async () => {
    await t.http.get('/v1/approvals').query({ limit: 101 }).set('Authorization', supervisor.auth).expect(400);
    for (const amountMinor of [70_000, 90_000]) {
      const reviewing = await disputeInReview(amountMinor);
      await send(reviewing.id, agent.auth, 'PROPOSE_FULL_REFUND', reviewing.version, { reason: 'No proof' }).expect(200);
    }
    const first = (await t.http.get('/v1/approvals').query({ limit: 1 }).set('Authorization', t.auth).expect(200)).body;
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await t.http.get('/v1/approvals').query({ limit: 1, cursor: first.nextCursor }).set('Authorization', t.auth).expect(200)).body;
    expect(second.items.map((item: { case: { id: string } }) => item.case.id)).not.toEqual(first.items.map((item: { case: { id: string } }) => item.case.id));
    await t.http.get('/v1/approvals').query({ cursor: 'not-a-cursor' }).set('Authorization', t.auth).expect(400);
  });

  describe('the other kinds that move money or balances', () => {
    const purchasedAt = () => new Date(Date.now() - 24 * 3600 * 1000).toISOString();
    const open = async (body: Record<string, unknown>) => (await t.http.post('/v1/cases').set('Authorization', agent.auth).send(body).expect(201)).body;
    const drive = async (id: string, steps: Array<[string, Record<string, unknown>?]>, auth = agent.auth) => {
      let version = (await getCase(id)).version;
      for (const [type, payload] of steps) version = (await send(id, auth, type, version, payload).expect(200)).body.version;
      return getCase(id, auth);
    };

    it('refund_request v2: an approval above the limit is refused, proposed instead, and approved by a second person', async () => {
      const opened = await open({
        kind: 'refund_request',
        channel: 'app',
        subject: 'Refund',
        customer: { id: 'u_rr' },
        transactionRef: `TX-RR-${Date.now()}`,
        amount: { amountMinor: 90_000, currency: 'CNY' },
        reason: 'changed mind',
        purchasedAt: purchasedAt(),
      });
      // New requests open on v5, which keeps v2's four eyes (v3 adds the customer's contest of a merchant's rejection, v4 the merge, v5 withdrawing while a proposal waits).
      expect(opened.machineVersion).toBe(5);
      const reviewing = await drive(opened.id, [['START_REVIEW']]);
      const refused = await send(opened.id, agent.auth, 'APPROVE_FULL_REFUND', reviewing.version, { reason: 'Goods returned' }).expect(403);
      expect(refused.body).toMatchObject({ code: 'APPROVAL_REQUIRED', proposeWith: 'PROPOSE_FULL_REFUND' });
      const proposed = await send(opened.id, agent.auth, 'PROPOSE_FULL_REFUND', reviewing.version, { reason: 'Goods returned' }).expect(200);
      expect(proposed.body).toMatchObject({ state: 'awaitingApproval', details: expect.objectContaining({ proposal: expect.objectContaining({ amountMinor: 90_000 }) }) });
      await send(opened.id, agent.auth, 'APPROVE_PROPOSAL', proposed.body.version).expect(403);
      const approved = await send(opened.id, supervisor.auth, 'APPROVE_PROPOSAL', proposed.body.version).expect(200);
      expect(approved.body.state).toMatch(/^refunding|^resolved/);
    });

    it('payment_failure v3: a reversal above the limit is refused, proposed instead, and approved by a second person', async () => {
      const opened = await open({
        kind: 'payment_failure',
        channel: 'app',
        subject: 'Debited but failed',
        customer: { id: 'u_pf' },
        transactionRef: `TX-PF-${Date.now()}`,
        amount: { amountMinor: 70_000, currency: 'CNY' },
        reason: 'debited but failed',
      });
      expect(opened.machineVersion).toBe(4);
      const tracing = await drive(opened.id, [['START_INVESTIGATION'], ['RECORD_CAUSE', { cause: 'bank' }]]);
      const refused = await send(opened.id, agent.auth, 'REVERSE_PAYMENT', tracing.version, { reason: 'Debited' }).expect(403);
      expect(refused.body).toMatchObject({ code: 'APPROVAL_REQUIRED', proposeWith: 'PROPOSE_REVERSAL' });
      const proposed = await send(opened.id, agent.auth, 'PROPOSE_REVERSAL', tracing.version, { reason: 'Debited' }).expect(200);
      expect(proposed.body.details.proposal).toMatchObject({ action: 'reversal', amountMinor: 70_000, proposedBy: agent.id });
      const approved = await send(opened.id, otherSupervisor.auth, 'APPROVE_PROPOSAL', proposed.body.version).expect(200);
      expect(approved.body.state).toMatch(/^reversing|^resolved/);
    });

    it('balance_discrepancy v3: any correction needs a second person; the proposer cannot approve it', async () => {
      const opened = await open({
        kind: 'balance_discrepancy',
        channel: 'app',
        subject: 'Balance 50 yuan short',
        customer: { id: 'u_bd' },
        amount: { amountMinor: 5_000, currency: 'CNY' },
      });
      expect(opened.machineVersion).toBe(4);
      const needed = await drive(opened.id, [['START_PENDING_CHECK'], ['PENDING_CHECKED', { explained: false, pendingTransactionRefs: [], note: 'Nothing pending' }]]);
      const proposed = await send(opened.id, supervisor.auth, 'PROPOSE_CORRECTION', needed.version, {
        amountMinor: 5_000,
        direction: 'credit',
        reason: 'Fee charged twice',
      }).expect(200);
      expect(proposed.body).toMatchObject({ state: 'awaitingApproval' });
      const self = await send(opened.id, supervisor.auth, 'APPROVE_CORRECTION', proposed.body.version).expect(403);
      expect(self.body.code).toBe('SELF_APPROVAL');
      const queue = (await t.http.get('/v1/approvals').set('Authorization', otherSupervisor.auth).expect(200)).body;
      expect(queue.items.find((item: { case: { id: string } }) => item.case.id === opened.id)).toMatchObject({
        proposal: { action: 'balance_correction', amountMinor: 5_000, currency: 'CNY', direction: 'credit' },
        decideWith: { approve: 'APPROVE_CORRECTION', reject: 'REJECT_CORRECTION' },
      });
      const approved = await send(opened.id, otherSupervisor.auth, 'APPROVE_CORRECTION', proposed.body.version).expect(200);
      expect(approved.body.state).toMatch(/^postingCorrection|^resolved/);
    });

    it('a case on the version before keeps its rules beside a new one: a v2 dispute still decides ¥800 alone, v3 asks for approval', async () => {
      const onV2 = await disputeInReview(80_000);
      const onV3 = await disputeInReview(80_000);
      // As if opened before v3 was deployed: v2 reads every field of the v3 snapshot but those v3 added.
      await t.sql(`update cases set machine_version = 2, snapshot = snapshot #- '{context,proposal}' #- '{context,approvalOverdue}' #- '{context,firstDeciders}' where id = $1`, [
        onV2.id,
      ]);
      await send(onV3.id, agent.auth, 'DECIDE_FULL_REFUND', onV3.version, { reason: 'No proof' }).expect(403);
      const decided = await send(onV2.id, agent.auth, 'DECIDE_FULL_REFUND', onV2.version, { reason: 'No proof' }).expect(200);
      expect(decided.body).toMatchObject({ machineVersion: 2, state: expect.stringMatching(/^refunding|^resolved/) });
    });

    describe('what one agent decides alone adds up across the cases of a wallet transaction', () => {
      let seq = 0;
      const refundRequestBody = (transactionRef: string, amount: { amountMinor: number; currency: string }) => ({
        kind: 'refund_request',
        channel: 'app',
        subject: 'Refund',
        customer: { id: 'u_sole' },
        transactionRef,
        amount,
        reason: 'changed mind',
        purchasedAt: purchasedAt(),
      });
      /** A transaction of ¥1,000 at the wallet, with a dispute, a refund request and a payment failure on it, each one event from deciding. */
      async function threeCasesOnOneTransaction() {
        const transactionRef = `TX-SOLE-${Date.now()}-${seq++}`;
        await t.wallet.createTransaction({ ref: transactionRef, amount_minor: 100_000, currency: 'CNY', merchant_id: merchant.id });
        const amount = { amountMinor: 100_000, currency: 'CNY' };
        const dispute = await open(disputeBody({ merchantId: merchant.id, transactionRef, amount }));
        const refundRequest = await open(refundRequestBody(transactionRef, amount));
        const paymentFailure = await open({
          kind: 'payment_failure',
          channel: 'app',
          subject: 'Debited twice',
          customer: { id: 'u_sole' },
          transactionRef,
          amount,
          reason: 'debited twice',
        });
        return {
          transactionRef,
          dispute: await drive(dispute.id, [['FORWARD_TO_MERCHANT'], ['MERCHANT_CONTEST', { summary: 'Delivered' }]]),
          refundRequest: await drive(refundRequest.id, [['START_REVIEW']]),
          paymentFailure: await drive(paymentFailure.id, [['START_INVESTIGATION'], ['RECORD_CAUSE', { cause: 'bank' }]]),
        };
      }
      const soleDecisions = (transactionRef: string) =>
        t.sql<{ case_id: string; agent_id: string; amount_minor: string }>(
          'select case_id, agent_id, amount_minor from refund_sole_decisions where transaction_ref = $1 order by id',
          [transactionRef],
        );

      it('an agent may not split a refund above their limit into decisions below it; they propose the rest, and another agent decides within their own', async () => {
        const { transactionRef, dispute, refundRequest, paymentFailure } = await threeCasesOnOneTransaction();
        await send(dispute.id, agent.auth, 'DECIDE_PARTIAL_REFUND', dispute.version, { amountMinor: 30_000, reason: 'One item missing' }).expect(200);

        // ¥300 of the agent's ¥500 is spoken for on this transaction: ¥300 more is above it, though below it alone.
        const before = await counts(refundRequest.id);
        const refused = await send(refundRequest.id, agent.auth, 'APPROVE_PARTIAL_REFUND', refundRequest.version, { amountMinor: 30_000, reason: 'Box missing' }).expect(403);
        expect(refused.body).toMatchObject({
          code: 'APPROVAL_REQUIRED',
          limitMinor: 50_000,
          currency: 'CNY',
          proposeWith: 'PROPOSE_PARTIAL_REFUND',
          transactionRef,
          decidedAloneMinor: 30_000,
        });
        expect(await counts(refundRequest.id)).toEqual(before);
        expect(await getCase(refundRequest.id)).toMatchObject({ state: refundRequest.state, version: refundRequest.version });

        // What is left of the limit is still the agent's to decide alone.
        await send(paymentFailure.id, agent.auth, 'REVERSE_PAYMENT', paymentFailure.version, { reason: 'Debited twice', amountMinor: 20_000 }).expect(200);
        // Above it, a proposal a second person approves: that decision is not the agent's alone.
        const proposed = await send(refundRequest.id, agent.auth, 'PROPOSE_PARTIAL_REFUND', refundRequest.version, { amountMinor: 30_000, reason: 'Box missing' }).expect(200);
        await send(refundRequest.id, supervisor.auth, 'APPROVE_PROPOSAL', proposed.body.version).expect(200);
        // Kept for good: a row changed or removed would give the agent their limit back.
        await expect(t.sql('update refund_sole_decisions set amount_minor = 0 where transaction_ref = $1', [transactionRef])).rejects.toThrow(/append-only/);
        await expect(t.sql('delete from refund_sole_decisions where transaction_ref = $1', [transactionRef])).rejects.toThrow(/append-only/);
        // The approved proposal is two people's: only the agent's own decisions are kept against them.
        expect(await soleDecisions(transactionRef)).toEqual([
          { case_id: dispute.id, agent_id: agent.id, amount_minor: '30000' },
          { case_id: paymentFailure.id, agent_id: agent.id, amount_minor: '20000' },
        ]);
      });

      it('the limit is each agent’s own: another agent decides within theirs on the same transaction', async () => {
        const { dispute, refundRequest } = await threeCasesOnOneTransaction();
        await send(dispute.id, agent.auth, 'DECIDE_PARTIAL_REFUND', dispute.version, { amountMinor: 40_000, reason: 'Most of it' }).expect(200);
        await send(refundRequest.id, otherAgent.auth, 'APPROVE_PARTIAL_REFUND', refundRequest.version, { amountMinor: 40_000, reason: 'The rest' }).expect(200);
      });

      it('what an agent is offered holds to what is left of their limit on the transaction: a full refund above it is offered as a proposal', async () => {
        const transactionRef = `TX-LEFT-${Date.now()}-${seq++}`;
        await t.wallet.createTransaction({ ref: transactionRef, amount_minor: 100_000, currency: 'CNY', merchant_id: merchant.id });
        const dispute = await open(disputeBody({ merchantId: merchant.id, transactionRef, amount: { amountMinor: 100_000, currency: 'CNY' } }));
        const contested = await drive(dispute.id, [['FORWARD_TO_MERCHANT'], ['MERCHANT_CONTEST', { summary: 'Delivered' }]]);
        const refundRequest = await open(refundRequestBody(transactionRef, { amountMinor: 30_000, currency: 'CNY' }));
        // ¥250 of the agent's ¥500 decided alone on the dispute: ¥300 on the refund request is now above what is left.
        await send(dispute.id, agent.auth, 'DECIDE_PARTIAL_REFUND', contested.version, { amountMinor: 25_000, reason: 'One item missing' }).expect(200);

        // The answer to the agent's own event says so, and so does the case read again.
        const reviewing = (await send(refundRequest.id, agent.auth, 'START_REVIEW', refundRequest.version).expect(200)).body;
        for (const view of [reviewing, await getCase(refundRequest.id, agent.auth)]) {
          expect(view.allowedEvents).toContain('PROPOSE_FULL_REFUND');
          expect(view.allowedEvents).not.toContain('APPROVE_FULL_REFUND');
        }
        // An event the state refuses lists what may be sent instead: the same offer, not the whole limit's.
        const notNow = await send(refundRequest.id, agent.auth, 'START_REVIEW', reviewing.version).expect(409);
        expect(notNow.body).toMatchObject({ code: 'EVENT_NOT_ALLOWED' });
        expect([...notNow.body.allowedEvents].sort()).toEqual([...reviewing.allowedEvents].sort());
        // What is offered is what the command takes: the decision alone is refused, the proposal taken.
        const refused = await send(refundRequest.id, agent.auth, 'APPROVE_FULL_REFUND', reviewing.version, { reason: 'Returned' }).expect(403);
        expect(refused.body).toMatchObject({ code: 'APPROVAL_REQUIRED', proposeWith: 'PROPOSE_FULL_REFUND', transactionRef, decidedAloneMinor: 25_000 });
        // Another agent decided nothing alone on this transaction: the decision is theirs to take.
        expect((await getCase(refundRequest.id, otherAgent.auth)).allowedEvents).toContain('APPROVE_FULL_REFUND');
        expect((await send(refundRequest.id, otherAgent.auth, 'START_REVIEW', reviewing.version).expect(409)).body.allowedEvents).toContain('APPROVE_FULL_REFUND');
        await send(refundRequest.id, agent.auth, 'PROPOSE_FULL_REFUND', reviewing.version, { reason: 'Returned' }).expect(200);
      });

      it('two decisions by one agent racing on two cases of one transaction: the ledger lock lets one through, the other is APPROVAL_REQUIRED', async () => {
        const { transactionRef, refundRequest, paymentFailure } = await threeCasesOnOneTransaction();
        // A race for certain, not by chance: the ledger row is held until both commands wait for it,
        // so the second to get it must see the first's decision, committed while it waited.
        const holder = new Client({ connectionString: t.env.DATABASE_URL });
        await holder.connect();
        let racing: Promise<Array<{ status: number; body: Record<string, unknown> }>>;
        try {
          await holder.query('begin');
          await holder.query('select 1 from refund_ledgers where transaction_ref = $1 for update', [transactionRef]);
          racing = Promise.all([
            send(refundRequest.id, agent.auth, 'APPROVE_PARTIAL_REFUND', refundRequest.version, { amountMinor: 30_000, reason: 'Box missing' }),
            send(paymentFailure.id, agent.auth, 'REVERSE_PAYMENT', paymentFailure.version, { reason: 'Debited twice', amountMinor: 30_000 }),
          ]);
          await waitForLockWaiters('both decisions to wait for the ledger lock', holder, 2, (text, params) => t.sql(text, params));
        } finally {
          await holder.query('commit');
          await holder.end();
        }
        const [first, second] = await racing;
        expect([first.status, second.status].sort()).toEqual([200, 403]);
        expect([first, second].find((response) => response.status === 403)!.body).toMatchObject({ code: 'APPROVAL_REQUIRED', decidedAloneMinor: 30_000 });
        expect((await soleDecisions(transactionRef)).map((decision) => [decision.agent_id, decision.amount_minor])).toEqual([[agent.id, '30000']]);
      });

      it('a case decided again (an appeal) adds its decision: the first decider’s still counts against them', async () => {
        const { transactionRef, dispute, refundRequest } = await threeCasesOnOneTransaction();
        await send(dispute.id, agent.auth, 'DECIDE_PARTIAL_REFUND', dispute.version, { amountMinor: 40_000, reason: 'Most of it' }).expect(200);
        const resolved = await waitFor('the dispute’s refund to settle', async () => {
          const current = await getCase(dispute.id);
          return current.state === 'resolved' ? current : undefined;
        });
        const appealed = (await send(dispute.id, agent.auth, 'APPEAL', resolved.version, { reason: 'The rest is owed too' }).expect(200)).body;
        // Another agent decides the appeal alone (the first decider may not), for a token amount.
        await send(dispute.id, otherAgent.auth, 'DECIDE_PARTIAL_REFUND', appealed.version, { amountMinor: 100, reason: 'Postage' }).expect(200);
        const refused = await send(refundRequest.id, agent.auth, 'APPROVE_PARTIAL_REFUND', refundRequest.version, { amountMinor: 20_000, reason: 'Box missing' }).expect(403);
        expect(refused.body).toMatchObject({ code: 'APPROVAL_REQUIRED', decidedAloneMinor: 40_000 });
        expect((await soleDecisions(transactionRef)).map((decision) => [decision.agent_id, decision.amount_minor])).toEqual([
          [agent.id, '40000'],
          [otherAgent.id, '100'],
        ]);
      });
    });

    it('every case of this file, proposals, approvals and stamped senders included, replays to its stored snapshot', async () => {
      const result = await RequestContext.create(t.app.get(MikroORM).em, () => t.app.get(VerifyCaseReplay).execute({ batchSize: 10 }));
      expect(result.checked).toBeGreaterThan(10);
      expect(result.mismatches).toEqual([]);
    });
  });
});
