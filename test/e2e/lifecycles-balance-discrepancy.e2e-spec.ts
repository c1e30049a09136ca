import { randomBytes } from 'node:crypto';
import { MAX_SETTLEMENT_CHECKS } from '@app/domain';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * balance_discrepancy v2 driven to its end against the real wallet simulator: "explained by
 * pending" is re-checked with the wallet's pending-transaction list until it shows them settled,
 * and a posted correction is confirmed by the wallet's callback.
 */
describe('balance_discrepancy lifecycles against the wallet', () => {
  let t: TestApp;
  let supervisor: string;
  let agent: string;

  beforeAll(async () => {
    t = await startTestApp({ PENDING_RECHECK_SECONDS: '1' });
    supervisor = (await t.login('supervisor@balance.test', 'supervisor')).auth;
    agent = (await t.login('agent@balance.test', 'agent')).auth;
  });
  afterAll(() => t.close());

  const open = async (customer: string) =>
    (
      await t.http
        .post('/v1/cases')
        .set('Authorization', t.auth)
        .send({ kind: 'balance_discrepancy', channel: 'app', subject: 'My balance is 50 yuan short', customer: { id: customer }, amount: { amountMinor: 5_000, currency: 'CNY' } })
        .expect(201)
    ).body;
  const getCase = async (id: string) => (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
  const send = async (id: string, type: string, payload: Record<string, unknown> = {}, auth = t.auth) => {
    const { version } = await getCase(id);
    return t.http.post(`/v1/cases/${id}/events`).set('Authorization', auth).send({ type, payload, expectedVersion: version });
  };
  const reaches = (id: string, state: string) => waitFor(`case ${id} to reach ${state}`, async () => ((await getCase(id)).state === state ? getCase(id) : undefined));
  const systemEvents = async (id: string) =>
    ((await t.http.get(`/v1/cases/${id}/timeline`).set('Authorization', t.auth).expect(200)).body as Array<{ type: string; actor: { kind: string } }>)
      .filter((event) => event.actor.kind === 'system' && !event.type.startsWith('sla.') && !event.type.startsWith('xstate.'))
      .map((event) => event.type);
  const explainedByPending = async (id: string, ref: string) => {
    await send(id, 'START_PENDING_CHECK').then((r) => expect(r.status).toBe(200));
    await send(id, 'PENDING_CHECKED', { explained: true, pendingTransactionRefs: [ref.toLowerCase()], note: 'A top-up is still settling' }).then((r) => expect(r.status).toBe(200));
  };

  it('explained by pending: re-checked while the top-up is pending, resolved once the wallet shows it settled', async () => {
    const customer = `u-${randomBytes(4).toString('hex')}`;
    const ref = `TOPUP-${randomBytes(4).toString('hex').toUpperCase()}`;
    await t.wallet.seedPendingTransaction(customer, { ref, amount_minor: 5_000, currency: 'CNY' });
    const opened = await open(customer);
    await explainedByPending(opened.id, ref);

    const waiting = await reaches(opened.id, 'confirmingSettlement.waitingToRecheck');
    expect(waiting.details).toMatchObject({ stillOpenRefs: [ref], outcome: null });
    await t.wallet.settlePendingTransaction(ref);
    const resolved = await reaches(opened.id, 'resolved');
    expect(resolved.details).toMatchObject({ outcome: 'explained_by_pending' });
    expect(resolved.details.settlementChecks).toBeGreaterThanOrEqual(2);
    const events = await systemEvents(opened.id);
    expect(events[0]).toBe('PENDING_STILL_OPEN');
    expect(events[events.length - 1]).toBe('PENDING_SETTLED');
  });

  it('a pending item that never settles goes to an agent after the bounded re-checks', async () => {
    const customer = `u-${randomBytes(4).toString('hex')}`;
    const ref = `TOPUP-${randomBytes(4).toString('hex').toUpperCase()}`;
    await t.wallet.seedPendingTransaction(customer, { ref, amount_minor: 5_000, currency: 'CNY', status: 'failed' });
    const opened = await open(customer);
    await explainedByPending(opened.id, ref);

    const stuck = await reaches(opened.id, 'confirmingSettlement.stillPending');
    expect(stuck.details).toMatchObject({ settlementChecks: MAX_SETTLEMENT_CHECKS, stillOpenRefs: [ref] });
    expect((await systemEvents(opened.id)).filter((type) => type === 'PENDING_STILL_OPEN')).toHaveLength(MAX_SETTLEMENT_CHECKS);
    expect(stuck.allowedEvents).toEqual(expect.arrayContaining(['RECHECK_PENDING', 'PROPOSE_CORRECTION', 'RESOLVE_WITHOUT_CORRECTION']));
    // The agent holding the case is told in their inbox.
    const holder = await t.login(`holder-${randomBytes(3).toString('hex')}@balance.test`, 'agent');
    await t.http.post(`/v1/cases/${opened.id}/assign`).set('Authorization', t.auth).send({ assigneeId: holder.id }).expect(200);
    await send(opened.id, 'RECHECK_PENDING').then((r) => expect(r.status).toBe(200));
    const alert = await waitFor("the alert in the assignee's inbox", async () => {
      const notes = (await t.http.get('/v1/notifications').set('Authorization', holder.auth).expect(200)).body as Array<Record<string, any>>;
      return notes.find((note) => note.caseId === opened.id && note.type === 'balance_discrepancy.pending_not_settled');
    });
    expect(alert).toMatchObject({ audience: 'agent' });
    await send(opened.id, 'RESOLVE_WITHOUT_CORRECTION', { reason: 'Top-up failed at the bank; the customer was told to top up again' }).then((r) => expect(r.status).toBe(200));
    expect((await getCase(opened.id)).details).toMatchObject({ outcome: 'no_correction' });
  });

  it('a correction approved by a supervisor is posted by the wallet and resolved by its callback alone', async () => {
    const customer = `u-${randomBytes(4).toString('hex')}`;
    const opened = await open(customer);
    await send(opened.id, 'START_PENDING_CHECK');
    await send(opened.id, 'PENDING_CHECKED', { explained: false, pendingTransactionRefs: [], note: 'Nothing pending' });
    await send(opened.id, 'PROPOSE_CORRECTION', { amountMinor: 5_000, direction: 'credit', reason: 'Cashback never credited' });
    expect((await send(opened.id, 'APPROVE_CORRECTION', {}, agent)).status).toBe(403);
    await send(opened.id, 'APPROVE_CORRECTION', {}, supervisor).then((r) => expect(r.status).toBe(200));

    const resolved = await reaches(opened.id, 'resolved');
    expect(resolved.details).toMatchObject({ outcome: 'corrected', ledgerEntryRef: expect.any(String), correctionOverdue: false });
    const wallet = (await (await fetch(`${t.wallet.baseUrl}/sim/accounts/${customer}`)).json()) as { ledger_entries: Array<{ ledger_entry_ref: string; amount_minor: number }> };
    expect(wallet.ledger_entries).toEqual([expect.objectContaining({ ledger_entry_ref: resolved.details.ledgerEntryRef, amount_minor: 5_000 })]);
    expect(await systemEvents(opened.id)).toEqual(['CORRECTION_POSTED']);
  });

  it('no agent, not even an admin, can claim the posting', async () => {
    const opened = await open(`LOSTCB-${randomBytes(4).toString('hex')}`);
    await send(opened.id, 'START_PENDING_CHECK');
    await send(opened.id, 'PENDING_CHECKED', { explained: false, pendingTransactionRefs: [], note: 'Nothing pending' });
    await send(opened.id, 'PROPOSE_CORRECTION', { amountMinor: 100, direction: 'debit', reason: 'Double credit' });
    await send(opened.id, 'APPROVE_CORRECTION', {}, supervisor);
    const refused = await send(opened.id, 'CORRECTION_POSTED', { ledgerEntryRef: 'LE-FAKE' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('EVENT_NOT_PERMITTED');
    expect((await getCase(opened.id)).state).toBe('postingCorrection.awaitingWallet');
  });
});
