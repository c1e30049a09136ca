import { DomainErrorCode } from '../../errors';
import { CaseHarness, SENDERS, catchDomainError } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { accountSecurityDefinitionV1 } from './account-security.definition';

function verified(): CaseHarness {
  const security = CaseHarness.open(accountSecurityDefinitionV1, SAMPLE_FACTS.account_security);
  security.send('IDENTITY_VERIFIED', { method: 'video_call', note: 'Face matches ID' }, SENDERS.system);
  return security;
}

describe('account security: after verification', () => {
  it('unfreezes at once when the alarm was false', () => {
    const security = verified();
    security.send('UNFREEZE', { reason: 'Customer on a new phone' }, SENDERS.agent);
    expect(security.state).toBe('resolved');
    expect(security.effects('unfreezeAccount')).toEqual([{ type: 'unfreezeAccount', params: { reason: 'Customer on a new phone' } }]);
    expect(security.context).toMatchObject({ outcome: 'unfrozen', verification: { method: 'video_call', note: 'Face matches ID' } });
  });

  it('resets the credentials first and unfreezes only once the reset is confirmed', () => {
    const security = verified();
    security.send('RESET_CREDENTIALS', { reason: 'Password phished' }, SENDERS.agent);
    expect(security.state).toBe('frozen.resettingCredentials');
    expect(security.effects()).toEqual([{ type: 'resetCredentials', params: { reason: 'Password phished' } }]);

    const error = catchDomainError(() => security.send('UNFREEZE', { reason: 'too early' }, SENDERS.agent));
    expect(error.code).toBe(DomainErrorCode.EventNotAllowed);

    security.send('CREDENTIALS_RESET', {}, SENDERS.system);
    expect(security.state).toBe('resolved');
    expect(security.effects('unfreezeAccount')).toEqual([{ type: 'unfreezeAccount', params: { reason: 'credentials_reset' } }]);
    expect(security.context).toMatchObject({ outcome: 'credentials_reset', outcomeNote: 'Password phished' });
  });

  it('keeps the account frozen and closes the case as fraud confirmed when verification fails', () => {
    const security = CaseHarness.open(accountSecurityDefinitionV1, SAMPLE_FACTS.account_security);
    const failed = security.send('VERIFICATION_FAILED', { reason: 'Forged ID card' }, SENDERS.agent);
    expect(security.state).toBe('resolved');
    expect(security.context).toMatchObject({ outcome: 'fraud_confirmed', outcomeNote: 'Forged ID card' });
    expect(failed.effects.map((effect) => effect.type)).not.toContain('unfreezeAccount');
    expect(failed.effects).toContainEqual({ type: 'notify', params: { topic: 'account_security.fraud_confirmed', audience: ['agents'] } });

    const closed = security.fire('appealWindow');
    expect(security.status).toBe('done');
    expect(closed?.effects.map((effect) => effect.type)).not.toContain('unfreezeAccount');
  });

  it('lets neither the customer nor the merchant verify or unfreeze', () => {
    const security = CaseHarness.open(accountSecurityDefinitionV1, SAMPLE_FACTS.account_security);
    for (const sender of [SENDERS.customer, SENDERS.merchant]) {
      const error = catchDomainError(() => security.send('IDENTITY_VERIFIED', { method: 'bank_card', note: 'trust me' }, sender));
      expect(error.code).toBe(DomainErrorCode.EventNotPermitted);
    }
  });
});
