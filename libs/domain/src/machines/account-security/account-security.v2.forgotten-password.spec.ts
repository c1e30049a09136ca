import { DomainErrorCode } from '../../errors';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { accountSecurityDefinitionV2 } from './account-security.v2.definition';

const FORGOTTEN = { ...SAMPLE_FACTS.account_security, reason: 'cannot_log_in', securityReport: 'forgotten_password' as const };

describe('account security v2, forgotten password: verify, reset, confirmed', () => {
  it('freezes nothing and opens with the clocks running', () => {
    const security = CaseHarness.open(accountSecurityDefinitionV2, FORGOTTEN);
    expect(security.state).toBe('verifyingForReset.verifyingIdentity');
    expect(security.effects()).toEqual([]);
    expect(security.last.slaPhase).toBe('running');
    expect(security.pendingDeadlines()).toEqual([]);
  });

  it('resets the credentials once identity is verified and resolves when the wallet confirms', () => {
    const security = CaseHarness.open(accountSecurityDefinitionV2, FORGOTTEN);
    security.send('REQUEST_CUSTOMER_INFO', { question: 'Last four digits of your bank card?' }, SENDERS.agent);
    expect(security.last.slaPhase).toBe('paused');
    security.send('CUSTOMER_INFO_PROVIDED', { summary: 'Digits given' }, SENDERS.customer);
    security.send('IDENTITY_VERIFIED', { method: 'bank_card', note: 'Card digits match' }, SENDERS.agent);
    expect(security.state).toBe('resettingCredentials.awaitingWallet');
    expect(security.effects()).toEqual([{ type: 'resetCredentials', params: { reason: 'forgotten_password' } }]);

    expect(catchDomainError(() => security.send('CREDENTIALS_RESET', {}, SENDERS.agent)).code).toBe(DomainErrorCode.EventNotPermitted);
    const confirmed = security.send('CREDENTIALS_RESET', {}, SENDERS.system);
    expect(security.state).toBe('resolved');
    expect(confirmed.effects.map((effect) => effect.type)).not.toContain('unfreezeAccount');
    expect(security.context).toMatchObject({ outcome: 'credentials_reset', credentialsReset: true, freezeConfirmed: false });
  });

  it('tells the agents when the reset stays unconfirmed and lets them ask the wallet again', () => {
    const security = CaseHarness.open(accountSecurityDefinitionV2, FORGOTTEN);
    security.send('IDENTITY_VERIFIED', { method: 'video_call', note: 'ok' }, SENDERS.system);
    security.fire('walletConfirmationWindow');
    expect(security.state).toBe('resettingCredentials.confirmationOverdue');
    expect(security.effects('notify')).toEqual([{ type: 'notify', params: { topic: 'account_security.wallet_action_unconfirmed', audience: ['agents'], alert: true } }]);
    security.send('RETRY_WALLET_ACTION', {}, SENDERS.agent);
    expect(security.effects('resetCredentials')).toHaveLength(1);
    security.send('CREDENTIALS_RESET', {}, SENDERS.system);
    expect(security.state).toBe('resolved');
  });

  it('resolves without a reset when verification fails', () => {
    const security = CaseHarness.open(accountSecurityDefinitionV2, FORGOTTEN);
    const failed = security.send('VERIFICATION_FAILED', { reason: 'Could not answer the questions' }, SENDERS.agent);
    expect(security.context.outcome).toBe('verification_failed');
    expect(failed.effects.map((effect) => effect.type)).toEqual(['notify']);
  });
});
