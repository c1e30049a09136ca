import { DEFAULT_WINDOWS } from '../windows';
import { CaseHarness, SENDERS } from '../../testing/case-harness';
import { SAMPLE_FACTS } from '../../testing/sample-facts';
import { accountSecurityDefinitionV1 } from './account-security.definition';

describe('account security: the account is frozen the moment the case opens', () => {
  it('freezes in the opening transition, before any event', () => {
    const security = CaseHarness.open(accountSecurityDefinitionV1, SAMPLE_FACTS.account_security);
    expect(security.state).toBe('frozen.verifyingIdentity');
    expect(security.effects()).toEqual([
      { type: 'freezeAccount', params: { reason: 'suspicious_login' } },
      { type: 'notify', params: { topic: 'account_security.frozen', audience: ['customer', 'agents'] } },
    ]);
    expect(security.deadline('customerReplyWindow').delayMs).toBe(DEFAULT_WINDOWS.customerReplyMs);
  });

  it('freezes even on a report without details', () => {
    const security = CaseHarness.open(accountSecurityDefinitionV1, { ...SAMPLE_FACTS.account_security, reason: null });
    expect(security.effects('freezeAccount')).toEqual([{ type: 'freezeAccount', params: { reason: 'security_report' } }]);
  });

  it('stays frozen and tells the agents when the customer does not verify in time', () => {
    const security = CaseHarness.open(accountSecurityDefinitionV1, SAMPLE_FACTS.account_security);
    security.fire('customerReplyWindow');
    expect(security.state).toBe('frozen.verificationOverdue');
    expect(security.context.verificationOverdue).toBe(true);
    expect(security.effects()).toEqual([{ type: 'notify', params: { topic: 'account_security.verification_overdue', audience: ['agents'] } }]);

    // A late verification still works.
    security.send('IDENTITY_VERIFIED', { method: 'in_person', note: 'Came to the service centre' }, SENDERS.agent);
    expect(security.state).toBe('frozen.identityVerified');
    expect(security.effects('unfreezeAccount')).toEqual([]);
  });
});
