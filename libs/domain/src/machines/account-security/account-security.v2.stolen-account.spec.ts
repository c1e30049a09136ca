import { DomainErrorCode } from '../../errors';
import { DEFAULT_WINDOWS } from '../windows';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { replayEvents } from '../../engine/case-transition';
import { accountSecurityDefinitionV2 } from './account-security.v2.definition';

const STOLEN = { ...SAMPLE_FACTS.account_security, securityReport: 'stolen_account' as const };

function frozen(): CaseHarness {
  const security = CaseHarness.open(accountSecurityDefinitionV2, STOLEN);
  security.send('ACCOUNT_FROZEN', {}, SENDERS.system);
  return security;
}

describe('account security v2, stolen account: frozen only when the wallet confirms', () => {
  it('requests the freeze at once, with the clocks running (not waiting on the customer)', () => {
    const security = CaseHarness.open(accountSecurityDefinitionV2, STOLEN);
    expect(security.state).toBe('freezing.awaitingWallet');
    expect(security.last.slaPhase).toBe('running');
    expect(security.effects()).toEqual([
      { type: 'freezeAccount', params: { reason: 'suspicious_login' } },
      { type: 'notify', params: { topic: 'account_security.freeze_requested', audience: ['agents'] } },
    ]);
    expect(security.deadline('walletConfirmationWindow').delayMs).toBe(DEFAULT_WINDOWS.walletConfirmationMs);
    expect(security.context.freezeConfirmed).toBe(false);
  });

  it('treats a case opened without a report as a stolen account (the callers from before v2)', () => {
    const security = CaseHarness.open(accountSecurityDefinitionV2, { ...SAMPLE_FACTS.account_security, securityReport: undefined });
    expect(security.context.securityReport).toBe('stolen_account');
    expect(security.effects('freezeAccount')).toHaveLength(1);
  });

  it('moves to frozen on the wallet confirmation, which only the system may send', () => {
    const security = CaseHarness.open(accountSecurityDefinitionV2, STOLEN);
    for (const sender of [SENDERS.agent, SENDERS.supervisor, SENDERS.customer, SENDERS.merchant]) {
      expect(catchDomainError(() => security.send('ACCOUNT_FROZEN', {}, sender)).code).toBe(DomainErrorCode.EventNotPermitted);
    }
    const confirmed = security.send('ACCOUNT_FROZEN', {}, SENDERS.system);
    expect(security.state).toBe('frozen.verifyingIdentity');
    expect(security.context.freezeConfirmed).toBe(true);
    expect(confirmed.cancelledSendIds).toHaveLength(1);
    expect(confirmed.effects).toEqual([{ type: 'notify', params: { topic: 'account_security.frozen', audience: ['customer', 'agents'] } }]);
    expect(security.last.slaPhase).toBe('running');
  });

  it('tells the agents when the freeze stays unconfirmed, stays visible, and lets an agent ask again', () => {
    const security = CaseHarness.open(accountSecurityDefinitionV2, STOLEN);
    security.fire('walletConfirmationWindow');
    expect(security.state).toBe('freezing.confirmationOverdue');
    expect(security.context.unconfirmedWalletActions).toBe(1);
    expect(security.effects()).toEqual([{ type: 'notify', params: { topic: 'account_security.wallet_action_unconfirmed', audience: ['agents'], alert: true } }]);

    security.send('RETRY_WALLET_ACTION', {}, SENDERS.agent);
    expect(security.state).toBe('freezing.awaitingWallet');
    expect(security.effects('freezeAccount')).toEqual([{ type: 'freezeAccount', params: { reason: 'suspicious_login' } }]);
    expect(security.pendingDeadlines()).toEqual(['walletConfirmationWindow']);

    // A late confirmation of the first request is as good as any.
    security.send('ACCOUNT_FROZEN', {}, SENDERS.system);
    expect(security.state).toBe('frozen.verifyingIdentity');
    expect(security.pendingDeadlines()).toEqual([]);
  });

  it('pauses the clocks only while a question to the customer is open', () => {
    const security = frozen();
    security.send('REQUEST_CUSTOMER_INFO', { question: 'Photo of your ID card, please' }, SENDERS.agent);
    expect(security.state).toBe('frozen.awaitingCustomer');
    expect(security.last.slaPhase).toBe('paused');
    security.fire('customerReplyWindow');
    expect(security.state).toBe('frozen.verifyingIdentity');
    expect(security.context.verificationOverdue).toBe(true);
    expect(security.last.slaPhase).toBe('running');
  });

  it('unfreezes after verification once the wallet confirms the unfreeze', () => {
    const security = frozen();
    security.send('IDENTITY_VERIFIED', { method: 'video_call', note: 'Face matches ID' }, SENDERS.system);
    security.send('UNFREEZE', { reason: 'Customer on a new phone' }, SENDERS.agent);
    expect(security.state).toBe('unfreezing.awaitingWallet');
    expect(security.effects('unfreezeAccount')).toEqual([{ type: 'unfreezeAccount', params: { reason: 'Customer on a new phone' } }]);
    expect(catchDomainError(() => security.send('ACCOUNT_UNFROZEN', {}, SENDERS.agent)).code).toBe(DomainErrorCode.EventNotPermitted);

    security.send('ACCOUNT_UNFROZEN', {}, SENDERS.system);
    expect(security.state).toBe('resolved');
    expect(security.context).toMatchObject({ outcome: 'unfrozen', unfreezeConfirmed: true, credentialsReset: false });
    expect(replayEvents(accountSecurityDefinitionV2, security.input, security.log)).toEqual(security.snapshot);
  });

  it('resets credentials (and sessions) first, unfreezes only after the wallet confirmed the reset, then resolves on the unfreeze', () => {
    const security = frozen();
    security.send('IDENTITY_VERIFIED', { method: 'in_person', note: 'Came to the service centre' }, SENDERS.agent);
    security.send('RESET_CREDENTIALS', { reason: 'Password phished' }, SENDERS.agent);
    expect(security.state).toBe('resettingCredentials.awaitingWallet');
    expect(security.effects()).toEqual([{ type: 'resetCredentials', params: { reason: 'Password phished' } }]);
    expect(catchDomainError(() => security.send('UNFREEZE', { reason: 'too early' }, SENDERS.agent)).code).toBe(DomainErrorCode.EventNotAllowed);

    security.send('CREDENTIALS_RESET', {}, SENDERS.system);
    expect(security.state).toBe('unfreezing.awaitingWallet');
    expect(security.effects('unfreezeAccount')).toEqual([{ type: 'unfreezeAccount', params: { reason: 'credentials_reset' } }]);
    security.send('ACCOUNT_UNFROZEN', {}, SENDERS.system);
    expect(security.state).toBe('resolved');
    expect(security.context).toMatchObject({ outcome: 'credentials_reset', outcomeNote: 'Password phished', credentialsReset: true });
    security.fire('appealWindow');
    expect(security.status).toBe('done');
  });

  it('keeps the account frozen and resolves as fraud confirmed when verification fails', () => {
    const security = frozen();
    const failed = security.send('VERIFICATION_FAILED', { reason: 'Forged ID card' }, SENDERS.agent);
    expect(security.state).toBe('resolved');
    expect(security.context.outcome).toBe('fraud_confirmed');
    expect(failed.effects.map((effect) => effect.type)).not.toContain('unfreezeAccount');
  });

  it('verifies nothing before the freeze is confirmed', () => {
    const security = CaseHarness.open(accountSecurityDefinitionV2, STOLEN);
    const error = catchDomainError(() => security.send('IDENTITY_VERIFIED', { method: 'bank_card', note: 'ok' }, SENDERS.agent));
    expect(error.code).toBe(DomainErrorCode.EventNotAllowed);
  });
});
