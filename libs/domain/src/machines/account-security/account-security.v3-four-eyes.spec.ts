import { allowedEvents, replayEvents, restoreSnapshot, type EventSender } from '../../engine/case-transition';
import { DomainErrorCode } from '../../errors';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { accountSecurityDefinitionV2 } from './account-security.v2.definition';
import { accountSecurityDefinitionV3 } from './account-security.v3.definition';

const ANN: EventSender = { kind: 'agent', role: 'agent', id: 'agent-ann' };
const BOB: EventSender = { kind: 'agent', role: 'agent', id: 'agent-bob' };
const SUE: EventSender = { kind: 'agent', role: 'supervisor', id: 'sup-sue' };
const SAM: EventSender = { kind: 'agent', role: 'supervisor', id: 'sup-sam' };

const STOLEN = { ...SAMPLE_FACTS.account_security, securityReport: 'stolen_account' as const };

/** A stolen account, frozen by the wallet, the customer verified. */
function verified(definition = accountSecurityDefinitionV3): CaseHarness {
  const security = CaseHarness.open(definition, STOLEN);
  security.send('ACCOUNT_FROZEN', {}, SENDERS.system);
  security.send('IDENTITY_VERIFIED', { method: 'video_call', note: 'Face and ID card match' }, BOB);
  return security;
}

const offered = (security: CaseHarness, sender: EventSender) => allowedEvents(accountSecurityDefinitionV3, restoreSnapshot(accountSecurityDefinitionV3, security.snapshot), sender);

describe('account security v3: unfreezing or resetting credentials needs a second person', () => {
  it("an agent's UNFREEZE proposes: the account stays frozen and the case waits for approval", () => {
    const security = verified();
    security.send('UNFREEZE', { reason: 'Login was the customer on a new phone' }, ANN);
    expect(security.state).toBe('awaitingApproval');
    expect(security.last.slaPhase).toBe('running');
    expect(security.context.proposal).toEqual({ action: 'unfreeze', amountMinor: 0, currency: null, reason: 'Login was the customer on a new phone', proposedBy: 'agent-ann' });
    expect(security.effects()).toEqual([{ type: 'notify', params: { topic: 'account_security.approval_requested', audience: ['agents'], alert: true } }]);
    expect(security.pendingDeadlines()).toEqual(['approvalWindow']);
    expect(security.context).toMatchObject({ decisionReason: null, unfreezeConfirmed: false });
  });

  it('a supervisor other than the proposer approves; an agent may not, nor may the proposer', () => {
    const security = verified();
    security.send('UNFREEZE', { reason: 'Login was the customer on a new phone' }, SUE);
    expect(catchDomainError(() => security.send('APPROVE_PROPOSAL', {}, BOB)).code).toBe(DomainErrorCode.EventNotPermitted);
    expect(offered(security, BOB)).toEqual([]);
    const self = catchDomainError(() => security.send('APPROVE_PROPOSAL', {}, SUE));
    expect([self.code, self.details]).toEqual([DomainErrorCode.SelfApproval, { proposedBy: 'sup-sue' }]);
    expect(offered(security, SUE)).toEqual(['REJECT_PROPOSAL']);
    expect(offered(security, SAM)).toEqual(['APPROVE_PROPOSAL', 'REJECT_PROPOSAL']);
  });

  it('an approved unfreeze asks the wallet exactly as a v2 UNFREEZE did, and resolves on its confirmation', () => {
    const security = verified();
    security.send('UNFREEZE', { reason: 'Login was the customer on a new phone' }, ANN);
    const approved = security.send('APPROVE_PROPOSAL', { note: 'Checked the video call' }, SUE);

    const v2 = verified(accountSecurityDefinitionV2);
    const direct = v2.send('UNFREEZE', { reason: 'Login was the customer on a new phone' }, ANN);
    expect(approved.effects).toEqual(direct.effects);
    expect(approved.effects).toEqual([{ type: 'unfreezeAccount', params: { reason: 'Login was the customer on a new phone' } }]);
    expect([security.state, v2.state]).toEqual(['unfreezing.awaitingWallet', 'unfreezing.awaitingWallet']);
    expect(security.context).toMatchObject({ proposal: null, decisionReason: 'Login was the customer on a new phone' });
    expect(security.pendingDeadlines()).toEqual(['walletConfirmationWindow']);

    security.send('ACCOUNT_UNFROZEN', {}, SENDERS.system);
    expect(security.context).toMatchObject({ outcome: 'unfrozen', outcomeNote: 'Login was the customer on a new phone', unfreezeConfirmed: true });
    expect(replayEvents(accountSecurityDefinitionV3, security.input, security.log)).toEqual(security.snapshot);
  });

  it('an approved credential reset resets first, then unfreezes, as in v2', () => {
    const security = verified();
    security.send('RESET_CREDENTIALS', { reason: 'Password was phished' }, ANN);
    expect(security.context.proposal).toMatchObject({ action: 'reset_credentials', reason: 'Password was phished' });
    expect(security.effects('resetCredentials')).toEqual([]);
    security.send('APPROVE_PROPOSAL', {}, SUE);
    expect(security.state).toBe('resettingCredentials.awaitingWallet');
    expect(security.effects()).toEqual([{ type: 'resetCredentials', params: { reason: 'Password was phished' } }]);
    security.send('CREDENTIALS_RESET', {}, SENDERS.system);
    expect(security.effects()).toEqual([{ type: 'unfreezeAccount', params: { reason: 'credentials_reset' } }]);
    security.send('ACCOUNT_UNFROZEN', {}, SENDERS.system);
    expect(security.context).toMatchObject({ outcome: 'credentials_reset', credentialsReset: true });
  });

  it('a rejected proposal goes back to the verified, still frozen account without telling the customer again', () => {
    const security = verified();
    security.send('RESET_CREDENTIALS', { reason: 'Password was phished' }, ANN);
    security.send('REJECT_PROPOSAL', { reason: 'Unfreeze as it is: the password was not shared' }, SUE);
    expect(security.state).toBe('frozen.identityVerified');
    expect(security.effects()).toEqual([]);
    expect(security.context).toMatchObject({ proposal: null, decisionReason: null, freezeConfirmed: true });
    expect(security.pendingDeadlines()).toEqual([]);
    expect(offered(security, ANN)).toEqual(expect.arrayContaining(['UNFREEZE', 'RESET_CREDENTIALS']));
  });

  it('tells the customer of the freeze once, when the wallet confirms it', () => {
    const security = CaseHarness.open(accountSecurityDefinitionV3, STOLEN);
    security.send('ACCOUNT_FROZEN', {}, SENDERS.system);
    expect(security.state).toBe('frozen.verifyingIdentity');
    expect(security.effects()).toEqual([{ type: 'notify', params: { topic: 'account_security.frozen', audience: ['customer', 'agents'] } }]);
  });

  it('a proposal waiting past its approval window is escalated and keeps waiting', () => {
    const security = verified();
    security.send('UNFREEZE', { reason: 'Customer on a new phone' }, ANN);
    const fired = security.fire('approvalWindow')!;
    expect(security.state).toBe('awaitingApproval');
    expect(fired.escalate).toBe(true);
    expect(security.context.approvalOverdue).toBe(true);
    expect(security.effects()).toEqual([{ type: 'notify', params: { topic: 'account_security.approval_overdue', audience: ['agents'], alert: true } }]);
    security.send('APPROVE_PROPOSAL', {}, SUE);
    expect(security.state).toBe('unfreezing.awaitingWallet');
  });

  it('a forgotten password is reset only when a second person approves what the verifying agent proposes', () => {
    const security = CaseHarness.open(accountSecurityDefinitionV3, { ...SAMPLE_FACTS.account_security, securityReport: 'forgotten_password' });
    security.send('IDENTITY_VERIFIED', { method: 'video_call', note: 'Face matches' }, SUE);
    expect(security.state).toBe('awaitingApproval');
    expect(security.context.proposal).toMatchObject({ action: 'reset_credentials', reason: 'forgotten_password', proposedBy: 'sup-sue' });
    expect(security.effects('resetCredentials')).toEqual([]);
    expect(catchDomainError(() => security.send('APPROVE_PROPOSAL', {}, SUE)).code).toBe(DomainErrorCode.SelfApproval);

    security.send('REJECT_PROPOSAL', { reason: 'The video call was not convincing' }, SAM);
    expect(security.state).toBe('verifyingForReset.verifyingIdentity');
    security.send('IDENTITY_VERIFIED', { method: 'in_person', note: 'ID card at the counter' }, ANN);
    security.send('APPROVE_PROPOSAL', {}, SAM);
    expect(security.state).toBe('resettingCredentials.awaitingWallet');
    expect(security.effects('resetCredentials')).toEqual([{ type: 'resetCredentials', params: { reason: 'forgotten_password' } }]);
  });
});
