import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * account_security (v3: v2 with four eyes on unfreezing and resets) driven to its end against the real wallet simulator: every freeze,
 * unfreeze and credential reset is requested through the outbox and confirmed only by the
 * wallet's signed callback, which comes back as an event of the system actor.
 */
describe('account_security lifecycles against the wallet', () => {
  let t: TestApp;
  let secondPerson: string;

  beforeAll(async () => {
    t = await startTestApp({ WALLET_CONFIRMATION_SECONDS: '2' });
    secondPerson = (await t.login('second-person@test.local', 'supervisor')).auth;
  });
  afterAll(() => t.close());

  const open = async (body: Record<string, unknown>) => (await t.http.post('/v1/cases').set('Authorization', t.auth).send(body).expect(201)).body;
  const getCase = async (id: string) => (await t.http.get(`/v1/cases/${id}`).set('Authorization', t.auth).expect(200)).body;
  const send = async (id: string, type: string, payload: Record<string, unknown> = {}) => {
    const { version } = await getCase(id);
    return t.http.post(`/v1/cases/${id}/events`).set('Authorization', t.auth).send({ type, payload, expectedVersion: version });
  };
  /** Unfreezing and resetting credentials are proposals (v3): a second person approves them. */
  const approve = async (id: string) => {
    const { version } = await getCase(id);
    return t.http.post(`/v1/cases/${id}/events`).set('Authorization', secondPerson).send({ type: 'APPROVE_PROPOSAL', expectedVersion: version }).expect(200);
  };
  const reaches = (id: string, state: string) => waitFor(`case ${id} to reach ${state}`, async () => ((await getCase(id)).state === state ? getCase(id) : undefined));
  const timeline = async (id: string) =>
    (await t.http.get(`/v1/cases/${id}/timeline`).set('Authorization', t.auth).expect(200)).body as Array<{ type: string; actor: { kind: string } }>;
  const account = async (id: string) => (await fetch(`${t.wallet.baseUrl}/sim/accounts/${encodeURIComponent(id)}`)).json() as Promise<Record<string, any>>;
  const accountId = (prefix = 'u') => `${prefix}-${randomBytes(4).toString('hex')}`;

  it("stolen account: frozen on the wallet's word, verified, credentials reset (sessions revoked), unfrozen, resolved", async () => {
    const customer = accountId();
    const opened = await open({ kind: 'account_security', channel: 'hotline', subject: 'My account was taken over', customer: { id: customer }, securityReport: 'stolen_account' });
    expect(opened.state).toBe('freezing.awaitingWallet');

    const frozen = await reaches(opened.id, 'frozen.verifyingIdentity');
    expect(frozen.details).toMatchObject({ freezeConfirmed: true });
    expect((await account(customer)).frozen).toBe(true);
    // Only the wallet confirms: an agent cannot claim the reset.
    expect((await send(opened.id, 'CREDENTIALS_RESET')).status).toBe(403);

    await send(opened.id, 'IDENTITY_VERIFIED', { method: 'video_call', note: 'Face matches the ID card' }).then((r) => expect(r.status).toBe(200));
    await send(opened.id, 'RESET_CREDENTIALS', { reason: 'Password phished' }).then((r) => expect(r.status).toBe(200));
    const waiting = await getCase(opened.id);
    expect(waiting).toMatchObject({
      machineVersion: 4,
      state: 'awaitingApproval',
      details: expect.objectContaining({ proposal: expect.objectContaining({ action: 'reset_credentials' }) }),
    });
    // The proposer cannot approve it, and nothing reaches the wallet before a second person does.
    expect((await send(opened.id, 'APPROVE_PROPOSAL')).body.code).toBe('SELF_APPROVAL');
    expect(await account(customer)).toMatchObject({ frozen: true, credential_resets: 0 });
    await approve(opened.id);
    const resolved = await reaches(opened.id, 'resolved');
    expect(resolved.details).toMatchObject({ outcome: 'credentials_reset', credentialsReset: true, unfreezeConfirmed: true });

    const wallet = await account(customer);
    expect(wallet).toMatchObject({ frozen: false, credential_resets: 1 });
    expect(wallet.sessions_revoked_at).not.toBeNull();
    const events = await timeline(opened.id);
    const fromWallet = events.filter((event) => ['ACCOUNT_FROZEN', 'CREDENTIALS_RESET', 'ACCOUNT_UNFROZEN'].includes(event.type));
    expect(fromWallet.map((event) => [event.type, event.actor.kind])).toEqual([
      ['ACCOUNT_FROZEN', 'system'],
      ['CREDENTIALS_RESET', 'system'],
      ['ACCOUNT_UNFROZEN', 'system'],
    ]);
  });

  it('stolen account, false alarm: unfrozen as it is once verified', async () => {
    const customer = accountId();
    const opened = await open({ kind: 'account_security', channel: 'app', subject: 'Login from a new phone', customer: { id: customer } });
    await reaches(opened.id, 'frozen.verifyingIdentity');
    await send(opened.id, 'IDENTITY_VERIFIED', { method: 'bank_card', note: 'Card digits match' });
    await send(opened.id, 'UNFREEZE', { reason: 'It was the customer on a new phone' });
    expect(await account(customer)).toMatchObject({ frozen: true });
    await approve(opened.id);
    const resolved = await reaches(opened.id, 'resolved');
    expect(resolved.details).toMatchObject({ outcome: 'unfrozen', credentialsReset: false });
    expect(await account(customer)).toMatchObject({ frozen: false, credential_resets: 0 });
  });

  it('forgotten password: nothing frozen; verified, reset, confirmed, resolved', async () => {
    const customer = accountId();
    const opened = await open({ kind: 'account_security', channel: 'chat', subject: 'Forgot my password', customer: { id: customer }, securityReport: 'forgotten_password' });
    expect(opened.state).toBe('verifyingForReset.verifyingIdentity');
    await send(opened.id, 'REQUEST_CUSTOMER_INFO', { question: 'Last four digits of your bank card?' });
    await send(opened.id, 'CUSTOMER_INFO_PROVIDED', { summary: '6218' });
    await send(opened.id, 'IDENTITY_VERIFIED', { method: 'bank_card', note: 'Digits match' });
    // The verifying agent's word alone resets nothing: the reset waits for a second person.
    expect(await getCase(opened.id)).toMatchObject({
      state: 'awaitingApproval',
      details: expect.objectContaining({ proposal: expect.objectContaining({ action: 'reset_credentials' }) }),
    });
    // The simulator has not seen the account at all: no action was ever asked of the wallet.
    expect(await account(customer)).toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    await approve(opened.id);
    const resolved = await reaches(opened.id, 'resolved');
    expect(resolved.details).toMatchObject({ outcome: 'credentials_reset', freezeConfirmed: false });
    expect(await account(customer)).toMatchObject({ frozen: false, credential_resets: 1 });
    const kinds = (await t.wallet.callbacks()).filter((callback) => callback.event.data.account_id === customer).map((callback) => callback.type);
    expect(kinds).toEqual(['account.credentials_reset']);
  });

  it('a freeze the wallet never confirms tells the agents after the window and stays visible; asking again is possible', async () => {
    // The simulator carries out actions on LOSTCB- accounts but never calls back.
    const customer = accountId('LOSTCB');
    const opened = await open({ kind: 'account_security', channel: 'hotline', priority: 'urgent', subject: 'Account stolen', customer: { id: customer } });
    const overdue = await reaches(opened.id, 'freezing.confirmationOverdue');
    expect(overdue.details).toMatchObject({ freezeConfirmed: false, unconfirmedWalletActions: 1 });
    expect(overdue.allowedEvents).toEqual(['RETRY_WALLET_ACTION']);
    const listed = await t.http.get('/v1/cases?state=freezing.confirmationOverdue').set('Authorization', t.auth).expect(200);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(opened.id);
    const told = await t.sql<{ payload: { topic: string } }>(`select payload from outbox where case_id = $1 and type = 'notify'`, [opened.id]);
    expect(told.map((row) => row.payload.topic)).toContain('account_security.wallet_action_unconfirmed');
    // Nobody holds the case, so the alert waits in the supervisors' inbox.
    const inbox = await waitFor('the alert in the inbox', async () => {
      const notes = (await t.http.get('/v1/notifications?unread=true').set('Authorization', t.auth).expect(200)).body as Array<Record<string, any>>;
      return notes.filter((note) => note.caseId === opened.id && note.type === 'account_security.wallet_action_unconfirmed');
    });
    expect(inbox).toEqual([expect.objectContaining({ audience: 'supervisors', payload: expect.objectContaining({ caseState: 'freezing.confirmationOverdue' }) })]);

    await send(opened.id, 'RETRY_WALLET_ACTION').then((r) => expect(r.status).toBe(200));
    expect((await getCase(opened.id)).state).toBe('freezing.awaitingWallet');
    await waitFor('the second freeze request', async () => {
      const rows = await t.sql(`select 1 from outbox where case_id = $1 and type = 'freezeAccount' and status = 'done'`, [opened.id]);
      return rows.length === 2;
    });
  });
});
